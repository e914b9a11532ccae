"""A Stovner SaLTo case of a 15-year-old with two guardians (the father with restricted
contact), its bydel's coordinator (on the team), two leaders, a caseworker and a second
coordinator; a school caseworker on the team; Søndre Nordstrand's leader; a youth-club agency
that runs a parent-support programme, with a caseworker; and the shipped rulebook."""

import datetime as dt
from dataclasses import dataclass

import pytest

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Membership, Role, User
from laget.accounts.tests.factories import AgencyFactory
from laget.core import clock
from laget.pathways.models import Offer, OfferKind
from laget.people.models import Guardian, GuardianRelation
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.models import Case
from laget.records.services import case_open, team_member_add
from laget.sharing import services as sharing_services

STOVNER = "030111"
SONDRE = "030115"


def actor_of(user: User) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


@dataclass
class Scene:
    coordinator: Actor
    leader: Actor
    other_leader: Actor
    caseworker: Actor
    other_coordinator: Actor
    school: Actor
    sondre_leader: Actor
    provider: Actor
    case: Case
    mother: Guardian
    father: Guardian
    offer: Offer

    def consent(self, recipients: tuple[str, ...] = ("fritid",)) -> None:
        """The guardians' (and the young person's) consent to tell the provider."""
        today = clock.today()
        sharing_services.consent_register(
            actor=self.coordinator, case=self.case, given_by="both",
            guardian_ids=[self.mother.pk, self.father.pk], method="signed_form",
            categories=["identitet", "familie"], recipients=list(recipients),
            purposes=["oppfolging"], valid_from=today, valid_to=today + dt.timedelta(days=90),
            youth_view="Enig.")


@pytest.fixture
def scene(make_member, rulebook) -> Scene:
    bydel = AgencyFactory(type=AgencyType.BYDEL, district_id=STOVNER)

    def member(role: str, **kwargs) -> Actor:
        return actor_of(make_member(role, **({"agency": bydel} | kwargs)))

    coordinator = member(Role.COORDINATOR)
    leader = member(Role.LEADER)
    other_leader = member(Role.LEADER)
    caseworker = member(Role.CASEWORKER)
    other_coordinator = member(Role.COORDINATOR)
    school = actor_of(make_member(Role.CASEWORKER, agency_type=AgencyType.SKOLE))
    sondre_leader = actor_of(make_member(Role.LEADER, district=SONDRE))
    club = AgencyFactory(type=AgencyType.FRITID, district_id=STOVNER)
    provider = actor_of(make_member(Role.CASEWORKER, agency=club))
    today = clock.today()
    person = PersonFactory(birth_date=today.replace(year=today.year - 15) - dt.timedelta(days=30),
                           district_id=STOVNER)
    mother = GuardianFactory(person=person, given_name="Mor", phone="+4790000001")
    father = GuardianFactory(person=person, given_name="Far", relation=GuardianRelation.FATHER,
                             restricted_contact=True)
    case = case_open(actor=coordinator, person=person)
    team_member_add(actor=coordinator, case=case, user=school.user, agency=school.agency)
    offer = Offer.objects.create(provider=club, kind=OfferKind.PARENT_SUPPORT,
                                 name="Foreldreveiledning (test)", age_min=10, age_max=18)
    return Scene(coordinator, leader, other_leader, caseworker, other_coordinator, school,
                 sondre_leader, provider, case, mother, father, offer)
