"""A case in Stovner with a team from the bydel, a school and the police, and entries from the
school and from barnevern: the world the case and consent page tests share."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType, Membership, User
from laget.accounts.tests.factories import AgencyFactory
from laget.core import clock
from laget.people.models import Guardian, Person
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.models import Case
from laget.records.services import case_open, team_member_add
from laget.sharing import services as sharing_services
from laget.sharing.models import Consent


def actor_of(user: User) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


@dataclass
class World:
    person: Person
    guardians: list[Guardian]
    case: Case
    bydel: Agency
    school: Agency
    police: Agency
    barnevern: Agency
    coordinator: User
    teacher: User
    officer: User
    social_worker: User
    school_entry: Any
    barnevern_entries: list[Any]

    def consent(self, **overrides: Any) -> Consent:
        """A consent from both guardians to share school information with the police."""
        today = clock.today()
        data: dict[str, Any] = {
            "given_by": "guardian", "guardian_ids": [g.pk for g in self.guardians],
            "method": "signed_form", "categories": ["skole"], "recipients": ["politi"],
            "purposes": ["forebygging"], "valid_from": today,
            "valid_to": today + dt.timedelta(days=180), "youth_view": "Synes det er greit.",
        }
        data.update(overrides)
        return sharing_services.consent_register(actor=actor_of(self.coordinator), case=self.case,
                                                 **data)


@pytest.fixture
def world(rulebook, make_member) -> World:
    today = clock.today()
    person = PersonFactory(birth_date=today.replace(year=today.year - 14) - dt.timedelta(days=60),
                           district_id="030111", given_name="Sara", family_name="Syntetisk")
    guardians = [GuardianFactory(person=person, given_name="Mor"),
                 GuardianFactory(person=person, given_name="Far", relation="far")]
    bydel = AgencyFactory(type=AgencyType.BYDEL, name="Bydel Stovner", district_id="030111")
    school = AgencyFactory(type=AgencyType.SKOLE, name="Haugen skole", district_id="030111")
    police = AgencyFactory(type=AgencyType.POLITI, name="Oslo politidistrikt", district_id=None)
    barnevern = AgencyFactory(type=AgencyType.BARNEVERN, name="Barneverntjenesten Stovner",
                              district_id="030111")
    coordinator = make_member("coordinator", agency=bydel)
    teacher = make_member("caseworker", agency=school)
    officer = make_member("caseworker", agency=police)
    social_worker = make_member("caseworker", agency=barnevern)
    lead = actor_of(coordinator)
    case = case_open(actor=lead, person=person)
    for user, agency in ((teacher, school), (officer, police), (social_worker, barnevern)):
        team_member_add(actor=lead, case=case, user=user, agency=agency, team_role="Kontakt")
    school_entry = sharing_services.entry_add(
        actor=actor_of(teacher), case=case, category="skole",
        text="Fravær 30 prosent siste måned.")
    barnevern_entries = [
        sharing_services.entry_add(actor=actor_of(social_worker), case=case, category=category,
                                   text=f"Hemmelig {category}.")
        for category in ("barnevern", "plan")
    ]
    return World(person, guardians, case, bydel, school, police, barnevern, coordinator, teacher,
                 officer, social_worker, school_entry, barnevern_entries)
