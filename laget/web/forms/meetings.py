"""Forms of the meeting pages: schedule or change a meeting, and its minutes with attendance and
decisions. They parse and check the shape of the input; the rules live in laget.cases.meetings."""

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from laget.accounts.models import Agency, User
from laget.cases.meetings import (
    AGENDA_MAX_LENGTH,
    DECISION_MAX_LENGTH,
    MINUTES_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    DecisionInput,
    Invite,
)
from laget.cases.models import MeetingParticipant
from laget.cases.plan import TITLE_MAX_LENGTH
from laget.cases.selectors_meetings import Invitees
from laget.core import clock
from laget.people.models import Language
from laget.records.models import TeamMember

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
#: the young person's value among the family invitees (the others are guardians' ids)
YOUNG_PERSON = "ung"


def member_label(member: TeamMember) -> str:
    name = member.user.get_full_name() or member.user.username
    role = f", {member.team_role}" if member.team_role else ""
    return f"{name} – {member.agency.name}{role}"


class MeetingForm(forms.Form):
    """Schedule a meeting (with `agenda_extra`) or change one (with `agenda` and
    `redraw_agenda`)."""

    date = forms.DateField(label=_("Dato"), widget=DATE_WIDGET,
                           error_messages={"required": _("Velg dato."),
                                           "invalid": _("Skriv en gyldig dato.")})
    time = forms.TimeField(label=_("Klokkeslett"), widget=TIME_WIDGET,
                           error_messages={"required": _("Velg klokkeslett."),
                                           "invalid": _("Skriv et gyldig klokkeslett.")})
    place = forms.CharField(label=_("Sted"), max_length=PLACE_MAX_LENGTH,
                            help_text=_("For eksempel møterom, skole eller videomøte."),
                            error_messages={"required": _("Skriv hvor møtet er.")})
    team = forms.MultipleChoiceField(
        label=_("Fra teamet"), required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("En av deltakerne er ikke med i teamet.")})
    family = forms.MultipleChoiceField(
        label=_("Den unge og foresatte"), required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Denne foresatte kan ikke inviteres.")})
    others = forms.CharField(
        label=_("Andre deltakere"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20 * (NAME_MAX_LENGTH + 1),
        help_text=_("Ett navn per linje, gjerne med rolle, for eksempel «Ola Hansen, trener i "
                    "Stovner IL»."))
    interpreter_needed = forms.BooleanField(label=_("Trenger tolk"), required=False)
    interpreter_language = forms.ChoiceField(
        label=_("Tolkespråk"), required=False,
        choices=[("", _("Velg språk")), *Language.choices],
        help_text=_("Foreslått ut fra den unges og de foresattes behov for tolk."),
        error_messages={"invalid_choice": _("Ukjent tolkespråk.")})
    agenda_extra = forms.CharField(
        label=_("Egne punkter på dagsordenen"), required=False, max_length=AGENDA_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Dagsordenen lages av planens åpne oppgaver og endringene siden forrige "
                    "møte, med bare det alle de inviterte kan se. Punktene dine kommer etter, og "
                    "du kan endre alt etterpå."))
    agenda = forms.CharField(
        label=_("Dagsorden"), required=False, max_length=AGENDA_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Alle de inviterte fra teamet ser dagsordenen. Har du invitert flere, bør "
                    "du lage den på nytt."))
    redraw_agenda = forms.BooleanField(
        label=_("Lag dagsordenen på nytt fra planen"), required=False,
        help_text=_("Erstatter teksten over med åpne oppgaver og endringer, tilpasset dem som "
                    "nå er invitert."))

    def __init__(self, *args: Any, invitees: Invitees, editing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitees = invitees
        self.fields["team"].choices = [(str(m.pk), member_label(m)) for m in invitees.team]
        self.fields["family"].choices = [
            (YOUNG_PERSON, _("%(name)s (den unge)") % {"name": invitees.person.full_name}),
            *((str(g.pk), f"{g} ({g.get_relation_display().lower()})"
               + (" – " + str(_("trenger tolk")) if g.interpreter_needed else ""))
              for g in invitees.guardians)]
        if invitees.guardians_left_out:
            self.fields["family"].help_text = invitees.guardians_left_out
        if editing:
            del self.fields["agenda_extra"]
        else:
            del self.fields["agenda"], self.fields["redraw_agenda"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, time = data.get("date"), data.get("time")
        if day and time:
            data["starts_at"] = dt.datetime.combine(day, time, tzinfo=clock.OSLO)
        if data.get("interpreter_needed") is False:
            data["interpreter_language"] = ""
        return data

    def invite(self) -> Invite:
        data = self.cleaned_data
        return Invite(
            team_member_ids=[uuid.UUID(v) for v in data["team"]],
            young_person=YOUNG_PERSON in data["family"],
            guardian_ids=[uuid.UUID(v) for v in data["family"] if v != YOUNG_PERSON],
            others=[line for line in data["others"].splitlines() if line.strip()],
        )


ATTENDANCE_CHOICES = [("", _("Ikke registrert")), ("ja", _("Møtte")), ("nei", _("Møtte ikke"))]


def participant_label(participant: MeetingParticipant) -> str:
    what = participant.agency.name if participant.agency else participant.get_kind_display()
    return f"{participant.name} ({what})" if participant.name else what


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Referat"), max_length=MINUTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Alle i teamet leser referatet. Skriv ikke opplysninger fra tjenester som "
                    "ikke alle i teamet har tilgang til."),
        error_messages={"required": _("Skriv referatet.")})

    def __init__(self, *args: Any, participants: Sequence[MeetingParticipant],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = list(participants)
        for p in self.participants:
            self.fields[self.attendance_name(p)] = forms.ChoiceField(
                label=participant_label(p), required=False,
                choices=ATTENDANCE_CHOICES,
                initial="ja" if p.attended is True else "nei" if p.attended is False else "",
                error_messages={"invalid_choice": _("Velg møtte eller møtte ikke.")})

    @staticmethod
    def attendance_name(participant: MeetingParticipant) -> str:
        return f"oppmote_{participant.pk}"

    def attendance_fields(self) -> list[tuple[MeetingParticipant, forms.BoundField]]:
        return [(p, self[self.attendance_name(p)]) for p in self.participants]

    def attendance(self) -> dict[uuid.UUID, bool | None]:
        values = {"ja": True, "nei": False, "": None}
        return {p.pk: values[self.cleaned_data[self.attendance_name(p)]]
                for p in self.participants}


def responsible_choices(team: Sequence[TeamMember]) -> list[tuple[str, Any]]:
    """«No task», then per agency on the team: the agency itself, or a named person there."""
    groups: dict[uuid.UUID, tuple[Agency, list[TeamMember]]] = {}
    for member in team:
        groups.setdefault(member.agency_id, (member.agency, []))[1].append(member)
    choices: list[tuple[str, Any]] = [("", _("Ingen oppgave"))]
    for agency, members in sorted(groups.values(), key=lambda g: g[0].name):
        options = [(str(agency.pk), _("%(agency)s (virksomheten)") % {"agency": agency.name})]
        options += [(f"{agency.pk}:{m.user_id}",
                     f"{m.user.get_full_name() or m.user.username}, {agency.name}")
                    for m in members]
        choices.append((agency.name, options))
    return choices


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Beslutning"), max_length=DECISION_MAX_LENGTH, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.ChoiceField(
        label=_("Oppgave til"), required=False,
        help_text=_("Velg hvem som skal gjøre noe, så blir beslutningen en oppgave i planen."),
        error_messages={"invalid_choice": _("Velg en ansvarlig fra teamet i listen.")})
    task_title = forms.CharField(
        label=_("Oppgavens tittel"), max_length=TITLE_MAX_LENGTH, required=False,
        help_text=_("Tom: beslutningen er tittelen."))
    due_on = forms.DateField(label=_("Frist"), required=False, widget=DATE_WIDGET,
                             error_messages={"invalid": _("Skriv en gyldig dato.")})

    def __init__(self, *args: Any, team: Sequence[TeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = list(team)
        self.fields["responsible"].choices = responsible_choices(self.team)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("text", "").strip() and (data.get("responsible") or data.get("due_on")
                                                 or data.get("task_title")):
            self.add_error("text", _("Skriv hva som ble bestemt."))
        if not data.get("responsible") and (data.get("due_on") or data.get("task_title")):
            self.add_error("responsible", _("Velg hvem som skal gjøre oppgaven."))
        return data

    def decision(self) -> DecisionInput | None:
        data = self.cleaned_data
        if not data.get("text", "").strip():
            return None
        agency: Agency | None = None
        assignee: User | None = None
        if data["responsible"]:
            agency_id, _sep, user_id = data["responsible"].partition(":")
            for member in self.team:
                if str(member.agency_id) == agency_id:
                    agency = member.agency
                    if user_id and str(member.user_id) == user_id:
                        assignee = member.user
        return DecisionInput(text=data["text"], task_title=data["task_title"], agency=agency,
                             assignee=assignee, due_on=data["due_on"])


DECISION_PREFIX = "beslutning"
DECISION_FIELDS = ("text", "responsible", "task_title", "due_on")
DecisionFormSet = formset_factory(DecisionForm, extra=0, max_num=30, absolute_max=30)
BLANK_DECISIONS = 3


def decision_rows(data: Any, *, more: int = 1) -> list[dict[str, str]]:
    """The decision rows as typed, and `more` empty ones: for showing the form again with another
    line without judging what is half written."""
    try:
        total = min(int(data.get(f"{DECISION_PREFIX}-TOTAL_FORMS", 0)), 30 - more)
    except ValueError:
        total = 0
    rows = [{name: data.get(f"{DECISION_PREFIX}-{i}-{name}", "") for name in DECISION_FIELDS}
            for i in range(max(total, 0))]
    return rows + [{} for _i in range(more)]
