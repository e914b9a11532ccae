"""The daily reminders: overdue tasks to the people responsible and the case's coordinators (one
message a day each, a count and a link, no personal data), and the coordinators' warning before a
person with an open case turns 18 — the date computation property-tested around birthdays,
including people born on 29 February (who turn 18 on 1 March in a year without that day)."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from laget.accounts.tests.factories import MembershipFactory, UserFactory
from laget.cases.models import Plan, Task, TaskStatus
from laget.cases.reminders import (
    birthday,
    majority_birth_dates,
    majority_warning_due,
    majority_warnings_send,
    overdue_task_reminders_send,
)
from laget.cases.services import case_open
from laget.cases.tasks import remind_overdue_tasks, warn_turning_18
from laget.cases.tests.conftest import actor_of
from laget.core import clock
from laget.notify.models import Channel, Message
from laget.people.models import Person
from laget.people.tests.factories import PersonFactory
from laget.records.models import CaseStatus, TeamMember
from laget.records.services import team_member_add

LEAP_DAY_BIRTHS = st.sampled_from([2000, 2004, 2008, 2012, 2016]).map(
    lambda y: dt.date(y, 2, 29))
BIRTHS = st.one_of(st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2020, 12, 31)),
                   LEAP_DAY_BIRTHS)


def _task(case, *, agency, due_on, assignee=None, status=TaskStatus.OPEN, title="Oppgave"):
    plan, _created = Plan.objects.get_or_create(case=case)
    return Task.objects.create(
        plan=plan, title=title, agency=agency, assignee=assignee, due_on=due_on, status=status,
        completed_at=clock.now() if status == TaskStatus.DONE else None,
        created_by=plan.case.opened_by,
    )


def _messages_for(user) -> list[Message]:
    return list(Message.objects.filter(recipient_user=user))


def _assert_no_personal_data(message: Message, person: Person, *texts: str) -> None:
    for secret in (person.given_name, person.family_name, person.national_id or "-",
                   str(person.birth_date), *texts):
        assert secret not in message.subject and secret not in message.body


# --- overdue tasks -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_overdue_tasks_reach_the_responsible_person_and_the_coordinator_once_a_day(scene):
    today = clock.today()
    past = today - dt.timedelta(days=2)
    police = scene.police
    _task(scene.case, agency=police.agency, assignee=police.user, due_on=past, title="Hjemmebesøk")
    _task(scene.case, agency=police.agency, due_on=past, title="Bekymringssamtale")
    _task(scene.case, agency=police.agency, due_on=today + dt.timedelta(days=1))
    _task(scene.case, agency=police.agency, due_on=past, status=TaskStatus.DONE)
    _task(scene.case, agency=police.agency, due_on=past, status=TaskStatus.CANCELLED)

    assert overdue_task_reminders_send(today=today) == 2
    [to_police] = _messages_for(police.user)
    [to_coordinator] = _messages_for(scene.coordinator.user)
    for message in (to_police, to_coordinator):
        assert message.channel == Channel.EMAIL
        assert message.subject == "Forfalte oppgaver i Laget"
        assert message.body.startswith("Du har 2 forfalte oppgaver i Laget")
        _assert_no_personal_data(message, scene.case.person, "Hjemmebesøk", "Bekymringssamtale",
                                 str(scene.case.pk))
    assert to_police.idempotency_key == f"cases.overdue:{police.user.pk}:{today.isoformat()}"
    for bystander in (scene.leader, scene.caseworker, scene.other_coordinator):
        assert _messages_for(bystander.user) == []

    assert overdue_task_reminders_send(today=today) == 0  # the same day again: nothing
    assert overdue_task_reminders_send(today=today + dt.timedelta(days=1)) == 2
    assert Message.objects.count() == 4


@pytest.mark.django_db
def test_one_overdue_task_is_counted_once_for_a_coordinator_who_is_also_assignee(scene):
    today = clock.today()
    _task(scene.case, agency=scene.coordinator.agency, assignee=scene.coordinator.user,
          due_on=today - dt.timedelta(days=1))
    assert overdue_task_reminders_send(today=today) == 1
    [message] = _messages_for(scene.coordinator.user)
    assert message.body.startswith("Du har 1 forfalt oppgave i Laget")


@pytest.mark.django_db
def test_an_assignee_who_left_the_team_is_replaced_by_the_agency_members_on_it(scene):
    today = clock.today()
    police = scene.police
    colleague = UserFactory(email="")
    MembershipFactory(user=colleague, agency=police.agency, role="caseworker")
    team_member_add(actor=scene.coordinator, case=scene.case, user=colleague,
                    agency=police.agency)
    _task(scene.case, agency=police.agency, assignee=police.user,
          due_on=today - dt.timedelta(days=3))
    TeamMember.objects.filter(case=scene.case, user=police.user).update(left_on=today)

    assert overdue_task_reminders_send(today=today) == 2
    assert _messages_for(police.user) == []
    [message] = _messages_for(colleague)
    assert (message.channel, message.to_address) == (Channel.CONSOLE, f"user:{colleague.pk}")


@pytest.mark.django_db
def test_tasks_on_a_closed_case_are_not_reminded(scene):
    today = clock.today()
    _task(scene.case, agency=scene.police.agency, due_on=today - dt.timedelta(days=1))
    type(scene.case).objects.filter(pk=scene.case.pk).update(status=CaseStatus.CLOSED)
    assert overdue_task_reminders_send(today=today) == 0


@pytest.mark.django_db
def test_a_case_without_a_coordinator_on_its_team_reminds_the_bydels_coordinators(scene):
    today = clock.today()
    TeamMember.objects.filter(case=scene.case, user=scene.coordinator.user).update(left_on=today)
    colleague = UserFactory()
    MembershipFactory(user=colleague, agency=scene.coordinator.agency, role="coordinator")
    _task(scene.case, agency=scene.police.agency, due_on=today - dt.timedelta(days=1))

    overdue_task_reminders_send(today=today)
    assert len(_messages_for(scene.coordinator.user)) == 1  # still the bydel's coordinator
    assert len(_messages_for(colleague)) == 1
    assert _messages_for(scene.other_coordinator.user) == []
    assert _messages_for(scene.leader.user) == []


@pytest.mark.django_db
def test_the_reminder_tasks_wait_for_the_reminder_hour(scene, settings):
    settings.LAGET_NOTIFY_REMINDER_HOUR = 7
    today = clock.today()
    _task(scene.case, agency=scene.police.agency, due_on=today - dt.timedelta(days=1))
    early = dt.datetime.combine(today, dt.time(6, 59), tzinfo=clock.OSLO)
    with clock.frozen(early):
        assert remind_overdue_tasks.call() == 0
        assert warn_turning_18.call() == 0
    with clock.frozen(early + dt.timedelta(minutes=1)):
        assert remind_overdue_tasks.call() == 2
        assert warn_turning_18.call() == 0


# --- turning 18: the dates ----------------------------------------------------------------------

@given(born=BIRTHS)
@example(born=dt.date(2008, 2, 29))
def test_the_18th_birthday_is_the_first_day_of_age_18(born):
    turns = birthday(born, 18)
    person = Person(birth_date=born)
    assert person.age_on(turns) == 18
    assert person.age_on(turns - dt.timedelta(days=1)) == 17


@given(born=BIRTHS, offset=st.integers(min_value=-3, max_value=45),
       days_ahead=st.integers(min_value=1, max_value=60))
@example(born=dt.date(2008, 2, 29), offset=30, days_ahead=30)
@example(born=dt.date(2008, 2, 29), offset=31, days_ahead=30)
@example(born=dt.date(2008, 2, 29), offset=0, days_ahead=30)
def test_the_warning_window_ends_the_day_before_the_birthday(born, offset, days_ahead):
    """Due from `days_ahead` days before the 18th birthday to the day before it; the first
    day of the window is exactly `days_ahead` days ahead; and the database's birth-date range
    always holds the person while they are due."""
    turns = birthday(born, 18)
    today = turns - dt.timedelta(days=offset)
    due = majority_warning_due(born=born, today=today, days_ahead=days_ahead)
    assert (due is not None) == (1 <= offset <= days_ahead)
    if due is not None:
        assert due == turns and (due - today).days == offset
        assert Person(birth_date=born).age_on(today) == 17
        first, last = majority_birth_dates(today=today, days_ahead=days_ahead)
        assert first <= born <= last


def test_born_on_29_february_is_warned_30_days_before_1_march_in_a_common_year():
    born = dt.date(2008, 2, 29)
    assert birthday(born, 18) == dt.date(2026, 3, 1)
    assert majority_warning_due(born=born, today=dt.date(2026, 1, 30), days_ahead=30) == (
        dt.date(2026, 3, 1))
    assert majority_warning_due(born=born, today=dt.date(2026, 1, 29), days_ahead=30) is None
    # In a leap year the birthday is 29 February itself.
    assert birthday(dt.date(2010, 2, 28), 18) == dt.date(2028, 2, 28)
    assert birthday(dt.date(2004, 2, 29), 24) == dt.date(2028, 2, 29)


# --- turning 18: the warning ---------------------------------------------------------------------

def _open_case_at(make_member, born: dt.date, day: dt.date):
    with clock.frozen(dt.datetime.combine(day, dt.time(12), tzinfo=clock.OSLO)):
        coordinator = actor_of(make_member("coordinator"))
        case = case_open(actor=coordinator, person=PersonFactory(birth_date=born))
    return coordinator, case


@pytest.mark.django_db
@settings(deadline=None, max_examples=15,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # make_member: a factory
@given(born=st.one_of(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2012, 12, 31)),
                      LEAP_DAY_BIRTHS))
@example(born=dt.date(2008, 2, 29))
@example(born=dt.date(2012, 2, 29))
def test_the_coordinator_is_warned_once_30_days_before_the_18th_birthday(
        make_member, settings, born):
    settings.LAGET_CONSENT_LAPSE_WARNING_DAYS = 30
    turns = birthday(born, 18)
    warn_on = turns - dt.timedelta(days=30)
    with transaction.atomic():
        coordinator, case = _open_case_at(make_member, born, warn_on - dt.timedelta(days=1))
        before = Message.objects.count()
        assert majority_warnings_send(today=warn_on - dt.timedelta(days=1)) == 0
        assert majority_warnings_send(today=warn_on) == 1
        [message] = Message.objects.filter(recipient_user=coordinator.user)
        assert message.idempotency_key == (
            f"cases.turning18:{case.pk}:{turns.isoformat()}:{coordinator.user.pk}")
        assert "fyller 18 år om 30 dager" in message.body
        assert f"/saker/{case.pk}/" in message.body
        _assert_no_personal_data(message, case.person, turns.isoformat())
        # The next days of the window and a second run send nothing more.
        assert majority_warnings_send(today=warn_on) == 0
        assert majority_warnings_send(today=warn_on + dt.timedelta(days=1)) == 0
        assert majority_warnings_send(today=turns) == 0
        assert Message.objects.count() == before + 1
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_missed_day_is_caught_up_and_closed_cases_are_not_warned(make_member, settings):
    settings.LAGET_CONSENT_LAPSE_WARNING_DAYS = 30
    born = dt.date(2008, 6, 15)
    day = dt.date(2026, 5, 20)  # 26 days before
    coordinator, _case = _open_case_at(make_member, born, day)
    _other, closed = _open_case_at(make_member, dt.date(2008, 6, 16), day)
    type(closed).objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED)
    assert majority_warnings_send(today=day) == 1
    [message] = Message.objects.all()
    assert message.recipient_user == coordinator.user
    assert "om 26 dager" in message.body


@pytest.mark.django_db
def test_every_coordinator_on_the_team_is_warned(make_member, settings):
    settings.LAGET_CONSENT_LAPSE_WARNING_DAYS = 30
    day = dt.date(2026, 5, 20)
    coordinator, case = _open_case_at(make_member, dt.date(2008, 6, 1), day)
    with clock.frozen(dt.datetime.combine(day, dt.time(12), tzinfo=clock.OSLO)):
        second = UserFactory()
        MembershipFactory(user=second, agency=coordinator.agency, role="coordinator")
        team_member_add(actor=coordinator, case=case, user=second, agency=coordinator.agency)
    assert majority_warnings_send(today=day) == 2
    assert {m.recipient_user for m in Message.objects.all()} == {coordinator.user, second}
