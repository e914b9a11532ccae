"""Writes of the area analytics: the indicator definitions, and imported figures with their
provenance. All writes are atomic and leave no partial batch. No personal data is written (only
aggregates), so there is no audit event; the provenance is the `Dataset` row."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum

from laget.analytics.indicators import BY_KEY, DEFINITIONS
from laget.analytics.models import Dataset, Indicator, IndicatorValue, Level
from laget.areas.models import District, PopulationByAge, Sex, Subdistrict


class ImportError_(ValueError):
    """Bad imported figures: the message names the row and the problem."""


@dataclass(frozen=True)
class Figure:
    """One imported figure before it is stored: `area` is a district code (bydel), a subdistrict
    code (delbydel) or, for a named place, its name (`district` then names the bydel)."""

    area: str
    period: dt.date
    value: Decimal
    district: str = ""
    n: int | None = None


@transaction.atomic
def indicators_sync() -> list[Indicator]:
    """Make the Indicator table equal the definitions in code (idempotent)."""
    result = []
    for order, definition in enumerate(DEFINITIONS):
        indicator, _created = Indicator.objects.update_or_create(
            key=definition.key,
            defaults={"name_nb": definition.name_nb, "name_en": definition.name_en,
                      "unit": definition.unit, "source": definition.source,
                      "period_type": definition.period_type, "level": definition.level,
                      "direction": definition.direction, "origin": definition.origin,
                      "order": order})
        result.append(indicator)
    return result


def _slug(name: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", " ": "-"})
    return "".join(ch for ch in name.lower().translate(table) if ch.isalnum() or ch == "-")


@transaction.atomic
def figures_import(*, indicator_key: str, dataset: Dataset, figures: Iterable[Figure]) -> int:
    """Store imported figures of one indicator from one dataset: every figure is checked first
    (known area of the indicator's level, period on the first of a month/year, value ≥ 0), then
    written in place (same indicator, area and period: replaced). Returns the number written."""
    definition = BY_KEY.get(indicator_key)
    if definition is None:
        raise ImportError_(f"unknown indicator {indicator_key!r}")
    indicator = indicators_sync_one(indicator_key)
    districts = dict(District.objects.values_list("code", "pk"))
    subdistricts = dict(Subdistrict.objects.values_list("code", "district_id"))
    rows = []
    for i, figure in enumerate(figures, start=1):
        where = f"{indicator_key} #{i}"
        if figure.value < 0:
            raise ImportError_(f"{where}: negative value {figure.value}")
        if figure.period.day != 1 or (definition.period_type == "year"
                                      and figure.period.month != 1):
            raise ImportError_(f"{where}: period {figure.period} is not the start of a "
                               f"{definition.period_type}")
        subdistrict = None
        place_name = ""
        if definition.level == Level.BYDEL:
            if figure.area not in districts:
                raise ImportError_(f"{where}: unknown bydel {figure.area!r}")
            code = district = figure.area
        elif definition.level == Level.DELBYDEL:
            if figure.area not in subdistricts:
                raise ImportError_(f"{where}: unknown delbydel {figure.area!r}")
            code, subdistrict, district = figure.area, figure.area, subdistricts[figure.area]
        else:
            if figure.district not in districts or not figure.area.strip():
                raise ImportError_(f"{where}: a place needs a name and a known bydel")
            district, place_name = figure.district, figure.area.strip()
            code = f"{district}:{_slug(place_name)}"
        rows.append(IndicatorValue(
            indicator=indicator, level=definition.level, area_code=code, district_id=district,
            subdistrict_id=subdistrict, place_name=place_name, period=figure.period,
            value=figure.value, n=figure.n, dataset=dataset))
    keys = {(row.area_code, row.period) for row in rows}
    if len(keys) != len(rows):
        raise ImportError_(f"{indicator_key}: the same area and period twice")
    existing = Q()
    for code, period in keys:
        existing |= Q(area_code=code, period=period)
    if keys:
        IndicatorValue.objects.filter(existing, indicator=indicator).delete()
    IndicatorValue.objects.bulk_create(rows)
    return len(rows)


def indicators_sync_one(key: str) -> Indicator:
    indicator = Indicator.objects.filter(key=key).first()
    if indicator is None:
        indicators_sync()
        indicator = Indicator.objects.get(key=key)
    return indicator


def dataset_get_or_create(*, source: str, table_id: str = "", url: str = "",
                          fetched_on: dt.date, licence: str, synthetic: bool = False,
                          note: str = "") -> Dataset:
    dataset, _created = Dataset.objects.update_or_create(
        source=source, table_id=table_id, fetched_on=fetched_on, synthetic=synthetic,
        defaults={"url": url, "licence": licence, "note": note})
    return dataset


#: The policy paper's figures, as the paper gives them (lines of the seed file in the notes).
SEED_FETCHED_ON = dt.date(2026, 11, 26)
SEED_YEAR = dt.date(2024, 1, 1)
SEED_NOTE = (
    "Tallene står i dokumentet uten år; de er ført under 2024 fordi dokumentet omtaler "
    "lovendringer fra 2023 og innspill til stortingsvalgprogrammet for 2025. Barnehage: Stovner "
    "«61 prosent av barnehagebarna mellom ett og tre år» (linje 101–102), Søndre Nordstrand "
    "«syv av ti under tre år» (linje 102–103), Vestre Aker «ni av ti barn» (linje 103–104). "
    "Nærskole: Stenbråten skole 143 prosent, Mortensrud skole 67 prosent, begge i Søndre "
    "Nordstrand (linje 165–167); de er skolers opptaksområder, ikke delbydeler, og vises ikke "
    "på kartet.")


@transaction.atomic
def seed_figures_load() -> int:
    """The figures of the policy paper, with the paper as their source (idempotent)."""
    from laget.analytics.indicators import SEED

    dataset = dataset_get_or_create(
        source=SEED, table_id="", fetched_on=SEED_FETCHED_ON,
        licence="Sitert med kildehenvisning", note=SEED_NOTE)
    written = figures_import(indicator_key="kindergarten_participation_1_3", dataset=dataset,
                             figures=[Figure("030111", SEED_YEAR, Decimal(61)),
                                      Figure("030115", SEED_YEAR, Decimal(70)),
                                      Figure("030107", SEED_YEAR, Decimal(90))])
    written += figures_import(indicator_key="near_school_uptake", dataset=dataset, figures=[
        Figure("Stenbråten skole", SEED_YEAR, Decimal(143), district="030115"),
        Figure("Mortensrud skole", SEED_YEAR, Decimal(67), district="030115")])
    return written


@transaction.atomic
def population_load() -> int:
    """Youth aged 10–17 per bydel and year from `areas.PopulationByAge` (SSB via csdata), one
    aggregate query."""
    dataset = dataset_get_or_create(
        source="SSB, statistikkbanken tabell 10826, via csdata (FHI)", table_id="10826",
        url="https://www.ssb.no/statbank/table/10826", fetched_on=dt.date(2026, 1, 1),
        licence="CC BY 4.0", note="data/areas/oslo_bydel_befolkning_alder_kjonn_2005_2026.csv")
    rows = (PopulationByAge.objects.filter(sex=Sex.TOTAL, age__gte=10, age__lte=17)
            .values_list("district_id", "year").annotate(total=Sum("population")).order_by())
    return figures_import(indicator_key="youth_population_10_17", dataset=dataset, figures=[
        Figure(code, dt.date(year, 1, 1), Decimal(total)) for code, year, total in rows])


@transaction.atomic
def figures_import_with_dataset(*, indicator_key: str, figures: list[Figure], source: str,
                                table_id: str, url: str, fetched_on: dt.date, licence: str,
                                synthetic: bool) -> int:
    """An import file's figures with its provenance, all or nothing."""
    if not source.strip() or not licence.strip():
        raise ImportError_("a source and a licence are required")
    dataset = dataset_get_or_create(source=source, table_id=table_id, url=url,
                                    fetched_on=fetched_on, licence=licence, synthetic=synthetic)
    return figures_import(indicator_key=indicator_key, dataset=dataset, figures=figures)
