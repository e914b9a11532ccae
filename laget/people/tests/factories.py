import datetime as dt
import random

import factory
from factory.django import DjangoModelFactory

from laget.people.identifiers import synthetic_national_id
from laget.people.models import Guardian, GuardianRelation, IdKind, Person

_rng = random.Random(4242)


def _unused_national_id(birth_date: dt.date) -> str:
    """A synthetic number for the birth date that no person in the database has yet: a test that
    makes many persons born on one day would otherwise, now and then, draw the same one twice
    (a few hundred valid numbers per day)."""
    while True:
        number = synthetic_national_id(birth_date=birth_date, rng=_rng)
        if not Person.objects.filter(national_id=number).exists():
            return number


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    # Cycles through 2010–2015 (aged 10–16 in 2026): the sequence is shared by the whole test
    # session, and an ever-growing offset would reach birth dates in the future.
    birth_date = factory.Sequence(
        lambda n: dt.date(2010, 1, 1) + dt.timedelta(days=37 * (n % 60))
    )
    national_id = factory.LazyAttribute(lambda p: _unused_national_id(p.birth_date))
    id_kind = IdKind.FNR
    given_name = factory.Sequence(lambda n: f"Ung{n}")
    family_name = "Syntetisk"
    district_id = "030111"
    is_synthetic = True


class GuardianFactory(DjangoModelFactory):
    class Meta:
        model = Guardian

    person = factory.SubFactory(PersonFactory)
    given_name = "Forelder"
    family_name = "Syntetisk"
    relation = GuardianRelation.MOTHER
    parental_responsibility = True
    is_synthetic = True
