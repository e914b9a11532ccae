"""Forms of the innsyn pages: who asks for a report, and a withholding. They check the shape of
the input; the rules (dates, length, who may) live in laget.audit.innsyn."""

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from laget.audit.innsyn import WITHHOLDING_CITATIONS, RequestedBy
from laget.audit.models import WithholdingReason
from laget.web.forms.people import NationalIdField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
VERSION_PERSON = "person"
VERSION_AUDITOR = "revisor"


class InnsynRequestForm(forms.Form):
    """Read from the query string (a report is a read): `anmodning`, and for the auditor
    `versjon`."""

    anmodning = forms.ChoiceField(
        label=_("Hvem ber om innsyn?"), widget=forms.RadioSelect,
        error_messages={"required": _("Velg hvem som ber om innsyn."),
                        "invalid_choice": _("Velg hvem som ber om innsyn.")},
    )
    versjon = forms.ChoiceField(
        label=_("Versjon"), widget=forms.RadioSelect,
        choices=[(VERSION_AUDITOR, _("Revisorversjon (med tilbakeholdte linjer)")),
                 (VERSION_PERSON, _("Personens versjon (slik personen får den)"))],
    )

    def __init__(self, *args: Any, auditor: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = RequestedBy.LABELS
        choices = [(RequestedBy.PERSON, labels[RequestedBy.PERSON]),
                   (RequestedBy.GUARDIAN, labels[RequestedBy.GUARDIAN])]
        if auditor:
            choices.insert(0, (RequestedBy.AUDITOR, labels[RequestedBy.AUDITOR]))
        else:
            del self.fields["versjon"]
        self.fields["anmodning"].choices = choices

    def for_auditor(self) -> bool:
        return "versjon" in self.fields and self.cleaned_data.get("versjon") != VERSION_PERSON


class WithholdingForm(forms.Form):
    national_id = NationalIdField(
        required=True, label=_("Personens fødselsnummer eller D-nummer"),
        help_text=_("Bare personer som virksomheten din allerede har vært i kontakt med i Laget."),
    )
    legal_reason = forms.ChoiceField(
        label=_("Rettsgrunnlag"), choices=WithholdingReason.choices, widget=forms.RadioSelect,
        help_text=format_lazy(
            "{}: {}. {}", _("Etterforskning"),
            WITHHOLDING_CITATIONS[WithholdingReason.CRIMINAL_INVESTIGATION].text,
            _("Annen lovhjemmel må angis i begrunnelsen og vurderes av en jurist.")),
        error_messages={"required": _("Velg et rettsgrunnlag."),
                        "invalid_choice": _("Velg et rettsgrunnlag.")},
    )
    explanation = forms.CharField(
        label=_("Begrunnelse"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hvorfor innsyn må vente i denne saken, og hvilken lovhjemmel som gjelder. "
                    "Vises for revisor, aldri for personen."),
        error_messages={"required": _("Skriv en begrunnelse.")},
    )
    ends_on = forms.DateField(
        label=_("Vises igjen fra"), widget=DATE_WIDGET,
        help_text=_("Første dag linjene vises i personens innsynsrapport igjen."),
        error_messages={"required": _("Oppgi sluttdato."), "invalid": _("Ugyldig dato.")},
    )

    def __init__(self, *args: Any, person_known: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if person_known:
            del self.fields["national_id"]


class WithholdingEndForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, linjene skal vises i personens innsynsrapport fra nå av"),
        error_messages={"required": _("Bekreft at tilbakeholdet skal avsluttes.")},
    )
