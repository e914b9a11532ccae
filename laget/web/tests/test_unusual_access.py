"""The auditor's unusual-access report: (c) reads with no open task — not on the team of an open
case for the person, or on it without an open task for one's agency (laget.web.selectors.unusual)
— and the page with all three checks."""

import datetime as dt
import uuid

import pytest
from django.test import Client

from laget.accounts.actor import Actor
from laget.accounts.models import Membership
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.audit.services import audit_record
from laget.cases.models import Plan, Task, TaskStatus
from laget.core import clock
from laget.core.clock import OSLO
from laget.people.tests.factories import PersonFactory
from laget.records.models import CaseStatus
from laget.records.tests.factories import CaseFactory, TeamMemberFactory
from laget.web.selectors.unusual import reads_without_task

pytestmark = pytest.mark.django_db

URL = "/logg/uvanlig/"
DAY = dt.date(2026, 3, 10)
NOON = dt.datetime(2026, 3, 10, 12, 0, tzinfo=OSLO)


def actor_of(user) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


def read(actor, person, at=NOON, action=Action.CASE_VIEW):
    with clock.frozen(at):
        return audit_record(action=action, actor=actor, persons=[person], purpose="forebygging")


def flagged(date_from=DAY, date_to=DAY) -> set[tuple[str, uuid.UUID]]:
    section = reads_without_task(date_from=date_from, date_to=date_to)
    return {(r.username, r.person_id) for r in section.rows}


@pytest.fixture
def case(make_member):
    """An open case since a week before DAY, and a school caseworker on its team since then with
    an open task for the school."""
    person = PersonFactory()
    with clock.frozen(NOON - dt.timedelta(days=7)):
        case = CaseFactory(person=person)
        member = actor_of(make_member("caseworker", agency_type="skole", username="i-teamet"))
        TeamMemberFactory(case=case, user=member.user, agency=member.agency,
                          joined_on=DAY - dt.timedelta(days=7))
        task_for(case, member)
    return case, member


def task_for(case, member, **kwargs):
    plan, _ = Plan.objects.get_or_create(case=case)
    return Task.objects.create(plan=plan, title="Oppfølging", agency=member.agency,
                               created_by=member.user, **kwargs)


def test_reads_by_a_team_member_of_an_open_case_are_not_listed(case):
    case, member = case
    read(member, case.person)
    read(member, case.person, action=Action.ENTRY_LIST)
    assert flagged() == set()


def test_reads_by_someone_on_no_team_of_the_person_are_listed(case, make_member):
    case, member = case
    outsider = actor_of(make_member("caseworker", username="utenfor"))
    other_case = CaseFactory()
    TeamMemberFactory(case=other_case, user=outsider.user, agency=outsider.agency,
                      joined_on=DAY - dt.timedelta(days=30))
    read(outsider, case.person)
    read(outsider, case.person, at=NOON + dt.timedelta(hours=1), action=Action.PERSON_VIEW)
    read(member, other_case.person)  # the team member, on another person's case
    section = reads_without_task(date_from=DAY, date_to=DAY)
    assert flagged() == {("utenfor", case.person_id), ("i-teamet", other_case.person_id)}
    top = section.rows[0]
    assert (top.username, top.reads, top.agency) == ("utenfor", 2, outsider.agency)


def test_reads_after_leaving_before_joining_or_after_the_case_closed_are_listed(case):
    case, member = case
    membership = case.team.get(user=member.user)
    membership.left_on = DAY
    membership.save()
    read(member, case.person)  # left the team that day
    read(member, case.person, at=NOON - dt.timedelta(days=1))  # the day before: still on it
    assert flagged(date_from=DAY - dt.timedelta(days=1)) == {("i-teamet", case.person_id)}
    late_joiner_case = CaseFactory()
    with clock.frozen(NOON - dt.timedelta(days=3)):
        late_joiner_case.created_at = clock.now()
        late_joiner_case.save()
    TeamMemberFactory(case=late_joiner_case, user=member.user, agency=member.agency,
                      joined_on=DAY + dt.timedelta(days=1))
    read(member, late_joiner_case.person)
    assert ("i-teamet", late_joiner_case.person_id) in flagged()


def test_a_closed_case_counts_until_it_was_closed(case):
    case, member = case
    case.status = CaseStatus.CLOSED
    case.closed_at = NOON + dt.timedelta(hours=1)
    case.save()
    read(member, case.person)  # before closing
    assert flagged() == set()
    read(member, case.person, at=NOON + dt.timedelta(hours=2))  # after
    assert flagged() == {("i-teamet", case.person_id)}


def test_a_team_member_without_an_open_task_is_listed(case):
    case, member = case
    task = case.plan.tasks.get()
    task.status, task.completed_at = TaskStatus.DONE, NOON - dt.timedelta(hours=1)
    task.save()
    read(member, case.person)  # the task was done an hour before
    assert flagged() == {("i-teamet", case.person_id)}
    task.completed_at = NOON + dt.timedelta(hours=1)
    task.save()
    assert flagged() == set()  # done an hour after: open at the read


def test_a_task_made_after_the_read_does_not_cover_it(make_member):
    member = actor_of(make_member("caseworker", agency_type="politi", username="sen"))
    with clock.frozen(NOON - dt.timedelta(days=7)):
        case = CaseFactory()
    TeamMemberFactory(case=case, user=member.user, agency=member.agency,
                      joined_on=DAY - dt.timedelta(days=7))
    with clock.frozen(NOON + dt.timedelta(hours=1)):
        task_for(case, member)
    read(member, case.person)
    assert flagged() == {("sen", case.person_id)}


def test_the_cases_own_bydel_coordinates_without_a_task(make_member):
    coordinator = actor_of(make_member("coordinator", username="koordinator"))
    with clock.frozen(NOON - dt.timedelta(days=7)):
        case = CaseFactory()
    assert coordinator.agency.district_id == case.district_id
    TeamMemberFactory(case=case, user=coordinator.user, agency=coordinator.agency,
                      joined_on=DAY - dt.timedelta(days=7))
    read(coordinator, case.person)
    assert flagged() == set()


def test_a_case_opened_after_the_read_does_not_cover_it(make_member):
    member = actor_of(make_member("caseworker", username="tidlig"))
    person = PersonFactory()
    with clock.frozen(NOON + dt.timedelta(hours=1)):
        case = CaseFactory(person=person)
    TeamMemberFactory(case=case, user=member.user, agency=member.agency, joined_on=DAY)
    read(member, person)
    assert flagged() == {("tidlig", person.pk)}


@pytest.fixture
def auditor(make_member, login):
    return login(Client(), make_member("auditor", agency_type="by", district=None))


def test_report_page_shows_all_three_checks_and_is_recorded(auditor, case, make_member,
                                                             settings):
    settings.LAGET_UNUSUAL_MANY_PERSONS = 3
    case, member = case
    gamle_oslo = actor_of(make_member("caseworker", district="030101", username="gamleoslo"))
    read(gamle_oslo, case.person)  # outside its bydel and on no team
    for i in range(3):
        read(member, PersonFactory().pk, at=NOON + dt.timedelta(minutes=i),
             action=Action.PERSON_VIEW)
    response = auditor.get(URL, {"date_from": "2026-03-01", "date_to": "2026-03-31"})
    body = response.content.decode()
    assert response.status_code == 200
    assert str(case.person_id) in body and "gamleoslo" in body and "i-teamet" in body
    assert case.person.national_id not in body and case.person.given_name not in body
    assert "Gamle Oslo" in body and "Stovner" in body
    event = AuditEvent.objects.get(action=Action.AUDIT_UNUSUAL)
    assert event.details["from"] == "2026-03-01" and event.details["to"] == "2026-03-31"
    assert event.details["outside_district"] == 1
    assert event.details["many_persons"] == 1
    assert event.details["without_task"] == 4  # the Gamle Oslo read and the three persons
    assert not event.subjects.exists()


def test_report_defaults_to_the_last_30_days(auditor):
    response = auditor.get(URL)
    assert response.status_code == 200
    today = clock.today()
    start = (today - dt.timedelta(days=29)).isoformat()
    event = AuditEvent.objects.get(action=Action.AUDIT_UNUSUAL)
    assert (event.details["from"], event.details["to"]) == (start, today.isoformat())
    assert f'value="{start}"' in response.content.decode()


@pytest.mark.parametrize("query, message", [
    ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "Til-datoen er før fra-datoen."),
    ({"date_from": "2024-01-01", "date_to": "2026-03-01"}, "Perioden kan være høyst ett år."),
    ({"date_from": "i går"}, "Oppgi en gyldig dato."),
])
def test_report_with_a_bad_period_is_a_form_error(auditor, query, message):
    response = auditor.get(URL, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.AUDIT_UNUSUAL).exists()


@pytest.mark.parametrize("role", ["caseworker", "coordinator", "leader", "analyst", "admin"])
def test_only_the_auditor_sees_the_report(make_member, login, role):
    assert login(Client(), make_member(role)).get(URL).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.AUDIT_UNUSUAL).exists()
