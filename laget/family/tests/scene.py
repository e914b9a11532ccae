"""A family and a team for the family pages' tests: a Stovner case with a coordinator, a school
and a barnevern caseworker on the team, the school's entry, a plan with something for the family
and something not, and the guardians' consent that lets barnevern read the school's entries."""

import datetime as dt
import random
from dataclasses import dataclass

from laget.accounts.actor import Actor
from laget.accounts.models import Membership, User
from laget.cases.models import Goal, Task
from laget.cases.plan import goal_create, task_create
from laget.cases.services import case_open
from laget.core import clock
from laget.people.identifiers import synthetic_national_id
from laget.people.models import Guardian, Person
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.models import Case, Entry
from laget.records.services import team_member_add
from laget.sharing.models import Consent
from laget.sharing.services import consent_register, entry_add

SCHOOL_TEXT = "Fravær 30 prosent siste måned."
_rng = random.Random(1313)


def actor_of(user: User) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


def number(birth_date: dt.date) -> str:
    return synthetic_national_id(birth_date=birth_date, rng=_rng)


def birth_date_for(age: int, *, days: int = 40) -> dt.date:
    today = clock.today()
    return today.replace(year=today.year - age) - dt.timedelta(days=days)


@dataclass
class FamilyScene:
    case: Case
    person: Person
    mother: Guardian
    father: Guardian
    coordinator: Actor
    school: Actor
    barnevern: Actor
    entry: Entry
    consent: Consent
    goal: Goal
    hidden_goal: Goal
    school_task: Task
    barnevern_task: Task


def family_scene(make_member, *, age: int = 14) -> FamilyScene:
    """The scene; `make_member` is the shared fixture. Both guardians have parental
    responsibility and a number of their own; the consent is given by whoever must give it at
    `age` (guardians under 16, the young person and guardians at 16–17, the person from 18)."""
    coordinator = actor_of(make_member("coordinator", first_name="Kari", last_name="Koordinator"))
    school = actor_of(make_member("caseworker", agency_type="skole", first_name="Lars",
                                  last_name="Lærer"))
    barnevern = actor_of(make_member("caseworker", agency_type="barnevern", first_name="Bente",
                                     last_name="Barnevern"))
    birth = birth_date_for(age)
    person = PersonFactory(given_name="Sara", family_name="Syntetisk", birth_date=birth,
                           national_id=number(birth))
    mother = GuardianFactory(person=person, given_name="Mona", national_id=number(
        birth_date_for(44)))
    father = GuardianFactory(person=person, given_name="Frank", relation="far",
                             national_id=number(birth_date_for(46)))
    case = case_open(actor=coordinator, person=person)
    for member, role in ((school, "Kontaktlærer"), (barnevern, "Saksbehandler")):
        assert member.agency is not None
        team_member_add(actor=coordinator, case=case, user=member.user, agency=member.agency,
                        team_role=role)
    entry = entry_add(actor=school, case=case, category="skole", text=SCHOOL_TEXT)
    goal = goal_create(actor=coordinator, case=case, title="Sara er på skolen hver dag",
                       indicator="Fravær under 5 prosent", expected_version=None)
    hidden_goal = goal_create(actor=coordinator, case=case, title="Internt teammål",
                              family_visible=False, expected_version=None)
    assert school.agency is not None and barnevern.agency is not None
    school_task = task_create(actor=coordinator, case=case, title="Ukentlig samtale med Sara",
                              agency=school.agency, goal=goal,
                              due_on=clock.today() + dt.timedelta(days=30))
    barnevern_task = task_create(actor=coordinator, case=case, title="Hjemmebesøk",
                                 agency=barnevern.agency, goal=goal)
    today = clock.today()
    consent = consent_register(
        actor=coordinator, case=case,
        given_by="guardian" if age < 16 else "both" if age < 18 else "youth",
        guardian_ids=[mother.pk, father.pk] if age < 18 else [],
        method="signed_form", categories=["skole"], recipients=["barnevern"],
        purposes=["forebygging"], valid_from=today, valid_to=today + dt.timedelta(days=90),
        youth_view="Greit.",
    )
    return FamilyScene(case, person, mother, father, coordinator, school, barnevern, entry,
                       consent, goal, hidden_goal, school_task, barnevern_task)
