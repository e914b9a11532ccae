"""A bydel's printable profile (the PDF beside the fact sheet, /omrader/bydel/<code>/pdf/): its
population, and every indicator's published figures for it — the same cells as the city-wide
tables (`publish.fact_sheet`), so the profile adds no equation and shows no count the tables
hide — with a small static bar chart per series (drawn as SVG by the template: no JavaScript in a
PDF), the sources, and «syntetisk» wherever a figure comes from a synthetic dataset.

Everything here is published aggregates: no personal data, no audit event."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Sum

from laget.analytics import publish
from laget.analytics.models import Dataset, Indicator
from laget.areas.models import District, PopulationByAge, Sex

#: the drawing area of a series chart, in SVG user units
CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 480, 120, 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    display: str

    @property
    def short(self) -> str:
        """The label under the bar: the month of «jan 2026», a year as it is."""
        return self.label.split(" ")[0]


@dataclass
class ProfileItem:
    indicator: Indicator
    name: str
    period_labels: list[str]
    rows: list[tuple[str, list[publish.Cell]]]
    synthetic: bool
    datasets: list[Dataset]
    min_cell: int
    min_group: int
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Population:
    year: int
    total: int
    youth_10_17: int
    youth_15_24: int


@dataclass
class Profile:
    district: District
    year: int
    population: Population | None
    items: list[ProfileItem]
    synthetic: bool


def _population(district: District) -> Population | None:
    rows = PopulationByAge.objects.filter(district=district, sex=Sex.TOTAL)
    year = rows.aggregate(last=Max("year"))["last"]
    if year is None:
        return None
    rows = rows.filter(year=year)

    def between(low: int, high: int) -> int:
        return rows.filter(age__gte=low, age__lte=high).aggregate(
            n=Sum("population"))["n"] or 0

    return Population(year, rows.aggregate(n=Sum("population"))["n"] or 0, between(10, 17),
                      between(15, 24))


def _bars(labels: list[str], cells: list[publish.Cell]) -> list[Bar]:
    """Bars of one row's shown values; a hidden or missing figure is a gap (its label stays)."""
    numbers = [cell.value for cell in cells]
    top = max((n for n in numbers if n is not None), default=Decimal(0))
    if not labels or top <= 0:
        return []
    width = CHART_WIDTH / len(labels)
    bars = []
    for index, (label, cell) in enumerate(zip(labels, cells, strict=False)):
        height = float(cell.value / top) * CHART_HEIGHT if cell.value is not None else 0.0
        bars.append(Bar(round(index * width + BAR_GAP / 2, 2),
                        round(CHART_HEIGHT - height, 2), round(width - BAR_GAP, 2),
                        round(height, 2), label, cell.display))
    return bars


def district_profile(*, district: District, year: int) -> Profile:
    items = []
    for sheet in publish.fact_sheet(district=district, year=year):
        table = sheet.table
        rows = [(area.name if area else "", cells) for area, cells in sheet.rows]
        item = ProfileItem(sheet.indicator, publish.name(sheet.indicator), table.period_labels,
                           rows, table.synthetic, table.datasets, table.min_cell,
                           table.min_group)
        # a bydel-level series over several periods gets a chart (without the total column)
        if len(rows) == 1 and len(table.periods) > 1:
            item.bars = _bars(table.period_labels, rows[0][1][:len(table.periods)])
        items.append(item)
    return Profile(district, year, _population(district), items,
                   any(item.synthetic for item in items))


def profile_year(asked: str | None, *, today: dt.date) -> int:
    try:
        year = int(asked or "")
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year else today.year
