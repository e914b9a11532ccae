"""Rows of other apps that the analytics count, made directly (the computation reads the tables,
not the services), and indicator values for the publication tests."""

import datetime as dt
import itertools
from decimal import Decimal

from laget.accounts.tests.factories import AgencyFactory, UserFactory
from laget.analytics.models import IndicatorValue
from laget.analytics.services import indicators_sync_one
from laget.cases.models import Concern
from laget.fasttrack.models import Milestone, YouthCase
from laget.people.tests.factories import PersonFactory
from laget.policing.models import PoliceRegistration

_numbers = itertools.count(1)


def concern(*, district: str, at: dt.datetime) -> Concern:
    return Concern.objects.create(
        district_id=district, given_name="Ola", family_name="Test",
        birth_date=dt.date(2010, 1, 1), text="Bekymring.", submitted_by=UserFactory(),
        submitting_agency=AgencyFactory(), submitted_at=at)


def registration(*, subdistrict: str, at: dt.datetime, kind: str, birth_date: dt.date,
                 weapon: str = "none") -> PoliceRegistration:
    return PoliceRegistration.objects.create(
        kind=kind, given_name="Kari", family_name="Test", birth_date=birth_date,
        occurred_at=at, subdistrict_id=subdistrict, unit=AgencyFactory(),
        officer=UserFactory(), weapon_type=weapon,
        offence_category="vold" if kind == "apprehension" else "")


def decided_case(*, district: str, offence_on: dt.date, decided_on: dt.date) -> YouthCase:
    user = UserFactory()
    case = YouthCase.objects.create(
        person=PersonFactory(district_id=district), district_id=district,
        police_case_number=f"{80000000 + next(_numbers)}", offence_categories=["vold"],
        offence_on=offence_on, age_at_offence=16, unit=AgencyFactory(), opened_by=user)
    Milestone.objects.create(case=case, kind="charge_decision", occurred_on=decided_on,
                             outcome="forelegg", recorded_by=user,
                             recorded_at=dt.datetime.combine(decided_on, dt.time(12),
                                                             tzinfo=dt.UTC))
    return case


def values(key: str, figures: dict[tuple[str, dt.date], int | Decimal], *,
           n: int | None = None) -> None:
    """Store computed-looking values of an indicator: (area code, period) → value."""
    from laget.analytics.models import Level
    from laget.areas.models import Subdistrict

    indicator = indicators_sync_one(key)
    parent = dict(Subdistrict.objects.values_list("code", "district_id"))
    IndicatorValue.objects.bulk_create([
        IndicatorValue(indicator=indicator, level=indicator.level, area_code=code,
                       district_id=parent[code] if indicator.level == Level.DELBYDEL else code,
                       subdistrict_id=code if indicator.level == Level.DELBYDEL else None,
                       period=period, value=Decimal(value), n=n)
        for (code, period), value in figures.items()])
