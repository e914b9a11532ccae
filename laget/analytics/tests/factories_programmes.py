"""Programmes, commitments and plans for the tests, made through the services where the test is
not about the service itself."""

import datetime as dt

from laget.accounts.actor import Actor
from laget.accounts.models import Membership
from laget.analytics.models import AreaProgramme
from laget.analytics.programmes import ProgrammeData, programme_save
from laget.areas.models import District, Subdistrict


def actor_of(user) -> Actor:
    return Actor(user, Membership.objects.get(user=user))


def programme(*, actor: Actor, name: str = "Testsatsingen", districts=("030111",),
              subdistricts=()) -> AreaProgramme:
    return programme_save(actor=actor, programme=None, data=ProgrammeData(
        name=name, description="", districts=list(District.objects.filter(code__in=districts)),
        subdistricts=list(Subdistrict.objects.filter(code__in=subdistricts)),
        starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2027, 12, 31), owner="Oslo kommune"))
