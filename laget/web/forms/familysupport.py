"""The family support's forms: refer guardians to parent support and the provider's answer,
sessions and outcome; a relocation application with its decision, appeal and payments; an
interpreter booking; the year of a report. They check the shape of the input; the rules (who may,
sums, dates) live in laget.familysupport and come back as DomainError."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from laget.accounts.models import User
from laget.core import clock
from laget.familysupport.models import (
    AppealOutcome,
    InterpretedKind,
    InterpreterMode,
    InterpreterQualification,
    ParentOutcome,
    RelocationDecision,
    RelocationReason,
)
from laget.familysupport.vocabulary import INTERPRETER_LANGUAGES, municipalities
from laget.pathways.models import Offer
from laget.people.models import Guardian

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MAX_KRONER = 10_000_000


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_WIDGET,
                           error_messages={"required": _("Velg dato."),
                                           "invalid": _("Skriv en gyldig dato.")})


def _kroner(label: Any, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=MAX_KRONER, required=required,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Skriv beløpet i hele kroner."),
                        "invalid": _("Skriv beløpet i hele kroner."),
                        "min_value": _("Beløpet kan ikke være negativt."),
                        "max_value": _("Beløpet er for stort.")})


def _user_label(user: User) -> str:
    return user.get_full_name() or user.username


# --- parent support -------------------------------------------------------------------------------

class ReferralForm(forms.Form):
    guardians = forms.MultipleChoiceField(
        label=_("Foresatte som henvises"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Bare foresatte med foreldreansvar og uten begrenset kontakt."),
        error_messages={"required": _("Velg minst én foresatt."),
                        "invalid_choice": _("Denne foresatte kan ikke henvises.")})
    offer = forms.ModelChoiceField(
        label=_("Program"), queryset=Offer.objects.none(), empty_label=_("Velg program"),
        error_messages={"required": _("Velg et foreldrestøtteprogram."),
                        "invalid_choice": _("Velg et foreldrestøtteprogram fra listen.")})
    text = forms.CharField(
        label=_("Henvisningen"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Tilbyderen ser dette, den foresattes navn, kontaktopplysninger, språk og "
                    "tolkebehov — ikke saken eller den unge. Skriv ikke mer enn tilbyderen "
                    "trenger."),
        error_messages={"required": _("Skriv henvisningen.")})

    def __init__(self, *args: Any, guardians: list[Guardian], offers: Any,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guardians"].choices = [
            (str(g.pk), f"{g} ({g.get_relation_display().lower()})") for g in guardians]
        self.fields["offer"].queryset = offers


class ReferralAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Svar"), widget=forms.RadioSelect,
        choices=[("accept", _("Ta imot")), ("decline", _("Avslå"))],
        error_messages={"required": _("Velg om du tar imot eller avslår.")})
    reason = forms.CharField(label=_("Begrunnelse ved avslag"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class SessionForm(forms.Form):
    held_on = _date(_("Dato for oppmøtet"))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Resultat"), choices=ParentOutcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": _("Velg et resultat.")})
    benefit = forms.TypedChoiceField(
        label=_("Opplevd nytte"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Ikke besvart")), *((str(n), str(n)) for n in range(1, 6))],
        help_text=_("Den foresattes egen vurdering fra 1 (ingen nytte) til 5 (svært nyttig)."))
    note = forms.CharField(label=_("Kort om resultatet"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Uten navn på andre."))


# --- relocation -----------------------------------------------------------------------------------

class RelocationForm(forms.Form):
    guardians = forms.MultipleChoiceField(
        label=_("Foresatte som søker"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg hvilke foresatte som søker."),
                        "invalid_choice": _("Ukjent foresatt.")})
    reasons = forms.MultipleChoiceField(
        label=_("Grunner"), choices=RelocationReason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg minst én grunn.")})
    grounds = forms.CharField(
        label=_("Begrunnelse"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Hvorfor familien må flytte. Skriv ikke navn på andre personer."),
        error_messages={"required": _("Skriv begrunnelsen for søknaden.")})
    destination = forms.ChoiceField(
        label=_("Kommune familien flytter til"),
        error_messages={"required": _("Velg kommune."),
                        "invalid_choice": _("Ukjent kommune.")})
    protected = forms.BooleanField(
        label=_("Skjerm flyttestedet"), required=False,
        help_text=_("Kommunen vises da bare for deg og lederen som avgjør søknaden. Den skjermes "
                    "også alltid når familien har adressebeskyttelse."))
    cost_moving = _kroner(_("Flytting (kr)"))
    cost_deposit = _kroner(_("Depositum for bolig (kr)"))
    cost_other = _kroner(_("Andre kostnader (kr)"))
    leader = forms.ChoiceField(
        label=_("Leder som avgjør søknaden"),
        error_messages={"required": _("Velg lederen som avgjør søknaden."),
                        "invalid_choice": _("Velg en leder i bydelen.")})
    handlers = forms.MultipleChoiceField(
        label=_("Andre saksbehandlere som skal se søknaden"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ingen andre ser at søknaden finnes."),
        error_messages={"invalid_choice": _("Velg saksbehandlere i bydelen.")})

    def __init__(self, *args: Any, guardians: list[Guardian], leaders: list[User],
                 staff: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guardians"].choices = [
            (str(g.pk), f"{g} ({g.get_relation_display().lower()})") for g in guardians]
        self.fields["destination"].choices = [("", _("Velg kommune"))] + [
            (number, f"{number} {name}") for number, name in sorted(
                municipalities().items(), key=lambda item: item[1])]
        self.fields["leader"].choices = [("", _("Velg leder"))] + [
            (str(u.pk), _user_label(u)) for u in leaders]
        self.fields["handlers"].choices = [(str(u.pk), _user_label(u)) for u in staff]
        self.users = {str(u.pk): u for u in [*leaders, *staff]}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "leader" in data:
            data["leader"] = self.users[data["leader"]]
        if "handlers" in data:
            data["handlers"] = [self.users[pk] for pk in data["handlers"]]
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Vedtak"), widget=forms.RadioSelect,
        choices=[c for c in RelocationDecision.choices if c[0]],
        error_messages={"required": _("Velg et vedtak.")})
    amount = _kroner(_("Innvilget beløp (kr)"), required=False)
    reason = forms.CharField(label=_("Begrunnelse"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": _("Skriv begrunnelsen for vedtaket.")})
    decided_on = _date(_("Vedtaksdato"))

    def clean_amount(self) -> int:
        return self.cleaned_data.get("amount") or 0


class AppealForm(forms.Form):
    lodged_on = _date(_("Klagen mottatt"))
    grounds = forms.CharField(label=_("Klagens begrunnelse"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("Skriv klagens begrunnelse.")})


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Statsforvalterens avgjørelse"), widget=forms.RadioSelect,
        choices=[c for c in AppealOutcome.choices if c[0]],
        error_messages={"required": _("Velg statsforvalterens avgjørelse.")})
    amount = _kroner(_("Beløp etter omgjøringen (kr)"), required=False)
    decided_on = _date(_("Dato for avgjørelsen"))


class PaymentForm(forms.Form):
    paid_on = _date(_("Utbetalt"))
    amount = _kroner(_("Beløp (kr)"))
    purpose = forms.CharField(label=_("Gjelder"), max_length=200,
                              help_text=_("For eksempel flyttebyrå eller depositum."),
                              error_messages={"required": _("Skriv hva utbetalingen gjelder.")})


# --- interpreters ---------------------------------------------------------------------------------

class InterpreterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tolk til"), choices=InterpretedKind.choices,
                             widget=forms.RadioSelect, initial=InterpretedKind.MEETING,
                             error_messages={"required": _("Velg møte eller samtale.")})
    meeting = forms.ChoiceField(label=_("Møte i saken"), required=False,
                                error_messages={"invalid_choice": _("Ukjent møte.")})
    date = _date(_("Dato"))
    time = forms.TimeField(label=_("Klokkeslett"), widget=TIME_WIDGET,
                           error_messages={"required": _("Velg klokkeslett."),
                                           "invalid": _("Skriv et gyldig klokkeslett.")})
    duration_minutes = forms.IntegerField(
        label=_("Varighet (minutter)"), min_value=1, max_value=600,
        error_messages={"required": _("Skriv varigheten i minutter."),
                        "invalid": _("Skriv varigheten i hele minutter."),
                        "min_value": _("Varigheten er minst 1 minutt."),
                        "max_value": _("Varigheten er høyst 600 minutter.")})
    language = forms.ChoiceField(label=_("Språk"),
                                 error_messages={"required": _("Velg språk."),
                                                 "invalid_choice": _("Velg et språk fra listen.")})
    interpreter_name = forms.CharField(label=_("Tolkens navn"), max_length=200,
                                       error_messages={"required": _("Skriv tolkens navn.")})
    qualification = forms.ChoiceField(
        label=_("Kvalifikasjon i Nasjonalt tolkeregister"),
        choices=[("", _("Velg kategori")), *InterpreterQualification.choices],
        help_text=_("Se tolkeportalen.no. Offentlige organer skal bruke kvalifisert tolk "
                    "(tolkeloven § 6)."),
        error_messages={"required": _("Velg tolkens kvalifikasjon.")})
    mode = forms.ChoiceField(label=_("Form"), choices=InterpreterMode.choices,
                             widget=forms.RadioSelect, initial=InterpreterMode.IN_PERSON,
                             error_messages={"required": _("Velg oppmøte, telefon eller video.")})
    cost_nok = _kroner(_("Kostnad (kr)"))
    budget_year = forms.IntegerField(
        label=_("Budsjettår (sentralt tolkebudsjett)"), min_value=2000, max_value=2100,
        error_messages={"required": _("Skriv budsjettåret."),
                        "invalid": _("Skriv et årstall."),
                        "min_value": _("Skriv et gyldig årstall."),
                        "max_value": _("Skriv et gyldig årstall.")})

    def __init__(self, *args: Any, meetings: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"budget_year": clock.today().year})
        super().__init__(*args, **kwargs)
        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["meeting"].choices = [("", _("Ikke knyttet til et møte"))] + [
            (str(m.pk), f"{m.starts_at.astimezone(clock.OSLO):%d.%m.%Y %H:%M} {m.place}")
            for m in meetings]
        languages = sorted(((code, f"{name} ({code})")
                            for code, name in INTERPRETER_LANGUAGES.items()),
                           key=lambda item: item[1])
        self.fields["language"].choices = [("", _("Velg språk")), *languages]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, time = data.get("date"), data.get("time")
        if day and time:
            data["starts_at"] = dt.datetime.combine(day, time, tzinfo=clock.OSLO)
        data["meeting"] = self.meetings.get(data.get("meeting") or "")
        return data


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100, required=False,
                              error_messages={"invalid": _("Skriv et årstall."),
                                              "min_value": _("Skriv et gyldig årstall."),
                                              "max_value": _("Skriv et gyldig årstall.")})

    def year_or_current(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return clock.today().year
