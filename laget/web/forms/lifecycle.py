"""Forms of the retention and erasure page: a legal hold, and a leader's rejection of an erasure.
They check the shape of the input; the rules (who may, dates, holds) live in
laget.lifecycle.erasure."""

from django import forms
from django.utils.translation import gettext_lazy as _

from laget.lifecycle.models import ErasureKind, HoldReason

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HoldForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Gjelder"), choices=ErasureKind.choices,
        error_messages={"required": _("Velg hva sletteforbudet gjelder."),
                        "invalid_choice": _("Velg hva sletteforbudet gjelder.")})
    object_id = forms.UUIDField(
        label=_("Id"), help_text=_("Sakens, bekymringens eller personens id (fra listen eller "
                                   "saken), aldri et fødselsnummer."),
        error_messages={"required": _("Oppgi en id."), "invalid": _("Oppgi en gyldig id.")})
    reason = forms.ChoiceField(
        label=_("Grunn"), choices=HoldReason.choices,
        error_messages={"required": _("Velg en grunn."), "invalid_choice": _("Velg en grunn.")})
    note = forms.CharField(
        label=_("Forklaring"), max_length=500,
        help_text=_("Uten personopplysninger: for eksempel klagens eller sakens referanse."),
        error_messages={"required": _("Skriv en forklaring.")})
    ends_on = forms.DateField(
        label=_("Til og med"), widget=DATE_WIDGET,
        error_messages={"required": _("Oppgi en sluttdato."),
                        "invalid": _("Oppgi en gyldig dato.")})


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("Hvorfor skal den ikke slettes nå?"), max_length=500,
        help_text=_("Uten personopplysninger."),
        error_messages={"required": _("Skriv hvorfor den ikke skal slettes nå.")})
