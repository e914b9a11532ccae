"""Coverage per bydel: the pure computation, and the selector over the catalogue and the real
population data."""

import datetime as dt

import pytest

from laget.areas.models import PopulationByAge, Sex
from laget.pathways.coverage import (
    OfferFacts,
    Rate,
    coverage_by_district,
    coverage_compute,
    coverage_rows,
)
from laget.pathways.models import OfferKind, Season
from laget.pathways.tests.factories import OfferFactory, OpeningHoursFactory


def test_compute_sums_per_bydel_and_divides_per_thousand():
    population = {("A", age): 100 for age in range(10, 25)}  # 800 aged 10–17, 1000 aged 15–24
    offers = [
        OfferFacts("A", OfferKind.CLUB, None, 0, 12.0),
        OfferFacts("A", OfferKind.CLUB, None, 0, 4.0),
        OfferFacts("A", OfferKind.SUMMER_JOB, 30, 0, 0),
        OfferFacts("A", OfferKind.PART_TIME_JOB, None, 0, 0),
        OfferFacts("A", OfferKind.SPORT, 40, 8, 0),
        OfferFacts(None, OfferKind.SPORT, 40, 40, 0),  # city-wide: in no bydel
        OfferFacts("A", OfferKind.MENTOR, 10, 10, 0),  # counts in no measure
    ]
    (a, b) = coverage_compute(districts={"A": "Bydel A", "B": "Bydel B"}, offers=offers,
                              population=population)
    assert a.club_hours == Rate(16.0, 800) and a.club_hours.rate == 20.0
    assert a.job_places == Rate(30, 1000) and a.job_places.rate == 30.0
    assert a.free_sport_places == Rate(8, 800) and a.free_sport_places.rate == 10.0
    assert b.club_hours.numerator == 0 and b.club_hours.rate is None  # no youth on file


@pytest.mark.django_db
def test_selector_uses_school_year_hours_and_population():
    club = OfferFactory(district_id="030111", kind=OfferKind.CLUB)
    OpeningHoursFactory(offer=club, weekday=0, opens=dt.time(15), closes=dt.time(21))
    OpeningHoursFactory(offer=club, weekday=1, opens=dt.time(15), closes=dt.time(19, 30))
    OpeningHoursFactory(offer=club, season=Season.SUMMER, weekday=1)
    OfferFactory(district_id="030111", kind=OfferKind.CLUB, active=False)
    rows, year = coverage_by_district()
    assert year is not None
    stovner = next(r for r in rows if r.code == "030111")
    youth = sum(PopulationByAge.objects.filter(
        district_id="030111", year=year, sex=Sex.TOTAL, age__gte=10, age__lte=17,
    ).values_list("population", flat=True))
    assert stovner.club_hours == Rate(10.5, youth)
    assert len(rows) == 15
    flat = coverage_rows("club_hours")
    assert {"code": "030111", "name": stovner.name, "numerator": 10.5, "denominator": youth,
            "rate": round(10.5 * 1000 / youth, 1)} in flat
    with pytest.raises(ValueError):
        coverage_rows("nonsense")
