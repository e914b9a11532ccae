"""A police unit with an officer, a Stovner coordinator, and helpers to make young persons of a
given age with guardians and (optionally) an open SaLTo case."""

import datetime as dt
from dataclasses import dataclass

import pytest

from laget.accounts.actor import Actor
from laget.accounts.models import Membership, User
from laget.areas.models import Subdistrict
from laget.cases.services import case_open
from laget.core import clock
from laget.people.models import Person
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.models import Case

STOVNER = "030111"


def actor_of(user: User) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


def born(years: int, days: int = 30) -> dt.date:
    """A birth date that makes a person `years` old today (the birthday `days` ago)."""
    today = clock.today()
    try:
        birthday = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        birthday = today.replace(year=today.year - years, day=28)
    return birthday - dt.timedelta(days=days)


@dataclass
class World:
    police: Actor
    coordinator: Actor
    place: Subdistrict

    def young(self, age: int, *, case: bool = False, phone: str = "99999999",
              **kwargs) -> tuple[Person, Case | None]:
        person = PersonFactory(birth_date=born(age), district_id=STOVNER, **kwargs)
        GuardianFactory(person=person, given_name="Mor", phone=phone)
        opened = case_open(actor=self.coordinator, person=person) if case else None
        return person, opened


@pytest.fixture
def world(make_member, rulebook) -> World:
    coordinator = actor_of(make_member("coordinator", password=None))
    police = actor_of(make_member("caseworker", agency_type="politi", district=None,
                                  password=None))
    place = Subdistrict.objects.filter(district_id=STOVNER).order_by("code").first()
    return World(police, coordinator, place)
