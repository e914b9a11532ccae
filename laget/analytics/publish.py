"""The publication selector: the only way pages and exports read indicator values. What it
returns is safe to show to anyone logged in — aggregates with small numbers suppressed — so
reading it needs no audit event.

What is published of an indicator is fixed by its definition:
- a count from Laget's own data (`indicators.SUPPRESSED_COUNTS`): per calendar year, one table of
  every area of the indicator's level (all bydeler or all delbydeler, statistical units
  included) × the year's months (up to this month), with each area's total for the year, each
  month's total for Oslo and Oslo's total for the year. Nothing else — no other periods, no
  bydel sums of delbydeler — so that the only equations an attacker has are the table's. Counts
  of 1 to LAGET_ANALYTICS_MIN_CELL − 1 show as «<5» and further cells are hidden by
  `core.suppression.protect_table` so that no hidden cell can be narrowed to a range narrower
  than the threshold (tested by linear programming in tests/test_publish.py); 0 is shown.
- a median: per area and year, shown only for groups of LAGET_ANALYTICS_MIN_GROUP or more.
- imported figures and rates of the catalogue: as they are, with their source; a figure from a
  synthetic dataset is flagged.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from laget.analytics.indicators import MEDIANS, SUPPRESSED_COUNTS
from laget.analytics.models import Dataset, Indicator, IndicatorValue, Level, PeriodType
from laget.areas.models import District, DistrictKind, Subdistrict
from laget.core import clock
from laget.core.errors import NotFound
from laget.core.suppression import TOTAL, protect_table

MONTH_LABELS = ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov",
                "des")


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    district_code: str
    #: has a boundary: drawn on the map (Sentrum, Marka, no address and places never are)
    on_map: bool


@dataclass(frozen=True)
class Cell:
    """A published figure: `value` is None where nothing is shown; `display` is what is shown
    («<5», «skjult», «<10», «–» for no figure)."""

    value: Decimal | None
    display: str
    suppressed: bool = False
    synthetic: bool = False


@dataclass
class Table:
    indicator: Indicator
    areas: list[Area]
    periods: list[dt.date]
    period_labels: list[str]
    cells: dict[tuple[str | None, dt.date | None], Cell]
    #: with area totals (a last column) and Oslo's totals (a last row)
    totals: bool
    datasets: list[Dataset] = field(default_factory=list)
    synthetic: bool = False
    min_cell: int = 0
    min_group: int = 0

    def rows(self) -> list[tuple[Area | None, list[Cell]]]:
        """Rows in order, each with its cells in column order (the total last); Oslo's row, if
        any, last with `None` for its area."""
        columns: list[dt.date | None] = [*self.periods, *([TOTAL] if self.totals else [])]
        keys: list[Area | None] = [*self.areas, *([None] if self.totals else [])]
        return [(area, [self.cells.get((area.code if area else TOTAL, col), NO_FIGURE)
                        for col in columns]) for area in keys]


NO_FIGURE = Cell(None, "–")


def indicator_list() -> list[Indicator]:
    return list(Indicator.objects.order_by("order", "key"))


def indicator_get(*, key: str) -> Indicator:
    indicator = Indicator.objects.filter(key=key).first()
    if indicator is None:
        raise NotFound(_("Ukjent indikator."))
    return indicator


def name(indicator: Indicator) -> str:
    """The indicator's name in the language of the request."""
    from django.utils.translation import get_language

    return indicator.name_en if (get_language() or "nb").startswith("en") else indicator.name_nb


def _areas(indicator: Indicator) -> list[Area]:
    if indicator.level == Level.BYDEL:
        mapped = set(District.objects.filter(boundary__isnull=False, kind=DistrictKind.BYDEL)
                     .values_list("code", flat=True))
        return [Area(code, area_name, code, code in mapped)
                for code, area_name in District.objects.order_by("code")
                .values_list("code", "name")]
    if indicator.level == Level.DELBYDEL:
        mapped = set(Subdistrict.objects.filter(boundary__isnull=False,
                                                district__kind=DistrictKind.BYDEL)
                     .values_list("code", flat=True))
        return [Area(code, area_name, district, code in mapped)
                for code, area_name, district in Subdistrict.objects.order_by("code")
                .values_list("code", "name", "district_id")]
    places = (IndicatorValue.objects.filter(indicator=indicator)
              .values_list("area_code", "place_name", "district_id").distinct()
              .order_by("district_id", "place_name"))
    return [Area(code, place, district, False) for code, place, district in places]


def years(indicator: Indicator) -> list[int]:
    """The years with figures of the indicator, newest first."""
    return sorted({p.year for p in IndicatorValue.objects.filter(indicator=indicator)
                   .values_list("period", flat=True).distinct()}, reverse=True)


def table(*, indicator: Indicator, year: int | None = None) -> Table:
    """The indicator's published table: a count's for one calendar year (default the latest),
    anything else over all its periods."""
    areas = _areas(indicator)
    if indicator.key in SUPPRESSED_COUNTS:
        return _count_table(indicator, areas, year)
    return _plain_table(indicator, areas)


def _count_table(indicator: Indicator, areas: list[Area], year: int | None) -> Table:
    min_cell = settings.LAGET_ANALYTICS_MIN_CELL
    if year is None:
        available = years(indicator)
        year = available[0] if available else clock.today().year
    today = clock.today()
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    periods = [dt.date(year, m, 1) for m in range(1, last + 1)]
    counts = {(code, period): int(value) for code, period, value in
              IndicatorValue.objects.filter(indicator=indicator, period__in=periods)
              .values_list("area_code", "period", "value")}
    codes = [a.code for a in areas]
    value, primary, suppressed = protect_table(counts, codes, periods, min_cell)
    cells: dict[tuple[str | None, dt.date | None], Cell] = {}
    for key, n in value.items():
        if key in primary:
            cells[key] = Cell(None, f"<{min_cell}", suppressed=True)
        elif key in suppressed:
            cells[key] = Cell(None, _("skjult"), suppressed=True)
        else:
            cells[key] = Cell(Decimal(n), str(n))
    return Table(indicator=indicator, areas=areas, periods=periods,
                 period_labels=[f"{MONTH_LABELS[p.month - 1]} {p.year}" for p in periods],
                 cells=cells, totals=True, min_cell=min_cell)


def _plain_table(indicator: Indicator, areas: list[Area]) -> Table:
    min_group = settings.LAGET_ANALYTICS_MIN_GROUP
    rows = list(IndicatorValue.objects.filter(indicator=indicator).select_related("dataset")
                .order_by("period"))
    periods = sorted({row.period for row in rows})
    if indicator.period_type == PeriodType.YEAR:
        labels = [str(p.year) for p in periods]
    else:
        labels = [f"{MONTH_LABELS[p.month - 1]} {p.year}" for p in periods]
    cells: dict[tuple[str | None, dt.date | None], Cell] = {}
    datasets: dict[object, Dataset] = {}
    for row in rows:
        synthetic = bool(row.dataset and row.dataset.synthetic)
        if row.dataset:
            datasets[row.dataset.pk] = row.dataset
        if indicator.key in MEDIANS and (row.n or 0) < min_group:
            cells[(row.area_code, row.period)] = Cell(None, f"<{min_group}", suppressed=True)
            continue
        number = row.value.normalize()
        text = f"{number:f}".replace(".", ",")
        if synthetic:
            text = _("%(value)s (syntetisk)") % {"value": text}
        cells[(row.area_code, row.period)] = Cell(row.value, text, synthetic=synthetic)
    return Table(indicator=indicator, areas=areas, periods=periods, period_labels=labels,
                 cells=cells, totals=False, datasets=list(datasets.values()),
                 synthetic=any(d.synthetic for d in datasets.values()), min_group=min_group)


def map_rows(published: Table, period: dt.date | None) -> list[dict[str, object]]:
    """The rows of a choropleth for one column of a published table: areas with a boundary
    only; a hidden or missing figure is None (left off the map)."""
    return [{"code": area.code, "name": area.name,
             "value": published.cells.get((area.code, period), NO_FIGURE).value}
            for area in published.areas if area.on_map]


def boundaries(level: str) -> dict[str, dict]:
    """Boundaries of the areas drawn on a map: bydeler and their delbydeler only — Sentrum,
    Marka and «uten registrert adresse» are statistical units, never drawn as districts."""
    if level == Level.BYDEL:
        rows = District.objects.filter(boundary__isnull=False, kind=DistrictKind.BYDEL)
    else:
        rows = Subdistrict.objects.filter(boundary__isnull=False,
                                          district__kind=DistrictKind.BYDEL)
    return dict(rows.values_list("code", "boundary"))


@dataclass
class FactSheetItem:
    indicator: Indicator
    table: Table
    #: the rows of the table that belong to the bydel (its own, its delbydeler or places)
    rows: list[tuple[Area | None, list[Cell]]]


def fact_sheet(*, district: District, year: int | None = None) -> list[FactSheetItem]:
    """Every indicator's published figures for one bydel: the same cells as the city-wide
    tables (so the sheet adds no equations), restricted to the bydel's rows."""
    items = []
    for indicator in indicator_list():
        published = table(indicator=indicator, year=year)
        rows: list[tuple[Area | None, list[Cell]]] = [
            (area, cells) for area, cells in published.rows()
            if area is not None and area.district_code == district.code]
        if any(cell.display != "–" for _area, cells in rows for cell in cells):
            items.append(FactSheetItem(indicator, published, rows))
    return items
