"""Indicators computed from Laget's own data, per area and month (or year), by SQL aggregation —
GROUP BY area and TruncMonth, never a loop over persons — into `IndicatorValue` rows.

`recompute(months=…)` replaces the computed values of the months given (and, for yearly
indicators, of their years); running it twice changes nothing. Counts are stored raw: the
suppression is `laget.analytics.publish`'s. Minors: under 18 on the day of the registration,
worked out in SQL from the birth date."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, TruncMonth
from django.tasks import task
from django.utils import timezone

from laget.analytics.models import Indicator, IndicatorValue, Level
from laget.analytics.services import indicators_sync
from laget.areas.models import Subdistrict
from laget.cases.models import Concern
from laget.core import clock
from laget.fasttrack.models import Milestone, MilestoneKind
from laget.pathways.coverage import coverage_rows
from laget.policing.models import PoliceRegistration, RegistrationKind, WeaponType
from laget.records.models import Case

#: months recomputed by the scheduled task and by `manage.py analytics recompute` by default
DEFAULT_MONTHS = 24


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def last_months(count: int, *, today: dt.date | None = None) -> list[dt.date]:
    """The first days of the last `count` months up to and including this one, oldest first."""
    month = month_start(today or clock.today())
    months = [month]
    for _ in range(count - 1):
        month = month_start(month - dt.timedelta(days=1))
        months.append(month)
    return sorted(months)


def _bounds(months: list[dt.date]) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(months[0], dt.time(), tzinfo=tz)
    end = dt.datetime.combine(next_month(months[-1]), dt.time(), tzinfo=tz)
    return start, end


def _local(moment: dt.datetime | dt.date) -> dt.date:
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).date()
    return moment


def _minor() -> Q:
    """Under 18 at `occurred_at` (local date), from the birth date, in SQL."""
    return Q(age_years__lt=18) | Q(age_years=18, day_of_year__lt=F("birth_day_of_year"))


def _with_age(queryset):  # type: ignore[no-untyped-def]
    return queryset.annotate(
        age_years=ExtractYear("occurred_at") - ExtractYear("birth_date"),
        day_of_year=ExtractMonth("occurred_at") * 100 + ExtractDay("occurred_at"),
        birth_day_of_year=ExtractMonth("birth_date") * 100 + ExtractDay("birth_date"),
    )


def _counts_by_month(queryset, moment: str, area: str) -> dict[tuple[str, dt.date], int]:  # type: ignore[no-untyped-def]
    rows = (queryset.annotate(month=TruncMonth(moment)).values_list(area, "month")
            .annotate(n=Count("id")).order_by())
    return {(code, _local(month)): n for code, month, n in rows}


def _store(indicator: Indicator, periods: Iterable[dt.date],
           figures: Mapping[tuple[str, dt.date], tuple[Decimal | int, int | None]]) -> int:
    """Replace the indicator's values of `periods` by `figures` ((area, period) → value, n)."""
    periods = list(periods)
    IndicatorValue.objects.filter(indicator=indicator, period__in=periods).delete()
    now = clock.now()
    if indicator.level == Level.DELBYDEL:
        parent = dict(Subdistrict.objects.values_list("code", "district_id"))
    rows = []
    for (code, period), (value, n) in sorted(figures.items()):
        if period not in periods:
            continue
        district = parent[code] if indicator.level == Level.DELBYDEL else code
        rows.append(IndicatorValue(
            indicator=indicator, level=indicator.level, area_code=code, district_id=district,
            subdistrict_id=code if indicator.level == Level.DELBYDEL else None,
            period=period, value=Decimal(value), n=n, computed_at=now))
    IndicatorValue.objects.bulk_create(rows)
    return len(rows)


def _median(histogram: dict[int, int]) -> tuple[Decimal, int]:
    n = sum(histogram.values())
    ordered = sorted(histogram.items())

    def at(rank: int) -> int:
        seen = 0
        for days, count in ordered:
            seen += count
            if rank < seen:
                return days
        raise AssertionError("rank out of range")

    middle = (Decimal(at((n - 1) // 2)) + Decimal(at(n // 2))) / 2
    return middle, n


@transaction.atomic
def recompute(*, months: list[dt.date] | None = None) -> dict[str, int]:
    """Recompute every computed indicator for `months` (first days; default the last
    DEFAULT_MONTHS). Returns the number of values written per indicator."""
    months = sorted({month_start(m) for m in (months or last_months(DEFAULT_MONTHS))})
    indicators = {i.key: i for i in indicators_sync()}
    start, end = _bounds(months)
    written: dict[str, int] = {}

    concerns = Concern.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    written["concerns_received"] = _store(
        indicators["concerns_received"], months,
        {key: (n, None) for key, n in _counts_by_month(
            concerns, "submitted_at", "district_id").items()})

    open_cases: dict[tuple[str, dt.date], tuple[int, None]] = {}
    tz = start.tzinfo
    for month in months:
        first = dt.datetime.combine(month, dt.time(), tzinfo=tz)
        after = dt.datetime.combine(next_month(month), dt.time(), tzinfo=tz)
        rows = (Case.objects.filter(created_at__lt=after)
                .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=first))
                .values_list("district_id").annotate(n=Count("id")).order_by())
        for code, n in rows:
            open_cases[(code, month)] = (n, None)
    written["salto_cases_open"] = _store(indicators["salto_cases_open"], months, open_cases)

    minors = _with_age(PoliceRegistration.objects.filter(
        occurred_at__gte=start, occurred_at__lt=end)).filter(_minor())
    for key, query in (
            ("police_stop_search_minors", minors.filter(kind=RegistrationKind.STOP_SEARCH)),
            ("police_apprehensions_minors", minors.filter(kind=RegistrationKind.APPREHENSION)),
            ("weapon_triggers", minors.exclude(weapon_type=WeaponType.NONE))):
        written[key] = _store(indicators[key], months, {
            k: (n, None) for k, n in _counts_by_month(query, "occurred_at",
                                                      "subdistrict_id").items()})

    years = sorted({dt.date(m.year, 1, 1) for m in months})
    histogram: dict[tuple[str, dt.date], dict[int, int]] = defaultdict(dict)
    decisions = (Milestone.objects.filter(kind=MilestoneKind.CHARGE_DECISION,
                                          occurred_on__year__in=[y.year for y in years])
                 .annotate(year=ExtractYear("occurred_on"),
                           days=ExpressionWrapper(F("occurred_on") - F("case__offence_on"),
                                                  output_field=DurationField()))
                 .values_list("case__district_id", "year", "days")
                 .annotate(n=Count("id")).order_by())
    for code, year, days, n in decisions:
        histogram[(code, dt.date(year, 1, 1))][days.days] = n
    written["fasttrack_offence_to_charge_days"] = _store(
        indicators["fasttrack_offence_to_charge_days"], years,
        {key: _median(h) for key, h in histogram.items()})

    written.update(_recompute_evaluation_figures(indicators, months, years, start, end))

    # Coverage is of the catalogue as it is now: stored for this month only.
    this_month = month_start(clock.today())
    if this_month in months:
        for key, measure in (("club_hours_per_1000", "club_hours"),
                             ("job_places_per_1000", "job_places")):
            written[key] = _store(indicators[key], [this_month], {
                (str(row["code"]), this_month): (
                    Decimal(str(row["rate"])).quantize(Decimal("0.001")),
                    int(str(row["denominator"])))
                for row in coverage_rows(measure) if row["rate"] is not None})
    return written


def _recompute_evaluation_figures(indicators: Mapping[str, Indicator], months: list[dt.date],
                                  years: list[dt.date], start: dt.datetime,
                                  end: dt.datetime) -> dict[str, int]:
    """Issue 11's figures: the ambulant team's response time (the rules of
    `laget.schools.selectors.response_stats`: request to arrival in whole minutes, by the Oslo
    month of the request, a median only for LAGET_SCHOOL_STATS_MIN_GROUP requests or more),
    the fast track's calendar days per stage (`fasttrack.deadlines.STAGES`, by the year the
    stage ended) and reentry outcomes (`reentry.Outcome` at 3, 6 and 12 months, by the year of
    release; a share whose numerator or complement is 1 to LAGET_ANALYTICS_MIN_CELL − 1 is not
    stored)."""
    from django.conf import settings
    from django.db.models import OuterRef, Subquery

    from laget.fasttrack.deadlines import STAGES
    from laget.reentry.models import Occupation, Outcome
    from laget.schools.models import AmbulantRequest

    written: dict[str, int] = {}
    waits: dict[tuple[str, dt.date], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    rows = (AmbulantRequest.objects.filter(arrived_at__isnull=False, requested_at__gte=start,
                                           requested_at__lt=end)
            .annotate(month=TruncMonth("requested_at"),
                      wait=ExpressionWrapper(F("arrived_at") - F("requested_at"),
                                             output_field=DurationField()))
            .values_list("district_id", "month", "wait").annotate(n=Count("id")).order_by())
    for code, month, wait, n in rows:
        waits[(code, _local(month))][int(wait.total_seconds() // 60)] += n
    medians = {}
    for key, histogram in waits.items():
        minutes, n = _median(histogram)
        if n >= settings.LAGET_SCHOOL_STATS_MIN_GROUP:
            medians[key] = ((Decimal(minutes) / 60).quantize(Decimal("0.01")), n)
    written["ambulant_response_hours"] = _store(indicators["ambulant_response_hours"], months,
                                                medians)

    for stage in STAGES:
        histogram: dict[tuple[str, dt.date], dict[int, int]] = defaultdict(dict)
        begun = Milestone.objects.filter(case=OuterRef("case"), kind=stage.start)
        ended = (Milestone.objects.filter(kind=stage.end,
                                          occurred_on__year__in=[y.year for y in years])
                 .annotate(begun=Subquery(begun.values("occurred_on")[:1]))
                 .filter(begun__isnull=False)
                 .annotate(year=ExtractYear("occurred_on"),
                           days=ExpressionWrapper(F("occurred_on") - F("begun"),
                                                  output_field=DurationField()))
                 .values_list("case__district_id", "year", "days")
                 .annotate(n=Count("id")).order_by())
        for code, year, days, n in ended:
            histogram[(code, dt.date(year, 1, 1))][days.days] = n
        key = f"fasttrack_stage_days_{stage.code}"
        written[key] = _store(indicators[key], years,
                              {k: _median(h) for k, h in histogram.items()})

    min_cell = settings.LAGET_ANALYTICS_MIN_CELL
    outcomes = (Outcome.objects.filter(plan__release__actual_date__year__in=[y.year for y in years],
                                       plan__release__district__isnull=False)
                .annotate(year=ExtractYear("plan__release__actual_date"))
                .values_list("plan__release__district_id", "year", "milestone")
                .annotate(n=Count("id"),
                          occupation=Count("id", filter=Q(occupation__in=[
                              Occupation.WORK, Occupation.EDUCATION, Occupation.BOTH])),
                          housing=Count("id", filter=Q(housing_stable=True)))
                .order_by())
    shares: dict[str, dict[tuple[str, dt.date], tuple[Decimal, int]]] = defaultdict(dict)
    for code, year, milestone, n, occupation, housing in outcomes:
        for what, k in (("occupation", occupation), ("housing", housing)):
            if 0 < k < min_cell or 0 < n - k < min_cell:
                continue
            shares[f"reentry_{what}_{milestone}m"][(code, dt.date(year, 1, 1))] = (
                (Decimal(100 * k) / n).quantize(Decimal("0.1")), n)
    for what in ("occupation", "housing"):
        for months_after in (3, 6, 12):
            key = f"reentry_{what}_{months_after}m"
            written[key] = _store(indicators[key], years, shares[key])
    return written


@task
def recompute_indicators() -> None:
    """Periodic: the computed indicators of the last DEFAULT_MONTHS months."""
    recompute()
