"""The coordinator's form for a consent proposal (laget.sharing.proposals): the terms of a
consent and who must give it; whether they may is checked by the service."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from laget.records.vocabulary import InfoCategory, SharingPurpose
from laget.sharing.models import ConsentGivenBy
from laget.web.forms.cases import DATE_WIDGET, RECIPIENT_CHOICES


class ConsentProposalForm(forms.Form):
    given_by = forms.ChoiceField(
        label=_("Hvem må samtykke?"), choices=ConsentGivenBy.choices, widget=forms.RadioSelect,
        help_text=_("Under 16 år alle med foreldreansvar; 16–17 år både den unge og de "
                    "foresatte; fra 18 år den unge selv. De svarer på familiesiden."),
        error_messages={"invalid_choice": _("Velg hvem som må samtykke.")},
    )
    categories = forms.MultipleChoiceField(
        label=_("Hvilke opplysninger kan deles?"), choices=InfoCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Ukjent kategori: %(value)s."),
                        "required": _("Velg minst én kategori.")},
    )
    recipients = forms.MultipleChoiceField(
        label=_("Med hvem?"), choices=RECIPIENT_CHOICES, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Ukjent mottaker: %(value)s."),
                        "required": _("Velg minst én mottaker.")},
    )
    purposes = forms.MultipleChoiceField(
        label=_("Til hvilket formål?"), choices=SharingPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Ukjent formål: %(value)s."),
                        "required": _("Velg minst ett formål.")},
    )
    valid_from = forms.DateField(label=_("Gyldig fra"), widget=DATE_WIDGET)
    valid_to = forms.DateField(label=_("Gyldig til og med"), widget=DATE_WIDGET)
    youth_view = forms.CharField(
        label=_("Den unges syn"), required=False, max_length=4000, widget=forms.Textarea,
        help_text=_("Den unge skal høres fra 12 år. Skriv kort hva den unge mener."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Sluttdatoen er før startdatoen."))
        return data
