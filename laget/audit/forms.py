from django import forms
from django.utils.translation import gettext_lazy as _

from laget.audit.actions import Action


class EventSearchForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Handling"), choices=[("", _("Alle")), *Action.choices], required=False
    )
    username = forms.CharField(label=_("Brukernavn"), max_length=150, required=False)
    date_from = forms.DateField(label=_("Fra dato"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Til dato"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Til-datoen er før fra-datoen."))
        return data
