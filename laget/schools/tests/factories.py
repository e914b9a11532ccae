"""Factories for the schools app (synthetic schools only)."""

import factory

from laget.accounts.models import AgencyType
from laget.accounts.tests.factories import AgencyFactory
from laget.schools.models import School, SchoolLevel


def _orgnr(n: int) -> str:
    """A nine-digit number beginning 98 with a valid modulus-11 check digit."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    base = n
    while True:
        digits = [9, 8, *map(int, f"{base % 1_000_000:06d}")]
        check = 11 - sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(0 if check == 11 else check)
        base += 1_000_001


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    agency = factory.SubFactory(AgencyFactory, type=AgencyType.SKOLE, district_id="030111")
    orgnr = factory.Sequence(lambda n: _orgnr(n * 7 + 11))
    name = factory.SelfAttribute("agency.name")
    district_id = "030111"
    level = SchoolLevel.UNGDOMSSKOLE
    source = "syntetisk"
