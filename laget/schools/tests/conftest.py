"""Two Stovner schools (A and B) with a teacher and a principal each, the city's ambulant team with
its leader and a member, a 14-year-old pupil with two guardians, and the shipped rulebook."""

import datetime as dt
from dataclasses import dataclass

import pytest

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Membership, Role, User
from laget.accounts.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from laget.core import clock
from laget.people.models import Guardian, Person
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.schools.models import School
from laget.schools.tests.factories import SchoolFactory


def actor_of(user: User) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


def member(agency, role: str) -> Actor:
    user = UserFactory()
    MembershipFactory(user=user, agency=agency, role=role)
    return actor_of(user)


@dataclass
class SchoolScene:
    school_a: School
    school_b: School
    teacher_a: Actor
    principal_a: Actor
    teacher_b: Actor
    principal_b: Actor
    team_leader: Actor
    team_member: Actor
    pupil: Person
    guardians: list[Guardian]


@pytest.fixture
def schools(db, rulebook, settings) -> SchoolScene:
    school_a = SchoolFactory(name="Testskolen A")
    school_b = SchoolFactory(name="Testskolen B")
    team = AgencyFactory(type=AgencyType.BY, district_id=None,
                         code=settings.LAGET_AMBULANT_TEAM_AGENCY, name="Ambulant team")
    today = clock.today()
    pupil = PersonFactory(birth_date=today.replace(year=today.year - 14) - dt.timedelta(days=3))
    guardians = [GuardianFactory(person=pupil), GuardianFactory(person=pupil)]
    return SchoolScene(
        school_a, school_b,
        member(school_a.agency, Role.CASEWORKER), member(school_a.agency, Role.LEADER),
        member(school_b.agency, Role.CASEWORKER), member(school_b.agency, Role.LEADER),
        member(team, Role.LEADER), member(team, Role.CASEWORKER), pupil, guardians)
