"""A Stovner case with its coordinator on the team, a 14-year-old with a guardian, a youth club
of a `fritid` agency with one of its staff, and the shipped rulebook."""

import datetime as dt
from dataclasses import dataclass

import pytest

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType, Membership, User
from laget.core import clock
from laget.pathways.models import Offer
from laget.pathways.tests.factories import OfferFactory
from laget.people.models import Guardian, Person
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.models import Case
from laget.records.services import case_open
from laget.sharing import services as sharing_services


def actor_of(user: User) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


@dataclass
class Scene:
    coordinator: Actor
    club_user: Actor
    club: Agency
    offer: Offer
    person: Person
    guardian: Guardian
    case: Case

    def consent(self, categories: tuple[str, ...] = ("identitet", "aktivitet"),
                recipients: tuple[str, ...] = ("fritid",)):
        today = clock.today()
        return sharing_services.consent_register(
            actor=self.coordinator, case=self.case, given_by="both",
            guardian_ids=[self.guardian.pk], method="signed_form", categories=list(categories),
            recipients=list(recipients), purposes=["oppfolging"], valid_from=today,
            valid_to=today + dt.timedelta(days=90), youth_view="Vil gjerne.")


@pytest.fixture
def scene(make_member, rulebook) -> Scene:
    coordinator = actor_of(make_member("coordinator"))
    club_user = actor_of(make_member("caseworker", agency_type=AgencyType.FRITID))
    today = clock.today()
    person = PersonFactory(birth_date=today.replace(year=today.year - 14) - dt.timedelta(days=3),
                           preferred_language="so", interpreter_needed=True,
                           interpreter_language="so")
    guardian = GuardianFactory(person=person, phone="+4790000001", email="foresatt@example.no")
    case = case_open(actor=coordinator, person=person)
    offer = OfferFactory(provider=club_user.agency, name="Haugenstua fritidsklubb")
    return Scene(coordinator, club_user, club_user.agency, offer, person, guardian, case)
