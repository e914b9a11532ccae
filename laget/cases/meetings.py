"""Team meetings of a SaLTo case: the coordinator schedules one (time, place, invitees, an
interpreter if needed, the agenda drawn from the plan), changes or cancels it, and writes the
minutes afterwards with attendance and decisions — a decision that asks someone to do something
becomes a task of the plan in the same transaction. Atomic and audited; invitees on the team are
told through the notification outbox (laget.notify), and reminded the day before.

Messages never carry personal data: a time and a link to the meeting, nothing about the person,
the place or the agenda."""

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, User
from laget.audit.actions import Action
from laget.audit.services import audit_record
from laget.cases.access import may_coordinate
from laget.cases.models import (
    Meeting,
    MeetingDecision,
    MeetingParticipant,
    MeetingStatus,
    ParticipantKind,
    Task,
)
from laget.cases.plan import TITLE_MAX_LENGTH, task_create
from laget.cases.selectors_meetings import (
    PURPOSE,
    actor_for,
    agenda_draft,
    day_bounds,
    interpreter_default,
    invitable_guardians,
    last_held_meeting,
    visible_agency_ids,
)
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify.services import notify_user
from laget.people.models import Language
from laget.records.models import OPEN_STATUSES, Case, TeamMember
from laget.records.services import case_require_open
from laget.sharing.selectors import team_for

PLACE_MAX_LENGTH = 200
NAME_MAX_LENGTH = 200
MAX_OTHERS = 20
AGENDA_MAX_LENGTH = 10_000
MINUTES_MAX_LENGTH = 20_000
DECISION_MAX_LENGTH = 500
MAX_DECISIONS = 30
#: How far ahead a meeting may be scheduled.
MAX_AHEAD = dt.timedelta(days=366)


@dataclass(frozen=True)
class Invite:
    """Whom the coordinator invites: members of the team (TeamMember ids, from the team as the
    coordinator sees it), the young person, guardians (ids) and others by name."""

    team_member_ids: Sequence[uuid.UUID] = ()
    young_person: bool = False
    guardian_ids: Sequence[uuid.UUID] = ()
    others: Sequence[str] = ()


@dataclass(frozen=True)
class DecisionInput:
    """One decision of the minutes. With an agency it becomes a task of the plan: `task_title`
    (or the decision's text), the agency on the team, a person there, and a due date."""

    text: str
    task_title: str = ""
    agency: Agency | None = None
    assignee: User | None = None
    due_on: dt.date | None = None


@dataclass
class _Wanted:
    kind: str
    user: User | None = None
    agency: Agency | None = None
    guardian_id: uuid.UUID | None = None
    name: str = ""

    @property
    def key(self) -> tuple[object, ...]:
        return (self.kind, getattr(self.user, "pk", None), getattr(self.agency, "pk", None),
                self.guardian_id, self.name if self.kind == ParticipantKind.OTHER else "")


def _key(p: MeetingParticipant) -> tuple[object, ...]:
    return (p.kind, p.user_id, p.agency_id, p.guardian_id,
            p.name if p.kind == ParticipantKind.OTHER else "")


@dataclass
class _Sync:
    added: list[MeetingParticipant] = field(default_factory=list)
    kept: list[MeetingParticipant] = field(default_factory=list)
    removed: list[MeetingParticipant] = field(default_factory=list)


# --- checks --------------------------------------------------------------------------------------

def _require_coordinator(actor: Actor, case: Case) -> None:
    if not may_coordinate(actor, case):
        raise DomainError(_("Bare SaLTo-koordinatoren eller lederen i sakens bydel kan planlegge "
                            "og endre møter."), code="not_coordinator")


def _check_time(starts_at: dt.datetime) -> None:
    if starts_at.tzinfo is None:
        raise DomainError(_("Ugyldig tidspunkt."), code="time")
    now = clock.now()
    if starts_at <= now:
        raise DomainError(_("Møtet kan ikke være tilbake i tid."), code="time_past")
    if starts_at > now + MAX_AHEAD:
        raise DomainError(_("Møtet kan være høyst ett år fram i tid."), code="time_far")


def _clean_place(place: str) -> str:
    place = (place or "").strip()
    if len(place) > PLACE_MAX_LENGTH:
        raise DomainError(_("Stedet kan være høyst %(n)s tegn.") % {"n": PLACE_MAX_LENGTH},
                          code="place")
    return place


def _interpreter(
    *, case: Case, needed: bool, language: str, guardian_ids: Sequence[uuid.UUID],
) -> tuple[bool, str]:
    """The interpreter's language, defaulting from the young person's and guardians' need."""
    if not needed:
        return False, ""
    language = (language or "").strip()
    if not language:
        guardians = case.person.guardians.filter(pk__in=list(guardian_ids))
        _default, language = interpreter_default(person=case.person, guardians=guardians)
    if not language:
        raise DomainError(_("Velg språk for tolken."), code="interpreter_language")
    if language not in Language.values:
        raise DomainError(_("Ukjent tolkespråk."), code="interpreter_language")
    return True, language


def _wanted(*, actor: Actor, case: Case, invite: Invite, day: dt.date,
            interpreter: bool) -> list[_Wanted]:
    """The invitees as participant rows, each checked: team members from the team as the actor
    sees it, guardians who may be invited on the meeting day, names that are names."""
    team = {m.pk: m for m in team_for(actor=actor, case=case, purpose=PURPOSE)}
    wanted: list[_Wanted] = []
    for member_id in dict.fromkeys(invite.team_member_ids):
        member = team.get(member_id)
        if member is None:
            raise DomainError(_("En av deltakerne er ikke med i teamet."), code="not_on_team")
        wanted.append(_Wanted(ParticipantKind.TEAM, user=member.user, agency=member.agency,
                              name=member.user.get_full_name() or member.user.username))
    if invite.young_person:
        wanted.append(_Wanted(ParticipantKind.YOUNG_PERSON, name=case.person.full_name))
    if invite.guardian_ids:
        guardians, why = invitable_guardians(person=case.person, on=day)
        allowed = {g.pk: g for g in guardians}
        for guardian_id in dict.fromkeys(invite.guardian_ids):
            guardian = allowed.get(guardian_id)
            if guardian is None:
                raise DomainError(why or _("Denne foresatte kan ikke inviteres."),
                                  code="guardian")
            wanted.append(_Wanted(ParticipantKind.GUARDIAN, guardian_id=guardian.pk,
                                  name=str(guardian)))
    others = [" ".join(name.split()) for name in invite.others]
    others = list(dict.fromkeys(name for name in others if name))
    if len(others) > MAX_OTHERS:
        raise DomainError(_("Høyst %(n)s andre deltakere.") % {"n": MAX_OTHERS}, code="others")
    for name in others:
        if len(name) > NAME_MAX_LENGTH:
            raise DomainError(_("Et navn kan være høyst %(n)s tegn.") % {"n": NAME_MAX_LENGTH},
                              code="others")
        wanted.append(_Wanted(ParticipantKind.OTHER, name=name))
    if interpreter:
        wanted.append(_Wanted(ParticipantKind.INTERPRETER))
    if not any(w.kind != ParticipantKind.INTERPRETER for w in wanted):
        raise DomainError(_("Inviter minst én deltaker."), code="no_participants")
    return wanted


def _sync(meeting: Meeting, wanted: list[_Wanted]) -> _Sync:
    """Make the meeting's participant rows those wanted, keeping rows that stay."""
    result = _Sync()
    existing = {_key(p): p for p in meeting.participants.all()}
    wanted_keys = set()
    for want in wanted:
        wanted_keys.add(want.key)
        row = existing.get(want.key)
        if row is not None:
            result.kept.append(row)
            continue
        result.added.append(MeetingParticipant.objects.create(
            meeting=meeting, kind=want.kind, user=want.user, agency=want.agency,
            guardian_id=want.guardian_id, name=want.name))
    for key, row in existing.items():
        if key not in wanted_keys:
            result.removed.append(row)
    if result.removed:
        MeetingParticipant.objects.filter(pk__in=[p.pk for p in result.removed]).delete()
    return result


def _viewers(meeting: Meeting, actor: Actor) -> tuple[list[Actor], bool]:
    """Those the agenda must suit: the staff invitees (acting in a case role for their agency)
    and the one drawing it up; and whether anyone from outside the team is invited."""
    viewers = [actor]
    outsiders = False
    for p in meeting.participants.select_related("user", "agency"):
        if p.kind == ParticipantKind.TEAM and p.user is not None and p.agency is not None:
            viewer = actor_for(p.user, p.agency)
            if viewer is not None:
                viewers.append(viewer)
        elif p.kind != ParticipantKind.INTERPRETER:
            outsiders = True
    return viewers, outsiders


def _draw_agenda(meeting: Meeting, actor: Actor, extra: str = "") -> str:
    viewers, outsiders = _viewers(meeting, actor)
    last = last_held_meeting(case=meeting.case, before=meeting.starts_at)
    agenda = agenda_draft(case=meeting.case, viewers=viewers, outsiders=outsiders,
                          since=last.starts_at if last else None)
    extra = (extra or "").strip()
    if extra:  # the coordinator's points under «Eventuelt», in place of the empty one
        agenda = f"{agenda.removesuffix('- ')}{extra}"
    if len(agenda) > AGENDA_MAX_LENGTH:
        raise DomainError(_("Dagsordenen kan være høyst %(n)s tegn.") % {"n": AGENDA_MAX_LENGTH},
                          code="agenda")
    return agenda


# --- notifications -------------------------------------------------------------------------------

def _when(meeting: Meeting) -> dict[str, str]:
    local = meeting.starts_at.astimezone(clock.OSLO)
    return {"date": formats.date_format(local.date(), "SHORT_DATE_FORMAT"),
            "time": local.strftime("%H:%M")}


def _link(meeting: Meeting) -> str:
    return reverse("web:meeting_detail",
                   kwargs={"case_id": meeting.case_id, "meeting_id": meeting.pk})


def _staff(rows: Sequence[MeetingParticipant], actor: Actor | None) -> list[MeetingParticipant]:
    return [p for p in rows if p.kind == ParticipantKind.TEAM and p.user_id is not None
            and (actor is None or p.user_id != actor.user.pk)]


def _notify(rows: Sequence[MeetingParticipant], meeting: Meeting, *, key: str, subject: str,
            body: str, actor: Actor | None) -> int:
    """One message per staff invitee (not the one who made the change). `key`, `subject` and
    `body` are formatted with the participant's id and the meeting's date and time."""
    sent = 0
    for p in _staff(rows, actor):
        assert p.user is not None
        message = notify_user(user=p.user, key=key.format(p=p.pk, m=meeting.pk, u=p.user_id),
                              subject=subject % _when(meeting), body=body % _when(meeting),
                              link=_link(meeting))
        sent += message is not None
    return sent


def _language() -> translation.override:
    # Staff messages are written in bokmål, Laget's language (the recipient's own choice of
    # language lives in their session, not with the message).
    return translation.override(settings.LANGUAGE_CODE)


def _notify_invited(rows: Sequence[MeetingParticipant], meeting: Meeting, actor: Actor) -> None:
    with _language():
        _notify(rows, meeting, key="meeting-invite:{p}", actor=actor,
                subject=_("Invitasjon til teammøte %(date)s kl. %(time)s"),
                body=_("Du er invitert til et teammøte i en SaLTo-sak %(date)s kl. %(time)s. "
                       "Sted, deltakere og dagsorden står i Laget."))


# --- schedule, change, cancel --------------------------------------------------------------------

@transaction.atomic
def meeting_schedule(
    *, actor: Actor, case: Case, starts_at: dt.datetime, place: str, invite: Invite,
    interpreter_needed: bool = False, interpreter_language: str = "", agenda_extra: str = "",
) -> Meeting:
    """Schedule a team meeting. The agenda is drawn up from the plan for these invitees (see
    selectors_meetings.agenda_draft), with the coordinator's own points after it."""
    _require_coordinator(actor, case)
    case_require_open(case)
    _check_time(starts_at)
    place = _clean_place(place)
    needed, language = _interpreter(case=case, needed=interpreter_needed,
                                    language=interpreter_language,
                                    guardian_ids=invite.guardian_ids)
    day = starts_at.astimezone(clock.OSLO).date()
    wanted = _wanted(actor=actor, case=case, invite=invite, day=day, interpreter=needed)
    meeting = Meeting.objects.create(case=case, starts_at=starts_at, place=place,
                                     interpreter_needed=needed, interpreter_language=language,
                                     created_by=actor.user)
    synced = _sync(meeting, wanted)
    meeting.agenda = _draw_agenda(meeting, actor, agenda_extra)
    meeting.save(update_fields=["agenda"])
    _notify_invited(synced.added, meeting, actor)
    audit_record(action=Action.MEETING_CHANGE, actor=actor, obj=meeting, persons=[case.person_id],
                 purpose=PURPOSE, details={"op": "schedule", "participants": len(wanted)})
    return meeting


def _lock_planned(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if locked is None:
        raise DomainError(_("Møtet finnes ikke."), code="not_found")
    if locked.status != MeetingStatus.PLANNED:
        raise DomainError(_("Møtet er %(status)s og kan ikke endres.")
                          % {"status": locked.get_status_display().lower()}, code="status")
    locked.case = meeting.case
    return locked


@transaction.atomic
def meeting_update(
    *, actor: Actor, meeting: Meeting, starts_at: dt.datetime, place: str, invite: Invite,
    interpreter_needed: bool, interpreter_language: str, agenda: str, redraw_agenda: bool = False,
) -> Meeting:
    """Change a planned meeting: time, place, invitees, interpreter, agenda (as edited, or drawn
    up again for the new invitees). New invitees are invited; those no longer invited, and, when
    the time or place changed, those who stay, are told."""
    case = meeting.case
    _require_coordinator(actor, case)
    case_require_open(case)
    locked = _lock_planned(meeting)
    if starts_at != locked.starts_at:
        _check_time(starts_at)
    place = _clean_place(place)
    needed, language = _interpreter(case=case, needed=interpreter_needed,
                                    language=interpreter_language,
                                    guardian_ids=invite.guardian_ids)
    day = starts_at.astimezone(clock.OSLO).date()
    wanted = _wanted(actor=actor, case=case, invite=invite, day=day, interpreter=needed)
    # Invitees from an agency the actor may not know is on the team were not in their form:
    # they stay invited.
    known = visible_agency_ids(actor=actor, case=case)
    wanted += [_Wanted(p.kind, user=p.user, agency=p.agency, name=p.name)
               for p in locked.participants.select_related("user", "agency")
               if p.agency_id is not None and p.agency_id not in known]
    moved = (starts_at, place) != (locked.starts_at, locked.place)
    locked.starts_at, locked.place = starts_at, place
    locked.interpreter_needed, locked.interpreter_language = needed, language
    synced = _sync(locked, wanted)
    if redraw_agenda:
        locked.agenda = _draw_agenda(locked, actor)
    else:
        agenda = (agenda or "").strip()
        if len(agenda) > AGENDA_MAX_LENGTH:
            raise DomainError(_("Dagsordenen kan være høyst %(n)s tegn.")
                              % {"n": AGENDA_MAX_LENGTH}, code="agenda")
        locked.agenda = agenda
    locked.updated_at = clock.now()
    locked.save(update_fields=["starts_at", "place", "interpreter_needed",
                               "interpreter_language", "agenda", "updated_at"])
    _notify_invited(synced.added, locked, actor)
    stamp = locked.updated_at.strftime("%Y%m%d%H%M%S%f")
    with _language():
        _notify(synced.removed, locked, key="meeting-removed:{p}", actor=actor,
                subject=_("Du er ikke lenger invitert til teammøtet %(date)s"),
                body=_("Koordinatoren har endret deltakerne på teammøtet %(date)s kl. %(time)s. "
                       "Du er ikke lenger invitert."))
        if moved:
            _notify(synced.kept, locked, key="meeting-change:{p}:" + stamp, actor=actor,
                    subject=_("Teammøtet er endret: %(date)s kl. %(time)s"),
                    body=_("Tid eller sted for et teammøte du er invitert til, er endret. Møtet "
                           "er nå %(date)s kl. %(time)s. Se detaljene i Laget."))
    audit_record(action=Action.MEETING_CHANGE, actor=actor, obj=locked, persons=[case.person_id],
                 purpose=PURPOSE, details={
                     "op": "update", "moved": moved, "added": len(synced.added),
                     "removed": len(synced.removed), "agenda_redrawn": redraw_agenda})
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Cancel a planned meeting and tell the staff invitees."""
    case = meeting.case
    _require_coordinator(actor, case)
    case_require_open(case)
    locked = _lock_planned(meeting)
    locked.status = MeetingStatus.CANCELLED
    locked.updated_at = clock.now()
    locked.save(update_fields=["status", "updated_at"])
    with _language():
        _notify(list(locked.participants.all()), locked, key="meeting-cancel:{p}", actor=actor,
                subject=_("Teammøtet %(date)s er avlyst"),
                body=_("Teammøtet %(date)s kl. %(time)s i en SaLTo-sak er avlyst."))
    audit_record(action=Action.MEETING_CHANGE, actor=actor, obj=locked, persons=[case.person_id],
                 purpose=PURPOSE, details={"op": "cancel"})
    meeting.refresh_from_db()
    return meeting


# --- minutes -------------------------------------------------------------------------------------

def _decision_task(actor: Actor, case: Case, number: int, decision: DecisionInput,
                   text: str) -> Task | None:
    if decision.agency is None:
        if decision.assignee is not None or decision.due_on is not None or decision.task_title:
            raise DomainError(_("Beslutning %(n)s: velg hvilken virksomhet som skal gjøre "
                                "oppgaven.") % {"n": number}, code="agency")
        return None
    title = (decision.task_title or "").strip() or text[:TITLE_MAX_LENGTH]
    try:
        return task_create(actor=actor, case=case, title=title, agency=decision.agency,
                           assignee=decision.assignee, due_on=decision.due_on)
    except DomainError as error:
        raise DomainError(_("Beslutning %(n)s: %(error)s") % {"n": number,
                                                              "error": error.message},
                          code=error.code) from None


@transaction.atomic
def meeting_minutes_record(
    *, actor: Actor, meeting: Meeting, minutes: str, attendance: Mapping[uuid.UUID, bool | None],
    decisions: Sequence[DecisionInput] = (),
) -> Meeting:
    """Write the minutes of a meeting that has begun: the text, who came, and the decisions. A
    decision with an agency becomes a task of the plan (plan.task_create) in this transaction:
    if any part is refused — an agency not on the team, a due date in the past — nothing is
    written. Once held, the minutes may be corrected and decisions added; earlier decisions
    stay as they are."""
    case = meeting.case
    _require_coordinator(actor, case)
    case_require_open(case)
    locked = Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if locked is None:
        raise DomainError(_("Møtet finnes ikke."), code="not_found")
    if locked.status == MeetingStatus.CANCELLED:
        raise DomainError(_("Møtet er avlyst og har ikke referat."), code="status")
    if locked.starts_at > clock.now():
        raise DomainError(_("Referatet kan skrives når møtet har begynt."), code="not_started")
    minutes = (minutes or "").strip()
    if not minutes:
        raise DomainError(_("Skriv referatet."), code="minutes")
    if len(minutes) > MINUTES_MAX_LENGTH:
        raise DomainError(_("Referatet kan være høyst %(n)s tegn.")
                          % {"n": MINUTES_MAX_LENGTH}, code="minutes")
    participants = {p.pk: p for p in locked.participants.all()}
    unknown = set(attendance) - set(participants)
    if unknown:
        raise DomainError(_("Oppmøte er registrert for noen som ikke er invitert."),
                          code="attendance")
    if len(decisions) > MAX_DECISIONS:
        raise DomainError(_("Høyst %(n)s beslutninger om gangen.") % {"n": MAX_DECISIONS},
                          code="decisions")
    existing = locked.decisions.count()
    tasks = 0
    for number, decision in enumerate(decisions, start=existing + 1):
        text = " ".join((decision.text or "").split())
        if not text:
            raise DomainError(_("Beslutning %(n)s: skriv hva som ble bestemt.") % {"n": number},
                              code="decision")
        if len(text) > DECISION_MAX_LENGTH:
            raise DomainError(_("Beslutning %(n)s kan være høyst %(max)s tegn.")
                              % {"n": number, "max": DECISION_MAX_LENGTH}, code="decision")
        made = _decision_task(actor, case, number, decision, text)
        tasks += made is not None
        # in the order given, also when the clock stands still (tests)
        MeetingDecision.objects.create(
            meeting=locked, text=text, task=made,
            created_at=clock.now() + dt.timedelta(microseconds=number))
    changed = [p for pk, p in participants.items()
               if pk in attendance and p.attended != attendance[pk]]
    for p in changed:
        p.attended = attendance[p.pk]
        p.updated_at = clock.now()
    MeetingParticipant.objects.bulk_update(changed, ["attended", "updated_at"])
    op = "amend" if locked.status == MeetingStatus.HELD else "record"
    now = clock.now()
    locked.status = MeetingStatus.HELD
    locked.minutes, locked.minutes_by, locked.minutes_at, locked.updated_at = (
        minutes, actor.user, now, now)
    locked.save(update_fields=["status", "minutes", "minutes_by", "minutes_at", "updated_at"])
    audit_record(action=Action.MEETING_MINUTES, actor=actor, obj=locked,
                 persons=[case.person_id], purpose=PURPOSE,
                 details={"op": op, "decisions": len(decisions), "tasks": tasks,
                          "attendance": len(attendance)})
    meeting.refresh_from_db()
    return meeting


# --- the reminder the day before -----------------------------------------------------------------

@transaction.atomic
def meeting_reminders_send(*, on: dt.date | None = None) -> int:
    """Remind the staff invitees of tomorrow's planned meetings (Oslo days) on open cases, once
    per invitee and meeting however often it runs; someone who has left the team is not
    reminded. Returns the number of messages queued."""
    day = on or clock.today()
    start, end = day_bounds(day + dt.timedelta(days=1))
    rows = list(
        MeetingParticipant.objects.filter(
            kind=ParticipantKind.TEAM, user__isnull=False, meeting__status=MeetingStatus.PLANNED,
            meeting__starts_at__gte=start, meeting__starts_at__lt=end,
            meeting__case__status__in=sorted(OPEN_STATUSES),
        ).select_related("user", "meeting")
    )
    on_team = set(TeamMember.objects.active(day).filter(
        case_id__in={p.meeting.case_id for p in rows}).values_list("case_id", "user_id",
                                                                  "agency_id"))
    sent = 0
    with _language():
        for p in rows:
            if (p.meeting.case_id, p.user_id, p.agency_id) not in on_team:
                continue
            sent += _notify([p], p.meeting, key="meeting-reminder:{p}:" + str(day), actor=None,
                            subject=_("Påminnelse: teammøte i morgen kl. %(time)s"),
                            body=_("Du er invitert til et teammøte i en SaLTo-sak i morgen, "
                                   "%(date)s kl. %(time)s. Sted og dagsorden står i Laget."))
    return sent


@task
def meeting_reminders() -> int:
    """Periodic (settings.LAGET_PERIODIC_TASKS, every hour): tomorrow's meetings, reminded once,
    from LAGET_NOTIFY_REMINDER_HOUR (Oslo time) like the other daily reminders."""
    if clock.now().astimezone(clock.OSLO).hour < settings.LAGET_NOTIFY_REMINDER_HOUR:
        return 0
    return meeting_reminders_send()
