"""The targeting index: an analyst picks indicators of one geographic level and weights, and
areas — delbydeler or bydeler, never persons — are ranked by a weighted sum of standardised
figures.

Method (shown on the page as it is applied):
- figures are the published ones (`laget.analytics.publish`): a count's area total for the year,
  a yearly figure's value for the year, a monthly rate's latest month in the year. A figure that
  publication hides («<5», «skjult», a median of a small group) is *suppressed*; an area without
  a figure is *missing*. Neither is ever guessed.
- indicators are only combined at their own level: delbydel indicators over delbydeler, bydel
  indicators over bydeler. Nothing is spread from a bydel to its delbydeler.
- standardisation: z = (x − mean) / sd, mean and population standard deviation over the ranked
  areas that have a figure. If fewer than two areas have one, or all are equal, z is 0.
- direction: an indicator where higher is worse counts up (+z), higher is better counts down
  (−z); a neutral indicator only with the direction the analyst states.
- weights are normalised to sum to 1; the index is Σ share × sign × z.
- an area with a suppressed or missing component is left unranked (the default), or — if the
  analyst asks for it — its index is taken over the components it has, with their shares
  normalised again (its coverage shown).
- Sentrum, Marka and «uten registrert adresse» are statistical units, not places where people
  live as in a bydel: shown with their figures, never standardised over or ranked.
- ranks: higher index first; equal indexes (to 12 decimals) share a rank (1, 2, 2, 4) and are
  listed by area code, so the order is the same on every run.

Everything here is aggregate and already published: no audit event."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from laget.analytics import publish
from laget.analytics.indicators import SUPPRESSED_COUNTS
from laget.analytics.models import Direction, Indicator, IndicatorValue, Level, PeriodType
from laget.areas.models import District, DistrictKind, Subdistrict
from laget.core.suppression import TOTAL

#: precision of the arithmetic; ranks compare indexes rounded to TIE_PLACES decimals
PRECISION = 50
TIE_PLACES = Decimal("1e-12")
MISSING_EXCLUDE = "exclude"
MISSING_REWEIGHT = "reweight"
LEVELS = (Level.DELBYDEL, Level.BYDEL)


def sign_of(direction: str, stated: int | None = None) -> int | None:
    """+1 where a higher figure counts up (worse), −1 where it counts down; a neutral indicator
    has the sign the analyst stated, or none."""
    if direction == Direction.HIGHER_WORSE:
        return 1
    if direction == Direction.HIGHER_BETTER:
        return -1
    return stated if stated in (1, -1) else None


# --- the arithmetic (pure: tested with hypothesis) ----------------------------------------------

@dataclass(frozen=True)
class Standardised:
    mean: Decimal | None
    sd: Decimal | None
    #: area → z, for the ranked areas with a figure
    z: dict[str, Decimal]


def standardise(figures: Mapping[str, Decimal | None], areas: Sequence[str]) -> Standardised:
    """z-scores of `figures` over `areas` (those with a figure)."""
    present: dict[str, Decimal] = {
        a: value for a in areas if (value := figures.get(a)) is not None}
    if not present:
        return Standardised(None, None, {})
    with localcontext() as ctx:
        ctx.prec = PRECISION
        values = list(present.values())
        mean = sum(values, Decimal(0)) / len(values)
        variance = sum(((v - mean) ** 2 for v in values), Decimal(0)) / len(values)
        sd = variance.sqrt()
        if len(values) < 2 or sd == 0:
            return Standardised(mean, sd, dict.fromkeys(present, Decimal(0)))
        return Standardised(mean, sd, {a: (v - mean) / sd for a, v in present.items()})


@dataclass(frozen=True)
class Scored:
    index: Decimal | None
    #: share of the weight the area's index rests on (1 when every component is there)
    coverage: Decimal


def combine(z: Mapping[str, Mapping[str, Decimal]], weights: Mapping[str, Decimal],
            signs: Mapping[str, int], areas: Sequence[str], *,
            missing: str = MISSING_EXCLUDE) -> dict[str, Scored]:
    """The index per area: Σ share × sign × z over the components (`z[key][area]`)."""
    keys = [k for k in weights if weights[k] > 0]
    total = sum((weights[k] for k in keys), Decimal(0))
    result: dict[str, Scored] = {}
    with localcontext() as ctx:
        ctx.prec = PRECISION
        for area in areas:
            have = [k for k in keys if area in z.get(k, {})]
            covered = sum((weights[k] for k in have), Decimal(0))
            coverage = covered / total if total else Decimal(0)
            if not have or (missing == MISSING_EXCLUDE and len(have) < len(keys)):
                result[area] = Scored(None, coverage)
                continue
            index = sum((weights[k] / covered * signs[k] * z[k][area] for k in have),
                        Decimal(0))
            result[area] = Scored(index, coverage)
    return result


def rank(indexes: Mapping[str, Decimal | None]) -> list[tuple[str, int]]:
    """(area, rank) for the areas with an index: highest first, ties share a rank and are
    ordered by area code."""
    rounded = {a: v.quantize(TIE_PLACES) for a, v in indexes.items() if v is not None}
    order = sorted(rounded, key=lambda a: (-rounded[a], a))
    ranks: list[tuple[str, int]] = []
    for position, area in enumerate(order, start=1):
        if ranks and rounded[ranks[-1][0]] == rounded[area]:
            ranks.append((area, ranks[-1][1]))
        else:
            ranks.append((area, position))
    return ranks


# --- reading the published figures ---------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """The published cells of one indicator that the index reads, and what they are."""

    label: str
    cells: dict[str, publish.Cell]
    areas: list[publish.Area]


def column(indicator: Indicator, year: int) -> Column:
    """The indicator's published figure per area for `year`."""
    from django.utils.translation import gettext as _

    table = publish.table(indicator=indicator, year=year if indicator.key in SUPPRESSED_COUNTS
                          else None)
    codes = [a.code for a in table.areas]
    if indicator.key in SUPPRESSED_COUNTS:
        if not table.periods:
            return Column(str(year), {}, table.areas)
        last = table.periods[-1]
        label = (_("%(year)s i alt") % {"year": year} if last.month == 12 else
                 _("%(year)s i alt (jan–%(month)s)") % {
                     "year": year, "month": publish.MONTH_LABELS[last.month - 1]})
        return Column(label, {c: table.cells.get((c, TOTAL), publish.NO_FIGURE) for c in codes},
                      table.areas)
    if indicator.period_type == PeriodType.YEAR:
        period: dt.date | None = dt.date(year, 1, 1)
        label = str(year)
    else:
        in_year = [p for p in table.periods if p.year == year]
        period = in_year[-1] if in_year else None
        label = (f"{publish.MONTH_LABELS[period.month - 1]} {period.year}" if period
                 else str(year))
    return Column(label, {c: table.cells.get((c, period), publish.NO_FIGURE) for c in codes},
                  table.areas)


def years(level: str) -> list[int]:
    """Years with any figure of an indicator of the level, newest first."""
    periods = (IndicatorValue.objects.filter(indicator__level=level)
               .values_list("period", flat=True).distinct())
    return sorted({p.year for p in periods}, reverse=True)


def indicators(level: str) -> list[Indicator]:
    return [i for i in publish.indicator_list() if i.level == level]


def statistical_codes(level: str) -> set[str]:
    """Sentrum, Marka and «uten registrert adresse» at the level: statistical units."""
    if level == Level.BYDEL:
        return set(District.objects.exclude(kind=DistrictKind.BYDEL)
                   .values_list("code", flat=True))
    return set(Subdistrict.objects.exclude(district__kind=DistrictKind.BYDEL)
               .values_list("code", flat=True))


# --- the ranking a page shows --------------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    """One component as the analyst chose it: the weight as given, and the stated sign for a
    neutral indicator."""

    indicator: Indicator
    weight: Decimal
    stated_sign: int | None = None


@dataclass
class Component:
    indicator: Indicator
    name: str
    label: str
    weight: Decimal
    share: Decimal
    sign: int
    mean: Decimal | None
    sd: Decimal | None
    present: int
    suppressed: int
    missing: int


@dataclass
class Row:
    area: publish.Area
    district_name: str
    statistical: bool
    cells: list[publish.Cell]
    z: list[Decimal | None]
    index: Decimal | None
    coverage: Decimal
    rank: int | None = None
    #: why the area has no rank: «statistical», «suppressed», «missing»
    reason: str = ""


@dataclass
class Ranking:
    level: str
    year: int
    missing: str
    components: list[Component]
    ranked: list[Row] = field(default_factory=list)
    unranked: list[Row] = field(default_factory=list)
    statistical: list[Row] = field(default_factory=list)


def ranking(*, level: str, year: int, choices: Sequence[Choice],
            missing: str = MISSING_EXCLUDE) -> Ranking:
    """Rank the areas of `level` by the index of `choices` (weights > 0, each with a sign)."""
    chosen = [c for c in choices if c.weight > 0]
    if not chosen or level not in LEVELS or missing not in (MISSING_EXCLUDE, MISSING_REWEIGHT):
        raise ValueError("a ranking needs a level, a missing-value rule and a weight above 0")
    signs: dict[str, int] = {}
    for choice in chosen:
        if choice.indicator.level != level:
            raise ValueError(f"{choice.indicator.key} is not at level {level}")
        sign = sign_of(choice.indicator.direction, choice.stated_sign)
        if sign is None:
            raise ValueError(f"{choice.indicator.key} needs a stated direction")
        signs[choice.indicator.key] = sign
    columns = {c.indicator.key: column(c.indicator, year) for c in chosen}
    areas = columns[chosen[0].indicator.key].areas
    statistical = statistical_codes(level)
    ranked_codes = [a.code for a in areas if a.code not in statistical]
    total = sum((c.weight for c in chosen), Decimal(0))
    components, zs = [], {}
    for choice in chosen:
        key = choice.indicator.key
        published = columns[key].cells
        figures = {code: published[code].value if code in published else None
                   for code in ranked_codes}
        standard = standardise(figures, ranked_codes)
        zs[key] = standard.z
        suppressed = sum(1 for c in ranked_codes
                         if published.get(c, publish.NO_FIGURE).suppressed)
        present = len(standard.z)
        components.append(Component(
            indicator=choice.indicator, name=publish.name(choice.indicator),
            label=columns[key].label, weight=choice.weight, share=choice.weight / total,
            sign=signs[key], mean=standard.mean, sd=standard.sd, present=present,
            suppressed=suppressed, missing=len(ranked_codes) - present - suppressed))
    weights = {c.indicator.key: c.weight for c in chosen}
    scored = combine(zs, weights, signs, ranked_codes, missing=missing)
    ranks = dict(rank({code: s.index for code, s in scored.items()}))
    names = dict(District.objects.values_list("code", "name"))
    result = Ranking(level=level, year=year, missing=missing, components=components)
    for area in areas:
        cells = [columns[c.indicator.key].cells.get(area.code, publish.NO_FIGURE)
                 for c in chosen]
        if area.code in statistical:
            result.statistical.append(Row(area, names.get(area.district_code, ""), True, cells,
                                          [None] * len(chosen), None, Decimal(0),
                                          reason="statistical"))
            continue
        score = scored[area.code]
        row = Row(area, names.get(area.district_code, ""), False, cells,
                  [zs[c.indicator.key].get(area.code) for c in chosen], score.index,
                  score.coverage, rank=ranks.get(area.code))
        if row.rank is None:
            row.reason = "suppressed" if any(c.suppressed for c in cells) else "missing"
            result.unranked.append(row)
        else:
            result.ranked.append(row)
    result.ranked.sort(key=lambda r: (r.rank or 0, r.area.code))
    return result
