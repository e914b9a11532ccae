"""A Stovner case in assessment with its coordinator, the bydel's leader, a caseworker in the
bydel, a police officer on the team and the coordinator of another bydel."""

import datetime as dt
from dataclasses import dataclass

import pytest

from laget.accounts.actor import Actor
from laget.accounts.models import Membership, User
from laget.cases.services import case_open
from laget.core import clock
from laget.people.tests.factories import PersonFactory
from laget.records.models import Case
from laget.records.services import team_member_add


def actor_of(user: User) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


@dataclass
class Scene:
    case: Case
    coordinator: Actor
    leader: Actor
    caseworker: Actor
    police: Actor
    other_coordinator: Actor


@pytest.fixture
def scene(make_member, rulebook) -> Scene:
    today = clock.today()
    coordinator = actor_of(make_member("coordinator"))
    assert coordinator.agency is not None
    leader = actor_of(make_member("leader", agency=coordinator.agency))
    caseworker = actor_of(make_member("caseworker", agency=coordinator.agency))
    police = actor_of(make_member("caseworker", agency_type="politi", district=None))
    other = actor_of(make_member("coordinator", district="030112"))
    person = PersonFactory(birth_date=today.replace(year=today.year - 15) - dt.timedelta(days=20))
    case = case_open(actor=coordinator, person=person)
    team_member_add(actor=coordinator, case=case, user=police.user, agency=police.agency)
    return Scene(case, coordinator, leader, caseworker, police, other)
