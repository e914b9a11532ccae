"""The status form on the case page: the allowed next statuses and a reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from laget.cases.services import REASON_MAX_LENGTH


class CaseStatusForm(forms.Form):
    to = forms.ChoiceField(label=_("Ny status"))
    reason = forms.CharField(label=_("Begrunnelse"), max_length=REASON_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = choices  # type: ignore[attr-defined]
