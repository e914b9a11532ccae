"""Forms of the rectification pages: a request registered on the person's behalf and the
decision. They parse the shape of the input; the rules live in laget.rectification.services."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from laget.people.models import Guardian
from laget.rectification.models import DECISIONS, TEXT_MAX_LENGTH, Decision, Kind
from laget.sharing.selectors import ShownEntry

SELF = "self"


def entry_label(shown: ShownEntry) -> str:
    entry = shown.entry
    text = entry.text if len(entry.text) <= 160 else entry.text[:159] + "…"
    return (f"{entry.get_category_display()}, {entry.source_agency.name}, "
            f"{formats.date_format(timezone.localtime(entry.created_at), 'SHORT_DATE_FORMAT')}: "
            f"{text}")


class RequestForm(forms.Form):
    entries = forms.MultipleChoiceField(
        label=_("Opplysninger kravet gjelder"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg hvilke opplysninger kravet gjelder."),
                        "invalid_choice": _("Velg blant opplysningene på listen.")},
    )
    kind = forms.ChoiceField(label=_("Hva ber personen om?"), choices=Kind.choices,
                             error_messages={"invalid_choice": _("Velg en type krav.")})
    requested_by = forms.ChoiceField(label=_("Hvem ber om det?"),
                                     error_messages={"invalid_choice": _("Velg hvem som ber.")})
    what_is_wrong = forms.CharField(
        label=_("Hva er feil, med personens egne ord"), max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv hva som er feil.")})
    should_say = forms.CharField(
        label=_("Hva det burde stå"), max_length=TEXT_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, shown: Sequence[ShownEntry], guardians: Sequence[Guardian],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(str(s.entry.pk), entry_label(s)) for s in shown]
        self.fields["requested_by"].choices = [
            (SELF, _("Personen selv")),
            *[(str(g.pk), _("Foresatt: %(name)s") % {"name": f"{g.given_name} {g.family_name}"})
              for g in guardians],
        ]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Avgjørelse"), widget=forms.RadioSelect,
                                 error_messages={"required": _("Velg en avgjørelse."),
                                                 "invalid_choice": _("Velg en avgjørelse.")})
    reason = forms.CharField(
        label=_("Begrunnelse"), max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Personen får se begrunnelsen. Skriv den slik at den kan leses uten "
                    "fagkunnskap."),
        error_messages={"required": _("Skriv begrunnelsen for avgjørelsen.")})
    corrected_text = forms.CharField(
        label=_("Opplysningen etter rettingen"), max_length=20_000, required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Når kravet tas til følge helt eller delvis, blir dette en ny versjon av "
                    "opplysningen. Den gamle versjonen skjules i sakens vanlige visning, men "
                    "beholdes i historikken."))

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Decision.choices)
        self.fields["decision"].choices = [(d, labels[d]) for d in DECISIONS[kind]]


class ExtendForm(forms.Form):
    extension_reason = forms.CharField(
        label=_("Hvorfor må fristen forlenges?"), max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Personen får vite om forlengelsen og grunnen. Skriv den slik at den kan "
                    "leses uten fagkunnskap, uten andres personopplysninger."),
        error_messages={"required": _("Skriv hvorfor fristen må forlenges.")})
