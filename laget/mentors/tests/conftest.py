"""A Stovner bydel that runs an «Unge forbilder» programme (two required criteria and one that
counts, two places), its coordinator and caseworker, a youth club caseworker who applies and
refers, a school caseworker who is no one's staff, and young people of 17 and 14 registered by
the club (so the club's staff may see them)."""

import datetime as dt
from dataclasses import dataclass

import pytest

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType, Membership, Role, User
from laget.accounts.tests.factories import AgencyFactory
from laget.core import clock
from laget.mentors import services
from laget.mentors.models import Application, Programme
from laget.people.models import Person
from laget.people.tests.factories import PersonFactory

STOVNER = "030111"


def actor_of(user: User) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


def born(years: int) -> dt.date:
    return clock.today() - dt.timedelta(days=int(years * 365.25) + 40)


def consent(**kwargs) -> services.Consent:
    values = {"method": "skjema", "given_on": clock.today(), "youth": True, "guardians": True}
    values.update(kwargs)
    return services.Consent(**values)


@dataclass
class Scene:
    bydel: Agency
    club: Agency
    programme: Programme
    coordinator: Actor
    staff: Actor
    club_worker: Actor
    school_worker: Actor
    analyst: Actor
    youth: Person
    child: Person

    def apply(self, person: Person | None = None, **kwargs) -> Application:
        values = {"programme": self.programme, "person": person or self.youth,
                  "motivation": "Hjelper yngre i klubben.", "consent": consent()}
        values.update(kwargs)
        return services.application_submit(actor=self.club_worker, **values)

    def assess_all(self, application: Application, result: str = "oppfylt") -> None:
        services.application_assess(
            actor=self.staff, application=application,
            results={str(c.pk): (result, "") for c in self.programme.criteria.all()})


def build_scene(make_member) -> Scene:
    bydel = AgencyFactory(type=AgencyType.BYDEL, district_id=STOVNER, name="Bydel Stovner")
    club = AgencyFactory(type=AgencyType.FRITID, district_id=STOVNER, name="Stovner fritidsklubb")
    programme = services.programme_create(
        agency=bydel, name="Unge forbilder Stovner", capacity=2,
        criteria=[("Er i videregående opplæring eller jobb", True),
                  ("Ingen nye registreringer siste 12 måneder", True),
                  ("Anbefalt av en voksen som kjenner den unge", False)])
    return Scene(
        bydel=bydel, club=club, programme=programme,
        coordinator=actor_of(make_member(Role.COORDINATOR, agency=bydel)),
        staff=actor_of(make_member(Role.CASEWORKER, agency=bydel)),
        club_worker=actor_of(make_member(Role.CASEWORKER, agency=club)),
        school_worker=actor_of(make_member(Role.CASEWORKER, agency_type=AgencyType.SKOLE)),
        analyst=actor_of(make_member(Role.ANALYST, agency=bydel)),
        youth=PersonFactory(birth_date=born(17), registered_by_agency=club),
        child=PersonFactory(birth_date=born(14), registered_by_agency=club),
    )


@pytest.fixture
def scene(make_member) -> Scene:
    return build_scene(make_member)
