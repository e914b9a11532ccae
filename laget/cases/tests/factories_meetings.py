"""A meeting scene: a Stovner case with the bydel's coordinator, a police officer, a school
teacher and a barnevern worker on the team, the young person's guardians (one with restricted
contact), and helpers to schedule meetings through the service."""

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from laget.accounts.actor import Actor
from laget.accounts.models import Membership, User
from laget.cases.meetings import Invite, meeting_schedule
from laget.cases.models import Meeting
from laget.cases.services import case_open
from laget.core import clock
from laget.people.models import Guardian
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.models import Case, TeamMember
from laget.records.services import team_member_add
from laget.sharing.services import consent_register


def actor_of(user: User) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


@dataclass
class MeetingScene:
    case: Case
    coordinator: Actor
    leader: Actor
    police: Actor
    teacher: Actor
    social_worker: Actor
    other_coordinator: Actor
    guardians: list[Guardian]
    restricted: Guardian

    def member(self, actor: Actor) -> TeamMember:
        return TeamMember.objects.active().get(case=self.case, user=actor.user)

    def invite(self, *actors: Actor, **kwargs: Any) -> Invite:
        return Invite(team_member_ids=[self.member(a).pk for a in actors], **kwargs)

    def consent_barnevern(self) -> None:
        """The guardians' consent to barnevern sharing with the bydel: the coordinator then has a
        basis to know barnevern is on the team (the police still has none)."""
        today = clock.today()
        consent_register(
            actor=self.coordinator, case=self.case, given_by="guardian",
            guardian_ids=[g.pk for g in self.guardians], method="signed_form",
            categories=["barnevern"], recipients=["bydel"], purposes=["forebygging"],
            valid_from=today, valid_to=today + dt.timedelta(days=180), youth_view="Greit.")

    def schedule(self, *, at: dt.datetime | None = None, invite: Invite | None = None,
                 **kwargs: Any) -> Meeting:
        return meeting_schedule(
            actor=self.coordinator, case=self.case,
            starts_at=at or clock.now() + dt.timedelta(days=2), place="Stovner bydelshus",
            invite=invite or self.invite(self.coordinator, self.police, self.teacher), **kwargs)


def make_scene(make_member: Any) -> MeetingScene:
    """Users without a password (hashing one with Argon2 takes most of a test's time)."""
    today = clock.today()
    make_member = partial(make_member, password=None)
    coordinator = actor_of(make_member("coordinator", first_name="Kari", last_name="Koordinator"))
    assert coordinator.agency is not None
    leader = actor_of(make_member("leader", agency=coordinator.agency))
    police = actor_of(make_member("caseworker", agency_type="politi", district=None,
                                  first_name="Per", last_name="Politi"))
    teacher = actor_of(make_member("caseworker", agency_type="skole",
                                   first_name="Lise", last_name="Lærer"))
    social_worker = actor_of(make_member("caseworker", agency_type="barnevern",
                                         first_name="Berit", last_name="Barnevern"))
    other = actor_of(make_member("coordinator", district="030112"))
    person = PersonFactory(birth_date=today.replace(year=today.year - 15) - dt.timedelta(days=20),
                           given_name="Sara", family_name="Syntetisk")
    guardians = [GuardianFactory(person=person, given_name="Mor"),
                 GuardianFactory(person=person, given_name="Far", relation="far")]
    restricted = GuardianFactory(person=person, given_name="Stefar", relation="annen",
                                 restricted_contact=True, parental_responsibility=False)
    case = case_open(actor=coordinator, person=person)
    for member in (police, teacher, social_worker):
        assert member.agency is not None
        team_member_add(actor=coordinator, case=case, user=member.user, agency=member.agency)
    return MeetingScene(case, coordinator, leader, police, teacher, social_worker, other,
                        guardians, restricted)
