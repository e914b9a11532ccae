"""Factories for the catalogue (synthetic offers only)."""

import datetime as dt

import factory

from laget.accounts.models import AgencyType
from laget.accounts.tests.factories import AgencyFactory
from laget.pathways.models import Offer, OfferKind, OpeningHours, Season


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    provider = factory.SubFactory(AgencyFactory, type=AgencyType.FRITID, district_id="030111")
    kind = OfferKind.CLUB
    name = factory.Sequence(lambda n: f"Testklubben {n}")
    district_id = "030111"
    age_min = 10
    age_max = 17


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    offer = factory.SubFactory(OfferFactory)
    season = Season.SCHOOL_YEAR
    weekday = 1
    opens = dt.time(15)
    closes = dt.time(21)
