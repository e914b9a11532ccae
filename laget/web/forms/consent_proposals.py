"""The coordinator's form for a consent proposal (laget.sharing.proposals): the terms of a
consent and who must give it; whether they may is checked by the service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from laget.sharing.models import ConsentGivenBy
from laget.web.forms.cases import ConsentTermsForm


class ConsentProposalForm(ConsentTermsForm):
    field_order = ["given_by"]

    given_by = forms.ChoiceField(
        label=_("Hvem må samtykke?"), choices=ConsentGivenBy.choices, widget=forms.RadioSelect,
        help_text=_("Under 16 år alle med foreldreansvar; 16–17 år både den unge og de "
                    "foresatte; fra 18 år den unge selv. De svarer på familiesiden."),
        error_messages={"invalid_choice": _("Velg hvem som må samtykke.")},
    )
