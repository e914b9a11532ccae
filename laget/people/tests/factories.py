import datetime as dt
import random

import factory
from factory.django import DjangoModelFactory

from laget.people.identifiers import synthetic_national_id
from laget.people.models import Guardian, GuardianRelation, IdKind, Person

_rng = random.Random(4242)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    # Cycles through 2010–2015 (aged 10–16 in 2026): the sequence is shared by the whole test
    # session, and an ever-growing offset would reach birth dates in the future.
    birth_date = factory.Sequence(
        lambda n: dt.date(2010, 1, 1) + dt.timedelta(days=37 * (n % 60))
    )
    national_id = factory.LazyAttribute(
        lambda p: synthetic_national_id(birth_date=p.birth_date, rng=_rng)
    )
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
