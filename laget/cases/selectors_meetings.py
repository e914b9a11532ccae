"""Reads of a case's team meetings: the next one for the case page, a case's meetings, one meeting,
the meetings of the week for the coordinator's desk, whom a meeting may invite, and the draft
agenda. The case itself is opened through laget.sharing.selectors (which audits the read).

A barnevern or health agency on the team is itself confidential (records.vocabulary
AGENCY_TYPE_REVEALS): a participant, a decision or an agenda line that would name one is shown only
to those the sharing rules give a basis, exactly as the team list (`sharing.selectors.team_for`)."""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, Membership, Role, User
from laget.audit.actions import Purpose
from laget.cases.access import known_agency_ids, may_coordinate, may_see_workflow
from laget.cases.models import (
    CaseStatusChange,
    Concern,
    ConcernStatus,
    Meeting,
    MeetingDecision,
    MeetingParticipant,
    MeetingStatus,
    ParticipantKind,
    Task,
    TaskStatus,
)
from laget.core import clock
from laget.core.errors import NotFound
from laget.people.models import Guardian, Language, Person
from laget.records.models import OPEN_STATUSES, Case, CaseStatus, TeamMember
from laget.records.services import CASE_ROLES, is_district_coordinator
from laget.records.vocabulary import AGENCY_TYPE_REVEALS
from laget.sharing.selectors import team_for

#: Meetings are part of the team's coordinated prevention (the case page reads for it too).
PURPOSE = Purpose.FOREBYGGING
#: Guardians are not invited once the young person is an adult.
ADULT_AGE = 18


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants an Oslo calendar day starts and ends (23 or 25 hours at the clock changes)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=clock.OSLO)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=clock.OSLO)
    return start, end


def language_label(code: str) -> str:
    """The interpreter language's name (the meeting stores its code)."""
    return str(dict(Language.choices).get(code, code)) if code else ""


# --- who may see what ----------------------------------------------------------------------------

def is_confidential(agency: Agency) -> bool:
    return agency.type in AGENCY_TYPE_REVEALS


def visible_agency_ids(*, actor: Actor, case: Case) -> set[uuid.UUID]:
    """The agencies whose involvement in the case the actor may know (laget.cases.access)."""
    return known_agency_ids(actor, case, PURPOSE)


def _shown(agency: Agency | None, visible: set[uuid.UUID]) -> bool:
    return agency is None or agency.pk in visible


def actor_for(user: User, agency: Agency) -> Actor | None:
    """The user acting for the agency in a case role today, if they still have one."""
    membership = (
        Membership.objects.active().filter(user=user, agency=agency, role__in=CASE_ROLES)
        .select_related("agency").order_by("role").first()
    )
    return Actor(user, membership) if membership else None


# --- the case page and the desk ------------------------------------------------------------------

@dataclass(frozen=True)
class MeetingPanel:
    """The case page's «Neste møte»: the next planned meeting and what the actor may do."""

    next: Meeting | None
    #: the next meeting's interpreter language by name
    language: str
    may_schedule: bool
    #: meetings held that still lack minutes (the coordinator's reminder)
    without_minutes: int


def meeting_panel_for(*, actor: Actor, case: Case) -> MeetingPanel | None:
    """None when the actor does not see the case's workflow (the panel is then left out)."""
    if not may_see_workflow(actor, case):
        return None
    coordinator = may_coordinate(actor, case)
    missing = 0
    if coordinator:
        missing = Meeting.objects.filter(case=case, status=MeetingStatus.PLANNED,
                                         starts_at__lt=clock.now()).count()
    upcoming = meeting_next_for(actor=actor, case=case)
    return MeetingPanel(next=upcoming,
                        language=language_label(upcoming.interpreter_language) if upcoming else "",
                        may_schedule=coordinator and case.is_open, without_minutes=missing)


def meeting_next_for(*, actor: Actor, case: Case) -> Meeting | None:
    """The case's next planned meeting (one earlier today still counts), if the actor sees the
    case's workflow."""
    if not may_see_workflow(actor, case):
        return None
    start, _end = day_bounds(clock.today())
    return (Meeting.objects.filter(case=case, status=MeetingStatus.PLANNED, starts_at__gte=start)
            .order_by("starts_at", "id").first())


def meeting_list_for(*, actor: Actor, case: Case) -> list[Meeting]:
    """The case's meetings, the latest first."""
    if not may_see_workflow(actor, case):
        return []
    return list(Meeting.objects.filter(case=case).order_by("-starts_at", "-id"))


def meeting_get_for(*, actor: Actor, case: Case, meeting_id: uuid.UUID | str) -> Meeting:
    if not may_see_workflow(actor, case):
        raise NotFound()
    meeting = (Meeting.objects.filter(case=case, pk=meeting_id)
               .select_related("case__person", "case__district", "minutes_by", "created_by")
               .first())
    if meeting is None:
        raise NotFound()
    return meeting


def meetings_this_week_for(*, actor: Actor, on: dt.date | None = None) -> list[Meeting]:
    """This week's (Monday to Sunday, Oslo) planned and held meetings for the coordinator's desk:
    the bydel's open cases for its coordinator or leader, and for anyone the meetings they are
    invited to on a case whose team they are on. Each with `case_id`, the case and its person."""
    if actor.membership is None or actor.role not in CASE_ROLES:
        return []
    day = on or clock.today()
    monday = day - dt.timedelta(days=day.weekday())
    start, _ = day_bounds(monday)
    end, _ = day_bounds(monday + dt.timedelta(days=7))
    agency = actor.membership.agency
    mine = Q(pk__in=MeetingParticipant.objects.filter(
        kind=ParticipantKind.TEAM, user_id=actor.user.pk, agency_id=agency.pk,
        meeting__case__in=TeamMember.objects.active(day).filter(
            user_id=actor.user.pk, agency_id=agency.pk).values("case_id"),
    ).values("meeting_id"))
    if is_district_coordinator(actor, agency.district_id or ""):
        # the coordinator: every meeting of the cases they coordinate; the leader: the bydel's
        my_cases = TeamMember.objects.active(day).filter(user_id=actor.user.pk,
                                                         agency_id=agency.pk).values("case_id")
        mine |= (Q(case__district_id=agency.district_id) if actor.role == Role.LEADER
                 else Q(case__district_id=agency.district_id, case_id__in=my_cases))
    return list(
        Meeting.objects.filter(mine, starts_at__gte=start, starts_at__lt=end,
                               status__in=[MeetingStatus.PLANNED, MeetingStatus.HELD],
                               case__status__in=sorted(OPEN_STATUSES))
        .select_related("case__person", "case__district")
        .defer("case__district__boundary")
        .order_by("starts_at", "id")
    )


# --- one meeting as the actor may see it ---------------------------------------------------------

def participants_for(*, actor: Actor, meeting: Meeting) -> list[MeetingParticipant]:
    """The invitees, leaving out anyone whose agency the actor may not know is on the team."""
    visible = visible_agency_ids(actor=actor, case=meeting.case)
    rows = meeting.participants.select_related("user", "agency", "guardian").order_by(
        "kind", "name", "id")
    order = list(ParticipantKind.values)
    return sorted((p for p in rows if _shown(p.agency, visible)),
                  key=lambda p: (order.index(p.kind), p.name.lower()))


def decisions_for(*, actor: Actor, meeting: Meeting) -> list[MeetingDecision]:
    """The decisions, leaving out those whose task went to an agency the actor may not know of."""
    visible = visible_agency_ids(actor=actor, case=meeting.case)
    rows = meeting.decisions.select_related("task__agency", "task__assignee").order_by(
        "created_at", "id")
    return [d for d in rows if d.task is None or _shown(d.task.agency, visible)]


# --- whom to invite ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Invitees:
    """Whom the actor may invite: the team as they see it, the young person, and the guardians
    who may be invited (`guardians_left_out` says why some or all are not offered)."""

    team: list[TeamMember]
    person: Person
    guardians: list[Guardian]
    guardians_left_out: str


def invitable_guardians(*, person: Person, on: dt.date) -> tuple[list[Guardian], str]:
    """Guardians may be invited while the young person is under 18 on the meeting day, except one
    with restricted contact (a restraining order, a protected address): the system never contacts
    them about the young person."""
    if person.age_on(on) >= ADULT_AGE:
        return [], _("Den unge er 18 år eller eldre på møtedagen: foresatte inviteres ikke.")
    guardians = list(person.guardians.order_by("family_name", "given_name", "id"))
    restricted = [g for g in guardians if g.restricted_contact]
    note = ""
    if restricted:
        note = ngettext(
            "%(n)s foresatt med begrenset kontakt kan ikke inviteres.",
            "%(n)s foresatte med begrenset kontakt kan ikke inviteres.",
            len(restricted)) % {"n": len(restricted)}
    return [g for g in guardians if not g.restricted_contact], note


def team_choices_for(*, actor: Actor, case: Case) -> list[TeamMember]:
    """The current team as the actor may see it, by agency and name: whom they may invite or
    give a decision's task to."""
    return sorted(team_for(actor=actor, case=case, purpose=PURPOSE),
                  key=lambda m: (m.agency.name, m.user.get_full_name()))


def invitees_for(*, actor: Actor, case: Case, on: dt.date) -> Invitees:
    guardians, note = invitable_guardians(person=case.person, on=on)
    return Invitees(team=team_choices_for(actor=actor, case=case), person=case.person,
                    guardians=guardians, guardians_left_out=note)


def interpreter_default(*, person: Person, guardians: Iterable[Guardian]) -> tuple[bool, str]:
    """Whether an interpreter is needed and in which language, from the young person's and the
    guardians' recorded need: the young person's interpreter language first, else the preferred
    language of the first guardian who needs one."""
    if person.interpreter_needed and person.interpreter_language:
        return True, person.interpreter_language
    for guardian in guardians:
        if guardian.interpreter_needed:
            return True, guardian.preferred_language
    return person.interpreter_needed, person.interpreter_language


# --- the agenda ----------------------------------------------------------------------------------

def last_held_meeting(*, case: Case, before: dt.datetime | None = None) -> Meeting | None:
    meetings = Meeting.objects.filter(case=case, status=MeetingStatus.HELD)
    if before is not None:
        meetings = meetings.filter(starts_at__lt=before)
    return meetings.order_by("-starts_at", "-id").first()


def _day(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        value = value.astimezone(clock.OSLO).date()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _agency_shown_to_all(
    agency: Agency, viewers: Sequence[set[uuid.UUID]], outsiders: bool
) -> bool:
    if outsiders and is_confidential(agency):
        return False
    return all(agency.pk in visible for visible in viewers)


def _task_line(task: Task) -> str:
    who = task.agency.name
    if task.assignee is not None:
        who = f"{who} ({task.assignee.get_full_name() or task.assignee.username})"
    line = f"- {task.title} – {who}"
    if task.due_on:
        line += " – " + _("frist %(date)s") % {"date": _day(task.due_on)}
        if task.is_overdue:
            line += " " + _("(forfalt)")
    else:
        line += " – " + _("uten frist")
    return line


def agenda_draft(
    *, case: Case, viewers: Sequence[Actor], outsiders: bool, since: dt.datetime | None = None,
) -> str:
    """The draft agenda: the plan's open tasks, then what changed since the last held meeting
    (status moves, tasks created and done, team joins and leaves, concerns that landed on the
    case), then any other business.

    Only what every invitee may see: nothing that names a barnevern or health agency unless every
    staff invitee (`viewers`) has a basis to know it is on the team — and never when people from
    outside the team are invited (`outsiders`: the young person, guardians, others), who also see
    only the tasks marked for the family. No entry's contents, no reasons for a status move, no
    concern's text or sender: only that something happened."""
    visible = [visible_agency_ids(actor=v, case=case) for v in viewers]

    def shown(agency: Agency) -> bool:
        return _agency_shown_to_all(agency, visible, outsiders)

    tasks = Task.objects.filter(plan__case=case).select_related("agency", "assignee")
    if outsiders:
        tasks = tasks.filter(family_visible=True)
    since = since or (last_held.starts_at if (last_held := last_held_meeting(case=case))
                      else None)
    lines = [_("Åpne oppgaver i planen")]
    open_tasks = [t for t in tasks.filter(status=TaskStatus.OPEN)
                  .order_by("due_on", "created_at", "id") if shown(t.agency)]
    lines += [_task_line(t) for t in open_tasks] or ["- " + _("Ingen åpne oppgaver.")]

    lines += ["", _("Endringer siden forrige møte %(date)s") % {"date": _day(since)} if since
              else _("Endringer siden saken ble åpnet %(date)s") % {"date": _day(case.created_at)}]
    after = since or case.created_at
    changes: list[tuple[dt.datetime, str]] = []
    for change in CaseStatusChange.objects.filter(case=case, changed_at__gt=after,
                                                  from_status__gt=""):
        changes.append((change.changed_at, _("Status endret fra «%(from)s» til «%(to)s»") % {
            "from": CaseStatus(change.from_status).label,
            "to": CaseStatus(change.to_status).label}))
    for task in tasks.filter(created_at__gt=after):
        if shown(task.agency):
            changes.append((task.created_at, _("Ny oppgave: %(title)s – %(agency)s")
                            % {"title": task.title, "agency": task.agency.name}))
    for task in tasks.filter(status=TaskStatus.DONE, completed_at__gt=after):
        if shown(task.agency) and task.completed_at:
            changes.append((task.completed_at, _("Oppgave utført: %(title)s – %(agency)s")
                            % {"title": task.title, "agency": task.agency.name}))
    members = TeamMember.objects.filter(case=case).select_related("user", "agency")
    after_day = after.astimezone(clock.OSLO).date()
    today = clock.today()
    for member in members:
        if not shown(member.agency):
            continue
        name = member.user.get_full_name() or member.user.username
        if after_day < member.joined_on <= today:
            changes.append((day_bounds(member.joined_on)[0], _("Ny i teamet: %(name)s, %(agency)s")
                            % {"name": name, "agency": member.agency.name}))
        if member.left_on and after_day < member.left_on <= today:
            changes.append((day_bounds(member.left_on)[0],
                            _("Gikk ut av teamet: %(name)s, %(agency)s")
                            % {"name": name, "agency": member.agency.name}))
    changed = [f"- {_day(when)}: {text}" for when, text in sorted(changes, key=lambda c: c[0])]
    if not outsiders:
        # Who sent a concern may itself be confidential: only the number is on the agenda.
        concerns = Concern.objects.filter(case=case, status=ConcernStatus.ON_CASE,
                                          submitted_at__gt=after).count()
        if concerns:
            changed.append("- " + ngettext("%(n)s ny bekymring er lagt til saken.",
                                           "%(n)s nye bekymringer er lagt til saken.",
                                           concerns) % {"n": concerns})
    lines += changed or ["- " + _("Ingen endringer.")]
    lines += ["", _("Eventuelt"), "- "]
    return "\n".join(lines)
