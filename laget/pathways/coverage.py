"""Coverage of the catalogue per bydel, against the young population there: club opening hours
per week (school-year season) per 1 000 youth aged 10–17, job places (summer and part-time jobs)
per 1 000 youth aged 15–24, and free sport places per 1 000 youth aged 10–17.

`coverage_compute` is pure (offers and population in, rows out); `coverage_by_district` reads the
catalogue and `areas.PopulationByAge` (the latest year on file) and calls it. The area analytics
can call `coverage_rows(measure)` for one measure: per bydel, numerator, denominator and rate.
City-wide offers (no bydel) count in no bydel's numerator: they cannot be placed on the map."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Max, Q

from laget.areas.models import District, DistrictKind, PopulationByAge, Sex
from laget.core import clock
from laget.pathways.models import JOB_KINDS, Offer, OfferKind, OpeningHours, Season

#: measure → (age range of the denominator, inclusive)
AGES = {"club_hours": (10, 17), "job_places": (15, 24), "free_sport_places": (10, 17)}
MEASURES = tuple(AGES)


@dataclass(frozen=True)
class OfferFacts:
    """What coverage needs of one offer: its bydel, kind, places and school-year hours/week."""

    district: str | None
    kind: str
    places: int | None
    free_places: int
    hours_per_week: float


@dataclass(frozen=True)
class Rate:
    numerator: float
    denominator: int

    @property
    def rate(self) -> float | None:
        """Per 1 000; None where the denominator is 0 (a bydel with no youth on file)."""
        if self.denominator <= 0:
            return None
        return round(self.numerator * 1000 / self.denominator, 1)


@dataclass(frozen=True)
class DistrictCoverage:
    code: str
    name: str
    club_hours: Rate
    job_places: Rate
    free_sport_places: Rate

    def measure(self, name: str) -> Rate:
        return {"club_hours": self.club_hours, "job_places": self.job_places,
                "free_sport_places": self.free_sport_places}[name]


def coverage_compute(
    *, districts: Mapping[str, str], offers: Iterable[OfferFacts],
    population: Mapping[tuple[str, int], int],
) -> list[DistrictCoverage]:
    """Rows per bydel (in `districts`' order: code → name) from the offers and the population by
    (bydel, single year of age)."""
    sums: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0.0))
    for offer in offers:
        if offer.district is None:
            continue
        row = sums[offer.district]
        if offer.kind == OfferKind.CLUB:
            row["club_hours"] += offer.hours_per_week
        elif offer.kind in JOB_KINDS:
            row["job_places"] += offer.places or 0
        elif offer.kind == OfferKind.SPORT:
            row["free_sport_places"] += offer.free_places

    def youth(code: str, measure: str) -> int:
        low, high = AGES[measure]
        return sum(population.get((code, age), 0) for age in range(low, high + 1))

    return [
        DistrictCoverage(code, name, *(
            Rate(round(sums[code][m], 1), youth(code, m)) for m in MEASURES))
        for code, name in districts.items()
    ]


def _active(day: dt.date) -> Q:
    return (Q(active=True) & (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)))


def coverage_by_district(
    *, day: dt.date | None = None,
) -> tuple[list[DistrictCoverage], int | None]:
    """Coverage per bydel from the active catalogue on `day` (today) and the latest population
    year on file; returns the rows and that year."""
    day = day or clock.today()
    districts = dict(District.objects.filter(kind=DistrictKind.BYDEL).order_by("code")
                     .values_list("code", "name"))
    year = PopulationByAge.objects.aggregate(year=Max("year"))["year"]
    population = {}
    if year is not None:
        population = {
            (code, age): n for code, age, n in PopulationByAge.objects.filter(
                year=year, sex=Sex.TOTAL, age__gte=10, age__lte=24, district_id__in=districts,
            ).values_list("district_id", "age", "population")}
    hours: dict[object, float] = defaultdict(float)
    for opening in OpeningHours.objects.filter(
            season=Season.SCHOOL_YEAR, offer__kind=OfferKind.CLUB).only(
            "offer_id", "opens", "closes"):
        hours[opening.offer_id] += opening.hours
    offers = [
        OfferFacts(o.district_id, o.kind, o.places, o.free_places, hours.get(o.pk, 0.0))
        for o in Offer.objects.filter(_active(day), district__isnull=False).only(
            "district_id", "kind", "places", "free_places")
    ]
    return coverage_compute(districts=districts, offers=offers, population=population), year


def coverage_rows(measure: str, *, day: dt.date | None = None) -> list[dict[str, object]]:
    """One measure per bydel for the area analytics: code, name, numerator, denominator, rate
    (per 1 000)."""
    if measure not in AGES:
        raise ValueError(f"unknown coverage measure {measure!r}")
    rows, _year = coverage_by_district(day=day)
    return [{"code": r.code, "name": r.name, "numerator": r.measure(measure).numerator,
             "denominator": r.measure(measure).denominator, "rate": r.measure(measure).rate}
            for r in rows]


__all__ = ["coverage_by_district", "coverage_compute", "coverage_rows"]


def district_boundaries() -> dict[str, dict]:
    """The bydeler's GeoJSON geometries (from `areas`), for the coverage map."""
    return {code: geometry for code, geometry in District.objects.filter(
        kind=DistrictKind.BYDEL, boundary__isnull=False).values_list("code", "boundary")}
