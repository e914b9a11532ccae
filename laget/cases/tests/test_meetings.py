"""Team meetings: who may schedule, change and cancel them, what is refused (a time in the past,
a closed case, guardians who may not be invited), the agenda (open tasks and what changed since
the last meeting, only what every invitee may see), minutes whose decisions become tasks in the
same transaction or not at all, notifications once each, the reminder the day before, and the
selectors for the case page and the coordinator's desk."""

import datetime as dt

import pytest

from laget.audit.models import AuditEvent
from laget.cases import meetings
from laget.cases import selectors_meetings as selectors
from laget.cases.meetings import DecisionInput, Invite
from laget.cases.models import (
    Concern,
    ConcernStatus,
    Meeting,
    MeetingDecision,
    MeetingParticipant,
    MeetingStatus,
    ParticipantKind,
    Plan,
    Task,
    TaskStatus,
)
from laget.cases.plan import task_create
from laget.cases.services import case_transition
from laget.cases.tests.factories_meetings import MeetingScene, actor_of, make_scene
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify.models import Message
from laget.people.tests.factories import GuardianFactory
from laget.records.models import CaseStatus
from laget.records.services import team_member_add, team_member_end

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def ms(make_member, rulebook) -> MeetingScene:
    return make_scene(make_member)


def _messages(actor=None):
    messages = Message.objects.all()
    if actor is not None:
        messages = messages.filter(recipient_user=actor.user)
    return list(messages.order_by("created_at", "id"))


def _held(ms, meeting, **kwargs):
    """Write minutes for a meeting, an hour after it began."""
    with clock.frozen(meeting.starts_at + HOUR):
        return meetings.meeting_minutes_record(
            actor=ms.coordinator, meeting=meeting, minutes=kwargs.pop("minutes", "Referat."),
            attendance=kwargs.pop("attendance", {}), **kwargs)


# --- scheduling ----------------------------------------------------------------------------------

def test_the_coordinator_schedules_with_team_family_others_and_an_interpreter(ms):
    mor = ms.guardians[0]
    meeting = ms.schedule(invite=ms.invite(
        ms.coordinator, ms.police, young_person=True, guardian_ids=[mor.pk],
        others=["  Ola   Hansen, trener ", "", "Ola Hansen, trener"]),
        interpreter_needed=True, interpreter_language="ar", agenda_extra="Sommerjobb")
    rows = {(p.kind, p.name) for p in meeting.participants.all()}
    assert rows == {
        (ParticipantKind.TEAM, "Kari Koordinator"), (ParticipantKind.TEAM, "Per Politi"),
        (ParticipantKind.YOUNG_PERSON, "Sara Syntetisk"), (ParticipantKind.GUARDIAN,
                                                          "Mor Syntetisk"),
        (ParticipantKind.OTHER, "Ola Hansen, trener"), (ParticipantKind.INTERPRETER, ""),
    }
    assert (meeting.status, meeting.interpreter_needed, meeting.interpreter_language) == (
        MeetingStatus.PLANNED, True, "ar")
    assert meeting.agenda.startswith("Åpne oppgaver i planen")
    assert meeting.agenda.rstrip().endswith("Sommerjobb")
    event = AuditEvent.objects.get(action="meeting.change")
    assert event.details == {"op": "schedule", "participants": 6}
    assert event.actor_id == ms.coordinator.user.pk


def test_invited_staff_are_told_once_without_personal_data_and_not_the_one_who_scheduled(ms):
    meeting = ms.schedule()
    assert _messages(ms.coordinator) == []
    for actor in (ms.police, ms.teacher):
        [message] = _messages(actor)
        assert message.subject.startswith("Invitasjon til teammøte")
        text = message.subject + message.body
        for personal in ("Sara", "Syntetisk", "Stovner bydelshus", ms.case.person.national_id):
            assert personal not in text
        assert f"/saker/{ms.case.pk}/moter/{meeting.pk}/" in message.body
    # the outbox is idempotent on the key: the same invitation again adds nothing
    meetings._notify_invited(list(meeting.participants.all()), meeting, ms.coordinator)
    assert len(_messages()) == 2


@pytest.mark.parametrize("who", ["police", "teacher", "other_coordinator"])
def test_only_the_bydel_coordinator_or_leader_schedules(ms, who):
    with pytest.raises(DomainError) as error:
        meetings.meeting_schedule(
            actor=getattr(ms, who), case=ms.case, starts_at=clock.now() + DAY, place="Her",
            invite=ms.invite(ms.police))
    assert error.value.code == "not_coordinator"
    assert not Meeting.objects.exists() and not Message.objects.exists()
    assert not AuditEvent.objects.filter(action="meeting.change").exists()
    leader = meetings.meeting_schedule(actor=ms.leader, case=ms.case,
                                       starts_at=clock.now() + DAY, place="Her",
                                       invite=ms.invite(ms.police))
    assert leader.created_by == ms.leader.user


@pytest.mark.parametrize(("offset", "code"), [
    (-HOUR, "time_past"), (dt.timedelta(0), "time_past"), (dt.timedelta(days=400), "time_far"),
])
def test_a_time_in_the_past_or_too_far_ahead_is_refused(ms, offset, code):
    with clock.frozen(clock.now()), pytest.raises(DomainError) as error:
        ms.schedule(at=clock.now() + offset)
    assert error.value.code == code
    assert not Meeting.objects.exists()


def test_a_closed_case_is_refused(ms):
    case_transition(actor=ms.coordinator, case=ms.case, to=CaseStatus.CLOSED, reason="Flyttet.")
    with pytest.raises(DomainError) as error:
        ms.schedule()
    assert error.value.code == "closed"
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("bad", ["restricted", "other_person", "left_team"])
def test_invitees_must_be_on_the_team_or_invitable_guardians(ms, bad):
    if bad == "left_team":
        member = ms.member(ms.police)
        team_member_end(actor=ms.coordinator, member=member)
        invite = Invite(team_member_ids=[member.pk])
    else:
        guardian = ms.restricted if bad == "restricted" else GuardianFactory()
        invite = Invite(guardian_ids=[guardian.pk])
    with pytest.raises(DomainError) as error:
        ms.schedule(invite=invite)
    assert error.value.code == ("not_on_team" if bad == "left_team" else "guardian")
    assert not Meeting.objects.exists()


def test_guardians_are_not_invited_once_the_young_person_is_18(ms):
    person = ms.case.person
    turns_18 = person.birth_date.replace(year=person.birth_date.year + 18)
    guardians, note = selectors.invitable_guardians(person=person, on=turns_18 - DAY)
    assert {g.given_name for g in guardians} == {"Mor", "Far"}
    assert "begrenset kontakt" in note
    assert selectors.invitable_guardians(person=person, on=turns_18)[0] == []
    at = dt.datetime.combine(turns_18, dt.time(10), tzinfo=clock.OSLO)
    with clock.frozen(at - 3 * DAY), pytest.raises(DomainError) as error:
        ms.schedule(at=at, invite=Invite(guardian_ids=[ms.guardians[0].pk]))
    assert "18 år" in error.value.message


def test_nobody_invited_is_refused(ms):
    with pytest.raises(DomainError) as error:
        ms.schedule(invite=Invite(), interpreter_needed=True, interpreter_language="ar")
    assert error.value.code == "no_participants"


def test_the_interpreter_language_defaults_from_the_young_person_then_the_guardians(ms):
    person = ms.case.person
    mor = ms.guardians[0]
    mor.interpreter_needed, mor.preferred_language = True, "so"
    mor.save()
    assert selectors.interpreter_default(person=person, guardians=[mor]) == (True, "so")
    meeting = ms.schedule(invite=ms.invite(ms.police, guardian_ids=[mor.pk]),
                          interpreter_needed=True)
    assert meeting.interpreter_language == "so"
    person.interpreter_needed, person.interpreter_language = True, "ti"
    person.save()
    assert selectors.interpreter_default(person=person, guardians=[mor]) == (True, "ti")
    with pytest.raises(DomainError) as error:
        ms.schedule(invite=ms.invite(ms.police), interpreter_needed=True,
                    interpreter_language="xx")
    assert error.value.code == "interpreter_language"


def test_an_interpreter_is_needed_but_no_language_known(ms):
    with pytest.raises(DomainError) as error:
        ms.schedule(invite=ms.invite(ms.police), interpreter_needed=True)
    assert error.value.code == "interpreter_language"


# --- change and cancel ---------------------------------------------------------------------------

def test_moving_a_meeting_tells_those_who_stay_and_new_and_removed_invitees(ms, make_member):
    nav_user = make_member("caseworker", agency_type="nav", password=None)
    nav = actor_of(nav_user)
    team_member_add(actor=ms.coordinator, case=ms.case, user=nav_user, agency=nav.agency)
    meeting = ms.schedule(invite=ms.invite(ms.coordinator, ms.police, ms.teacher))
    Message.objects.all().delete()
    meetings.meeting_update(
        actor=ms.coordinator, meeting=meeting, starts_at=meeting.starts_at + DAY,
        place="Haugen skole", invite=ms.invite(ms.coordinator, ms.police, nav),
        interpreter_needed=False, interpreter_language="", agenda="Min dagsorden")
    assert meeting.place == "Haugen skole" and meeting.agenda == "Min dagsorden"
    subjects = {m.recipient_user_id: m.subject for m in _messages()}
    assert subjects[ms.police.user.pk].startswith("Teammøtet er endret")
    assert subjects[ms.teacher.user.pk].startswith("Du er ikke lenger invitert")
    assert subjects[nav.user.pk].startswith("Invitasjon")
    assert ms.coordinator.user.pk not in subjects
    event = AuditEvent.objects.filter(action="meeting.change").latest("occurred_at")
    assert event.details["op"] == "update" and event.details["moved"] is True
    # nothing moved, nobody added: nobody is told
    Message.objects.all().delete()
    meetings.meeting_update(
        actor=ms.coordinator, meeting=meeting, starts_at=meeting.starts_at, place=meeting.place,
        invite=ms.invite(ms.coordinator, ms.police, nav),
        interpreter_needed=False, interpreter_language="", agenda="", redraw_agenda=True)
    assert _messages() == []
    assert meeting.agenda.startswith("Åpne oppgaver i planen")


def test_barnevern_invitees_are_seen_by_the_bydel_but_not_by_other_team_members(ms):
    meeting = ms.schedule(invite=ms.invite(ms.police, ms.social_worker))
    # the bydel's coordinator and leader put the team together and see all of it
    for reader in (ms.coordinator, ms.leader):
        assert ms.social_worker.agency.pk in selectors.visible_agency_ids(
            actor=reader, case=ms.case)
        shown = selectors.participants_for(actor=reader, meeting=meeting)
        assert {p.name for p in shown} == {"Per Politi", "Berit Barnevern"}
    # the police, without a basis for barnevern, do not
    assert ms.social_worker.agency.pk not in selectors.visible_agency_ids(
        actor=ms.police, case=ms.case)
    shown = selectors.participants_for(actor=ms.police, meeting=meeting)
    assert {p.name for p in shown} == {"Per Politi"}
    meetings.meeting_update(
        actor=ms.leader, meeting=meeting, starts_at=meeting.starts_at, place="Et annet sted",
        invite=ms.invite(ms.police, ms.teacher, ms.social_worker), interpreter_needed=False,
        interpreter_language="", agenda=meeting.agenda)
    names = set(meeting.participants.values_list("name", flat=True))
    assert names == {"Per Politi", "Lise Lærer", "Berit Barnevern"}


def test_cancel_tells_the_invitees_and_a_cancelled_meeting_cannot_change(ms):
    meeting = ms.schedule()
    with pytest.raises(DomainError) as error:
        meetings.meeting_cancel(actor=ms.police, meeting=meeting)
    assert error.value.code == "not_coordinator"
    meetings.meeting_cancel(actor=ms.coordinator, meeting=meeting)
    assert meeting.status == MeetingStatus.CANCELLED
    assert [m.subject.startswith("Teammøtet") and "avlyst" in m.subject
            for m in _messages(ms.police)] == [False, True]
    for call in (lambda: meetings.meeting_cancel(actor=ms.coordinator, meeting=meeting),
                 lambda: meetings.meeting_update(
                     actor=ms.coordinator, meeting=meeting, starts_at=meeting.starts_at,
                     place="", invite=ms.invite(ms.police), interpreter_needed=False,
                     interpreter_language="", agenda=""),
                 lambda: _held(ms, meeting)):
        with pytest.raises(DomainError) as error:
            call()
        assert error.value.code == "status"


# --- the agenda ----------------------------------------------------------------------------------

def test_agenda_holds_open_tasks_and_what_changed_since_the_last_meeting(ms, make_member):
    start = clock.now()
    before = task_create(actor=ms.coordinator, case=ms.case, title="Kartlegge fritid",
                         agency=ms.coordinator.agency, assignee=ms.coordinator.user,
                         due_on=clock.today() + 3 * DAY)
    first = ms.schedule(at=start + DAY)
    _held(ms, first)
    with clock.frozen(start + 2 * DAY):
        case_transition(actor=ms.coordinator, case=ms.case, to=CaseStatus.ACTIVE,
                        reason="Hemmelig grunn som ikke skal på dagsordenen")
        task_create(actor=ms.coordinator, case=ms.case, title="Samtale med skolen",
                    agency=ms.teacher.agency, due_on=clock.today() + 10 * DAY)
        Task.objects.filter(pk=before.pk).update(status=TaskStatus.DONE,
                                                 completed_at=clock.now())
        nav = make_member("caseworker", agency_type="nav", first_name="Nils", last_name="Nav",
                          password=None)
        team_member_add(actor=ms.coordinator, case=ms.case, user=nav, agency=nav.memberships
                        .get().agency)
        team_member_end(actor=ms.coordinator, member=ms.member(ms.teacher))
        Concern.objects.create(
            district_id="030111", person=ms.case.person, given_name="Sara",
            family_name="Syntetisk", birth_date=ms.case.person.birth_date,
            text="Bekymringens innhold", submitted_by=ms.police.user,
            submitting_agency=ms.police.agency, status=ConcernStatus.ON_CASE, case=ms.case)
        second = ms.schedule(at=start + 3 * DAY, invite=ms.invite(ms.coordinator))
    agenda = second.agenda
    assert "Endringer siden forrige møte" in agenda
    assert "Status endret fra «Vurdering» til «Aktiv»" in agenda
    assert "Hemmelig grunn" not in agenda
    assert "Ny oppgave: Samtale med skolen" in agenda
    assert "Ny oppgave: Kartlegge fritid" not in agenda  # before the last meeting
    assert "Oppgave utført: Kartlegge fritid" in agenda
    assert "Ny i teamet: Nils Nav" in agenda
    assert "Gikk ut av teamet: Lise Lærer" in agenda
    assert "1 ny bekymring er lagt til saken." in agenda
    assert "Bekymringens innhold" not in agenda
    open_part = agenda.split("Endringer")[0]
    assert "- Samtale med skolen – " in open_part and "frist" in open_part
    assert "Kartlegge fritid" not in open_part


def test_agenda_leaves_out_what_an_invitee_may_not_see_and_the_family_sees_less(ms):
    ms.consent_barnevern()
    task_create(actor=ms.coordinator, case=ms.case, title="Barnevernets undersøkelse",
                agency=ms.social_worker.agency)
    task_create(actor=ms.coordinator, case=ms.case, title="Intern oppfølging",
                agency=ms.police.agency, family_visible=False)
    task_create(actor=ms.coordinator, case=ms.case, title="Leksehjelp",
                agency=ms.teacher.agency)
    with_police = ms.schedule(invite=ms.invite(ms.police, ms.social_worker)).agenda
    assert "Barnevernets undersøkelse" not in with_police
    assert "Intern oppfølging" in with_police and "Leksehjelp" in with_police
    with_family = ms.schedule(invite=ms.invite(ms.social_worker, young_person=True)).agenda
    assert "Barnevernets undersøkelse" not in with_family
    assert "Intern oppfølging" not in with_family and "Leksehjelp" in with_family
    # among those with a basis (the coordinator, barnevern itself) it is on the agenda
    with_basis = ms.schedule(invite=ms.invite(ms.coordinator, ms.social_worker)).agenda
    assert "Barnevernets undersøkelse" in with_basis


# --- minutes -------------------------------------------------------------------------------------

def test_minutes_with_attendance_and_decisions_that_become_tasks_in_one_step(ms):
    meeting = ms.schedule(invite=ms.invite(ms.coordinator, ms.police, young_person=True))
    rows = {p.kind + p.name: p for p in meeting.participants.all()}
    version = Plan.objects.get(case=ms.case).version if Plan.objects.filter(
        case=ms.case).exists() else 0
    with clock.frozen(meeting.starts_at + HOUR):
        due = clock.today() + 14 * DAY
        meetings.meeting_minutes_record(
            actor=ms.coordinator, meeting=meeting, minutes="Vi ble enige om tiltak.",
            attendance={rows["teamPer Politi"].pk: True, rows["young_personSara Syntetisk"].pk:
                        False},
            decisions=[
                DecisionInput(text="Politiet tar en bekymringssamtale", agency=ms.police.agency,
                              assignee=ms.police.user, due_on=due),
                DecisionInput(text="Neste møte om en måned"),
                DecisionInput(text="Skolen følger opp fravær", task_title="Fraværsoppfølging",
                              agency=ms.teacher.agency),
            ])
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes, meeting.minutes_by) == (
        MeetingStatus.HELD, "Vi ble enige om tiltak.", ms.coordinator.user)
    assert meeting.minutes_at is not None
    attended = {p.name: p.attended for p in meeting.participants.all()}
    assert attended == {"Kari Koordinator": None, "Per Politi": True, "Sara Syntetisk": False}
    decisions = list(MeetingDecision.objects.filter(meeting=meeting).select_related("task"))
    assert [d.text for d in decisions] == ["Politiet tar en bekymringssamtale",
                                           "Neste møte om en måned", "Skolen følger opp fravær"]
    police_task, none, school_task = (d.task for d in decisions)
    assert none is None
    assert (police_task.title, police_task.agency, police_task.assignee, police_task.due_on) == (
        "Politiet tar en bekymringssamtale", ms.police.agency, ms.police.user, due)
    assert (school_task.title, school_task.agency, school_task.assignee) == (
        "Fraværsoppfølging", ms.teacher.agency, None)
    assert Plan.objects.get(case=ms.case).version == version + 2
    event = AuditEvent.objects.get(action="meeting.minutes")
    assert event.details == {"op": "record", "decisions": 3, "tasks": 2, "attendance": 2}
    assert AuditEvent.objects.filter(action="plan.task_change").count() == 2


@pytest.mark.parametrize("bad", ["agency_not_on_team", "due_past", "assignee", "empty_text",
                                 "no_agency", "not_started", "minutes"])
def test_bad_minutes_write_nothing(ms, bad, make_member):
    meeting = ms.schedule(invite=ms.invite(ms.police))
    outsider = make_member("caseworker", agency_type="nav", password=None)
    good = DecisionInput(text="Skolen følger opp", agency=ms.teacher.agency)
    with clock.frozen(meeting.starts_at + HOUR):
        bad_decision = {
            "agency_not_on_team": DecisionInput(text="NAV ordner", agency=outsider.memberships
                                                .get().agency),
            "due_past": DecisionInput(text="Snart", agency=ms.police.agency,
                                      due_on=clock.today() - DAY),
            "assignee": DecisionInput(text="Feil person", agency=ms.police.agency,
                                      assignee=ms.teacher.user),
            "empty_text": DecisionInput(text="  ", agency=ms.police.agency),
            "no_agency": DecisionInput(text="Uten ansvarlig", due_on=clock.today()),
            "not_started": good,
            "minutes": good,
        }[bad]
    at = meeting.starts_at - HOUR if bad == "not_started" else meeting.starts_at + HOUR
    tasks_before = Task.objects.count()
    with clock.frozen(at), pytest.raises(DomainError) as error:
        meetings.meeting_minutes_record(
            actor=ms.coordinator, meeting=meeting,
            minutes="" if bad == "minutes" else "Referat",
            attendance={meeting.participants.get().pk: True}, decisions=[good, bad_decision])
    assert error.value.code == {"agency_not_on_team": "agency_not_on_team",
                                "due_past": "due_past", "assignee": "assignee_not_on_team",
                                "empty_text": "decision", "no_agency": "agency",
                                "not_started": "not_started", "minutes": "minutes"}[bad]
    if bad not in ("not_started", "minutes"):
        assert error.value.message.startswith("Beslutning 2")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes, meeting.minutes_by) == (MeetingStatus.PLANNED, "",
                                                                      None)
    assert Task.objects.count() == tasks_before
    assert not MeetingDecision.objects.exists()
    assert meeting.participants.get().attended is None
    assert not AuditEvent.objects.filter(action__in=["meeting.minutes",
                                                     "plan.task_change"]).exists()


def test_only_the_coordinator_writes_minutes_and_not_on_a_closed_case(ms):
    meeting = ms.schedule()
    with pytest.raises(DomainError) as error, clock.frozen(meeting.starts_at + HOUR):
        meetings.meeting_minutes_record(actor=ms.police, meeting=meeting, minutes="x",
                                        attendance={})
    assert error.value.code == "not_coordinator"
    case_transition(actor=ms.coordinator, case=ms.case, to=CaseStatus.CLOSED, reason="Slutt.")
    with pytest.raises(DomainError) as error:
        _held(ms, meeting)
    assert error.value.code == "closed"


def test_attendance_only_for_the_invitees(ms):
    meeting = ms.schedule()
    other = ms.schedule().participants.first()
    with pytest.raises(DomainError) as error:
        _held(ms, meeting, attendance={other.pk: True})
    assert error.value.code == "attendance"


def test_held_minutes_can_be_corrected_and_decisions_added(ms):
    meeting = ms.schedule()
    _held(ms, meeting, decisions=[DecisionInput(text="Første", agency=ms.police.agency)])
    _held(ms, meeting, minutes="Rettet referat.",
          decisions=[DecisionInput(text="Andre", agency=ms.teacher.agency)])
    meeting.refresh_from_db()
    assert meeting.minutes == "Rettet referat."
    assert list(meeting.decisions.values_list("text", flat=True)) == ["Første", "Andre"]
    assert Task.objects.count() == 2
    ops = [e.details["op"] for e in AuditEvent.objects.filter(action="meeting.minutes")
           .order_by("occurred_at")]
    assert ops == ["record", "amend"]


# --- the reminder --------------------------------------------------------------------------------

def test_the_day_before_each_invitee_on_the_team_is_reminded_once(ms):
    today = clock.today()
    tomorrow_at = dt.datetime.combine(today + DAY, dt.time(14), tzinfo=clock.OSLO)
    with clock.frozen(tomorrow_at - DAY - 6 * HOUR):
        meeting = ms.schedule(at=tomorrow_at, invite=ms.invite(ms.coordinator, ms.police,
                                                               ms.teacher))
        later = ms.schedule(at=tomorrow_at + DAY, invite=ms.invite(ms.police))
        cancelled = ms.schedule(at=tomorrow_at, invite=ms.invite(ms.police))
        meetings.meeting_cancel(actor=ms.coordinator, meeting=cancelled)
    team_member_end(actor=ms.coordinator, member=ms.member(ms.teacher))
    Message.objects.all().delete()
    with clock.frozen(tomorrow_at - DAY):
        assert meetings.meeting_reminders_send() == 2  # coordinator and police; teacher left
        assert meetings.meeting_reminders_send() == 0
    reminders = _messages()
    assert {m.recipient_user_id for m in reminders} == {ms.coordinator.user.pk,
                                                        ms.police.user.pk}
    assert all(m.subject == "Påminnelse: teammøte i morgen kl. 14:00" for m in reminders)
    assert all(str(later.pk) not in m.body for m in reminders)
    assert all(str(meeting.pk) in m.body for m in reminders)


def test_the_periodic_task_waits_for_the_reminder_hour(ms, settings):
    settings.LAGET_NOTIFY_REMINDER_HOUR = 7
    at = dt.datetime.combine(clock.today() + DAY, dt.time(9), tzinfo=clock.OSLO)
    ms.schedule(at=at, invite=ms.invite(ms.police))
    Message.objects.all().delete()
    early = dt.datetime.combine(clock.today(), dt.time(6), tzinfo=clock.OSLO)
    with clock.frozen(early):
        assert meetings.meeting_reminders.func() == 0
    with clock.frozen(early + 2 * HOUR):
        assert meetings.meeting_reminders.func() == 1


# --- selectors -----------------------------------------------------------------------------------

def test_next_meeting_and_list_for_the_case_page(ms):
    assert selectors.meeting_next_for(actor=ms.police, case=ms.case) is None
    # at ten in the morning in Oslo, so that "an hour after the meeting" is the same day whatever
    # the time the test runs
    def at_ten(days: int) -> dt.datetime:
        return dt.datetime.combine(clock.today() + days * DAY, dt.time(10), tzinfo=clock.OSLO)

    later = ms.schedule(at=at_ten(5))
    sooner = ms.schedule(at=at_ten(2))
    cancelled = ms.schedule(at=at_ten(1))
    meetings.meeting_cancel(actor=ms.coordinator, meeting=cancelled)
    assert selectors.meeting_next_for(actor=ms.police, case=ms.case) == sooner
    assert selectors.meeting_list_for(actor=ms.police, case=ms.case) == [later, sooner, cancelled]
    panel = selectors.meeting_panel_for(actor=ms.coordinator, case=ms.case)
    assert panel.next == sooner and panel.may_schedule and panel.without_minutes == 0
    assert not selectors.meeting_panel_for(actor=ms.police, case=ms.case).may_schedule
    # someone not on the team sees nothing
    assert selectors.meeting_panel_for(actor=ms.other_coordinator, case=ms.case) is None
    assert selectors.meeting_list_for(actor=ms.other_coordinator, case=ms.case) == []
    with pytest.raises(DomainError):
        selectors.meeting_get_for(actor=ms.other_coordinator, case=ms.case, meeting_id=later.pk)
    with clock.frozen(sooner.starts_at + HOUR):
        panel = selectors.meeting_panel_for(actor=ms.coordinator, case=ms.case)
        assert panel.without_minutes == 1
        # a meeting earlier today is still the next one until the day ends
        assert panel.next == sooner


def test_meetings_this_week_for_the_desk(ms):
    monday = clock.today() - dt.timedelta(days=clock.today().weekday()) + 7 * DAY
    at = dt.datetime.combine(monday + 2 * DAY, dt.time(10), tzinfo=clock.OSLO)
    this_week = ms.schedule(at=at, invite=ms.invite(ms.police))
    ms.schedule(at=at + 7 * DAY, invite=ms.invite(ms.police))  # next week
    not_invited = ms.schedule(at=at + HOUR, invite=ms.invite(ms.teacher))
    cancelled = ms.schedule(at=at, invite=ms.invite(ms.police))
    meetings.meeting_cancel(actor=ms.coordinator, meeting=cancelled)
    on = monday + 4 * DAY
    desk = selectors.meetings_this_week_for(actor=ms.coordinator, on=on)
    assert desk == [this_week, not_invited]
    assert {m.case_id for m in desk} == {ms.case.pk}
    assert selectors.meetings_this_week_for(actor=ms.police, on=on) == [this_week]
    assert selectors.meetings_this_week_for(actor=ms.other_coordinator, on=on) == []
    assert selectors.meetings_this_week_for(actor=ms.coordinator, on=monday - DAY) == []


def test_participants_and_decisions_hide_an_agency_the_reader_may_not_know_of(ms):
    ms.consent_barnevern()
    meeting = ms.schedule(invite=ms.invite(ms.coordinator, ms.police, ms.social_worker))
    _held(ms, meeting, decisions=[
        DecisionInput(text="Barnevernet vurderer", agency=ms.social_worker.agency),
        DecisionInput(text="Politiet følger opp", agency=ms.police.agency)])
    police_sees = selectors.participants_for(actor=ms.police, meeting=meeting)
    assert "Berit Barnevern" not in {p.name for p in police_sees}
    assert [d.text for d in selectors.decisions_for(actor=ms.police, meeting=meeting)] == [
        "Politiet følger opp"]
    own = selectors.decisions_for(actor=ms.social_worker, meeting=meeting)
    assert len(own) == 2
    assert MeetingParticipant.objects.filter(meeting=meeting).count() == 3
