"""A Stovner bydel with its coordinator and leader, a police unit on the team, and a case that
was closed on 10 March 2025: with the bydel's own entry (and its correction), the police's
entry, a plan with a goal and a task, and a held meeting with minutes. `later` is a day more
than LAGET_ARCHIVE_AFTER_DAYS after the closing, when the case is due for the archive."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType, Membership, Role, User
from laget.accounts.tests.factories import AgencyFactory
from laget.cases import services as case_services
from laget.cases.models import Goal, Meeting, MeetingDecision, MeetingStatus, Plan, Task
from laget.core import clock
from laget.people.tests.factories import PersonFactory
from laget.records.models import Case, Entry
from laget.records.tests.factories import TeamMemberFactory
from laget.sharing import services as sharing_services

STOVNER = "030111"
OPENED = dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC)
CLOSED = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)


def actor_of(user: User) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


@dataclass
class Scene:
    bydel: Agency
    coordinator: Actor
    leader: Actor
    police: Actor
    case: Case
    own_entries: list[Entry]
    police_entry: Entry
    later: dt.datetime


@pytest.fixture
def scene(make_member, rulebook, settings, tmp_path) -> Iterator[Scene]:
    settings.VAR_DIR = tmp_path / "var"
    bydel = AgencyFactory(type=AgencyType.BYDEL, district_id=STOVNER, name="Bydel Stovner")
    coordinator = actor_of(make_member(Role.COORDINATOR, agency=bydel))
    leader = actor_of(make_member(Role.LEADER, agency=bydel))
    police = actor_of(make_member(Role.CASEWORKER, agency_type=AgencyType.POLITI))
    # the scene plays out in 2025–2026, before today: the roles must be valid then
    Membership.objects.filter(
        user__in=[coordinator.user, leader.user, police.user]
    ).update(valid_from=dt.date(2024, 1, 1))
    coordinator, leader, police = (actor_of(a.user) for a in (coordinator, leader, police))
    person = PersonFactory(district_id=STOVNER, birth_date=dt.date(2010, 5, 1))
    with clock.frozen(OPENED):
        case = case_services.case_open(actor=coordinator, person=person)
        TeamMemberFactory(case=case, user=coordinator.user, agency=bydel, is_contact=True)
        TeamMemberFactory(case=case, user=police.user, agency=police.membership.agency)
        first = sharing_services.entry_add(actor=coordinator, case=case, category="skole",
                                           text="Fravær fra skolen i januar.")
        police_entry = sharing_services.entry_add(actor=police, case=case, category="politi",
                                                  text="POLITIETS-OPPLYSNING")
        plan = Plan.objects.create(case=case, changed_by=coordinator.user)
        goal = Goal.objects.create(plan=plan, title="Fullføre skoleåret",
                                   created_by=coordinator.user)
        Task.objects.create(plan=plan, goal=goal, title="Leksehjelp to dager i uka",
                            agency=bydel, created_by=coordinator.user)
        meeting = Meeting.objects.create(
            case=case, starts_at=OPENED + dt.timedelta(days=7), status=MeetingStatus.HELD,
            agenda="Skolegang", minutes="Vi ble enige om leksehjelp.",
            minutes_by=coordinator.user, minutes_at=OPENED + dt.timedelta(days=7, hours=2),
            created_by=coordinator.user)
        MeetingDecision.objects.create(meeting=meeting, text="Leksehjelp fra februar.")
    with clock.frozen(OPENED + dt.timedelta(days=10)):
        second = sharing_services.entry_correct(
            actor=coordinator, case=case, entry_id=first.pk,
            text="Fravær fra skolen i januar (rettet).")
    with clock.frozen(CLOSED):
        case_services.case_transition(actor=coordinator, case=case, to="closed",
                                      reason="Målene er nådd.")
    case.refresh_from_db()
    own = [first, second]
    yield Scene(bydel=bydel, coordinator=coordinator, leader=leader, police=police, case=case,
                own_entries=own, police_entry=police_entry,
                later=CLOSED + dt.timedelta(days=settings.LAGET_ARCHIVE_AFTER_DAYS + 1))
