"""A police unit with a prosecutor and an officer, a court, a konfliktråd and kriminalomsorgen
(each with a caseworker), a Stovner coordinator, and a 16-year-old — all under a stopped clock
(Tuesday 10 March 2026), so that deadlines and holidays fall on known days."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Membership, Role, User
from laget.accounts.tests.factories import AgencyFactory
from laget.core import clock
from laget.fasttrack import services
from laget.fasttrack.models import YouthCase
from laget.people.models import Person
from laget.people.tests.factories import PersonFactory

STOVNER = "030111"
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 10)
OFFENCE = dt.date(2026, 3, 1)


def actor_of(user: User) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


@dataclass
class Scene:
    prosecutor: Actor
    officer: Actor
    other_prosecutor: Actor
    court: Actor
    konfliktraad: Actor
    kriminalomsorg: Actor
    coordinator: Actor
    person: Person

    def open(self, **kwargs) -> YouthCase:
        values = {"person": self.person, "police_case_number": "12345678",
                  "offence_on": OFFENCE, "offence_categories": ["vold"], "weapon": True}
        values.update(kwargs)
        return services.youth_case_open(actor=self.prosecutor, **values)


@pytest.fixture
def frozen() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def scene(frozen, make_member, rulebook) -> Scene:
    unit = AgencyFactory(type=AgencyType.POLITI, district_id=None)
    prosecutor = actor_of(make_member(Role.PROSECUTOR, agency=unit))
    officer = actor_of(make_member(Role.CASEWORKER, agency=unit))
    other = actor_of(make_member(Role.PROSECUTOR, agency_type=AgencyType.POLITI, district=None))
    court = actor_of(make_member(Role.CASEWORKER, agency_type=AgencyType.DOMSTOL, district=None))
    konfliktraad = actor_of(make_member(Role.CASEWORKER, agency_type=AgencyType.KONFLIKTRAAD,
                                        district=None))
    kriminalomsorg = actor_of(make_member(Role.CASEWORKER,
                                          agency_type=AgencyType.KRIMINALOMSORG, district=None))
    coordinator = actor_of(make_member(Role.COORDINATOR, district=STOVNER))
    person = PersonFactory(birth_date=dt.date(2010, 1, 15), district_id=STOVNER)
    return Scene(prosecutor, officer, other, court, konfliktraad, kriminalomsorg, coordinator,
                 person)
