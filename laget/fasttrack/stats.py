"""City statistics of the youth fast track — the figure a city council asks for: median and
90th-percentile days per stage, per month and per bydel, with small-number suppression.

Only finished stages count, by the month their end milestone fell in. Cells: per stage and month
(all bydeler), per stage and bydel (the whole period), and the stage's total. A cell with fewer
than LAGET_FASTTRACK_MIN_CELL cases is suppressed — no count, no median, no percentile. Where a
group of cells adds up to a published total and only one of them is suppressed, the count of the
smallest other one is withheld too (its median and percentile stay), so that the small cell's
count cannot be had by subtraction. The 90th percentile is the nearest-rank one (the smallest
value with at least 90 % of cases at or below it). Laget had no suppression helper before this
one; `suppress` is it."""

import datetime as dt
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.areas.models import District
from laget.core.errors import DomainError
from laget.core.suppression import suppress
from laget.fasttrack.deadlines import STAGE_BY_CODE, STAGES
from laget.fasttrack.models import Milestone, YouthCase
from laget.fasttrack.selectors import case_stages


@dataclass(frozen=True)
class StatCell:
    """One published figure. `month` ("2026-03") or `district_code` is None where the cell
    covers all months of the period or all bydeler. A suppressed cell has no count and no days;
    a cell whose count is withheld (complementary suppression) has days but `cases` None."""

    stage: str
    stage_label: str
    month: str | None
    district_code: str | None
    district_name: str | None
    cases: int | None
    median_days: float | None
    p90_days: int | None
    suppressed: bool


@dataclass(frozen=True)
class CityStatistics:
    """The cells of a period, and the threshold below which cells are suppressed."""

    since: dt.date
    until: dt.date
    min_cell: int
    cells: list[StatCell]


def p90(values: list[int]) -> int:
    """Nearest-rank 90th percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]


def city_statistics(*, actor: Actor, since: dt.date, until: dt.date) -> CityStatistics:
    """The period's statistics for anyone acting in a role (aggregates only: no personal data
    leaves this function, so no audit event)."""
    if actor.membership is None:
        raise DomainError(_("Du må være innlogget i en rolle."), code="role")
    if until < since:
        raise DomainError(_("Perioden slutter før den begynner."), code="period")
    min_cell = settings.LAGET_FASTTRACK_MIN_CELL
    cases = {case.pk: case for case in YouthCase.objects.filter(
        milestones__occurred_on__range=(since, until)).distinct()}
    by_case: dict[object, list[Milestone]] = defaultdict(list)
    for milestone in Milestone.objects.filter(case_id__in=list(cases)):
        by_case[milestone.case_id].append(milestone)
    # (stage, month, district) → days of each finished stage
    values: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for case_id, case in cases.items():
        for status in case_stages(case, by_case[case_id], today=until):
            if status.ended_on is not None and since <= status.ended_on <= until:
                values[(status.stage.code, status.ended_on.strftime("%Y-%m"),
                        case.district_id)].append(status.days_used)
    names = dict(District.objects.filter(
        code__in={district for _s, _m, district in values}).values_list("code", "name"))

    cells: list[StatCell] = []
    for stage in STAGES:
        by_month: dict[str, list[int]] = defaultdict(list)
        by_district: dict[str, list[int]] = defaultdict(list)
        for (code, month, district), days in values.items():
            if code == stage.code:
                by_month[month].extend(days)
                by_district[district].extend(days)
        if not by_month:
            continue
        months = suppress({m: len(d) for m, d in by_month.items()}, min_cell)
        districts = suppress({d: len(v) for d, v in by_district.items()}, min_cell)
        for month in sorted(by_month):
            cells.append(_cell(stage.code, month, None, None, by_month[month],
                               hidden=month in months[0], withheld=month in months[1]))
        for district in sorted(by_district):
            cells.append(_cell(stage.code, None, district, names.get(district),
                               by_district[district], hidden=district in districts[0],
                               withheld=district in districts[1]))
        total = [day for days in by_month.values() for day in days]
        cells.append(_cell(stage.code, None, None, None, total, hidden=len(total) < min_cell,
                           withheld=False))
    return CityStatistics(since=since, until=until, min_cell=min_cell, cells=cells)


def _cell(stage: str, month: str | None, district: str | None, name: str | None,
          days: list[int], *, hidden: bool, withheld: bool) -> StatCell:
    label = str(STAGE_BY_CODE[stage].label)
    if hidden:
        return StatCell(stage, label, month, district, name, None, None, None, True)
    return StatCell(stage, label, month, district, name, None if withheld else len(days),
                    float(statistics.median(days)), p90(days), False)
