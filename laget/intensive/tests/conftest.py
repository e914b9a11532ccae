"""A Stovner coordinator and a team around a 15-year-old's open case — school, youth club
(fritid), police, health and barnevern caseworkers on it — under a stopped clock (Monday
9 March 2026), with the shipped rulebook loaded (production mode: unreviewed allow rules need
consent)."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Membership, Role, User
from laget.core import clock
from laget.intensive import services
from laget.intensive.models import Enrolment
from laget.people.models import Guardian
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.models import Case, TeamMember
from laget.records.services import case_open, team_member_add

STOVNER = "030111"
NOW = dt.datetime(2026, 3, 9, 10, 0, tzinfo=clock.OSLO)
TODAY = dt.date(2026, 3, 9)  # a Monday


def actor_of(user: User) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


@dataclass
class Scene:
    coordinator: Actor
    school: Actor
    club: Actor
    police: Actor
    health: Actor
    barnevern: Actor
    outsider: Actor
    case: Case
    guardian: Guardian

    def member(self, actor: Actor) -> TeamMember:
        return TeamMember.objects.get(case=self.case, user=actor.user)

    def consent(self, **kwargs) -> services.ConsentGiven:
        values = {"given_by": "guardian", "guardian_ids": [self.guardian.pk],
                  "method": "signed_form", "valid_to": TODAY + dt.timedelta(days=180),
                  "youth_view": "Vil gjerne være med."}
        values.update(kwargs)
        return services.ConsentGiven(**values)

    def enrol(self, case: Case | None = None, **kwargs) -> Enrolment:
        values = {"decided_on": TODAY, "starts_on": TODAY, "consent": self.consent(),
                  "members": [self.member(self.club), self.member(self.school)]}
        if case is not None:
            guardian = (Guardian.objects.filter(person=case.person).first()
                        or GuardianFactory(person=case.person))
            values.update(members=[], consent=self.consent(guardian_ids=[guardian.pk]))
        values.update(kwargs)
        return services.enrolment_create(actor=self.coordinator, case=case or self.case,
                                         **values)


@pytest.fixture
def frozen() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def scene(frozen, make_member, rulebook) -> Scene:
    coordinator = actor_of(make_member(Role.COORDINATOR, district=STOVNER))
    person = PersonFactory(birth_date=dt.date(2010, 6, 1), district_id=STOVNER)  # 15
    guardian = GuardianFactory(person=person)
    case = case_open(actor=coordinator, person=person)
    others = {}
    for name, kind in (("school", AgencyType.SKOLE), ("club", AgencyType.FRITID),
                       ("police", AgencyType.POLITI), ("health", AgencyType.HELSE),
                       ("barnevern", AgencyType.BARNEVERN)):
        actor = actor_of(make_member(Role.CASEWORKER, agency_type=kind, district=STOVNER))
        team_member_add(actor=coordinator, case=case, user=actor.user, agency=actor.agency)
        others[name] = actor
    outsider = actor_of(make_member(Role.CASEWORKER, agency_type=AgencyType.FRITID,
                                    district=STOVNER))
    return Scene(coordinator=coordinator, outsider=outsider, case=case, guardian=guardian,
                 **others)


def new_case(scene: Scene, *, birth_date: dt.date = dt.date(2011, 1, 1)) -> Case:
    person = PersonFactory(birth_date=birth_date, district_id=STOVNER)
    return case_open(actor=scene.coordinator, person=person)
