"""Evaluation of Laget's measures over time: cohorts of young people by the month (or quarter) a
measure started, and the share with a good outcome 3, 6 and 12 months later, per bydel — never
per person, never a score or ranking of anyone.

Each measure (`MEASURES`) says what its start is and what counts as a good outcome, from fields
the measure's app records (cited in `Measure.basis`):

- parent support (`familysupport.ParentSupportReferral`): start = the day the programme accepted
  the referral (`answered_at`, status accepted or finished); outcome = no new police
  registration of the young person (`policing.PoliceRegistration.person`, `occurred_at`) in the
  window after the start.
- intensive follow-up (`intensive.Enrolment`): start = `starts_on`; outcome as above.
- fast track (`fasttrack.YouthCase`): start = the day the case was opened (`created_at`: the
  offence itself lies before it); outcome as above.
- reentry (`reentry.Release`, `reentry.Outcome`): start = the release (`actual_date`); outcome =
  NAV recorded work or education (`Outcome.occupation` work, education or both) at the 3, 6 or
  12 month milestone. A milestone not recorded counts as no such outcome: the share is a lower
  bound.
- referrals to offers (`pathways.Referral`, `pathways.Attendance`): start = the day the referral
  was sent (`created_at`); outcome = attended the offer at least once (`Attendance.attended`)
  within the window.

A window of N months is N × 30.4 days (91, 183, 365). A cohort's N-month rate is published only
when every member has been followed that long (the cohort's last day + the window ≤ today), so
the denominator is the whole cohort and no rate can be differenced against another.

All counting is SQL (GROUP BY bydel and cohort period, conditional counts over EXISTS
subqueries); what leaves this module is aggregates with small counts suppressed
(`EvaluationTable`): a count of 1 to LAGET_ANALYTICS_MIN_CELL − 1 — of starters, of those with
the outcome, or of those without it — is never shown, and where a total is published and only
one cell of its group is hidden, one more is withheld (complementary suppression), group by
group until nothing changes. Rates carry Wilson 95 % confidence intervals."""

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
)
from django.db.models.functions import TruncDate, TruncMonth, TruncQuarter
from django.utils.translation import gettext_lazy as _

from laget.areas.models import District
from laget.core import clock
from laget.core.errors import NotFound

#: the follow-up horizons, in months, and the windows they stand for, in days
HORIZONS: tuple[int, ...] = (3, 6, 12)
WINDOW_DAYS: dict[int, int] = {3: 91, 6: 183, 12: 365}
#: the z of a two-sided 95 % interval
Z95 = 1.959963984540054
MONTH = "month"
QUARTER = "quarter"
#: how many cohort periods the tables show, newest last
PERIODS_SHOWN = {MONTH: 24, QUARTER: 12}


# --- Wilson interval ----------------------------------------------------------------------------

def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion `successes` / `n` (default 95 %)."""
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError("need 0 ≤ successes ≤ n and n > 0")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


# --- measures -----------------------------------------------------------------------------------

def _window_end(days: int) -> ExpressionWrapper:
    return ExpressionWrapper(OuterRef("start") + dt.timedelta(days=days),
                             output_field=DateField())


def _no_new_registration(days: int) -> Any:
    from laget.policing.models import PoliceRegistration

    return ~Exists(PoliceRegistration.objects.filter(
        person_id=OuterRef("subject"), occurred_at__date__gt=OuterRef("start"),
        occurred_at__date__lte=_window_end(days)))


def _familysupport() -> QuerySet:
    from laget.familysupport.models import ParentSupportReferral, ReferralStatus

    return (ParentSupportReferral.objects
            .filter(status__in=[ReferralStatus.ACCEPTED, ReferralStatus.FINISHED],
                    answered_at__isnull=False)
            .annotate(start=TruncDate("answered_at"), area=F("case__district_id"),
                      subject=F("case__person_id")))


def _intensive() -> QuerySet:
    from laget.intensive.models import Enrolment

    return Enrolment.objects.annotate(start=F("starts_on"), area=F("case__district_id"),
                                      subject=F("case__person_id"))


def _fasttrack() -> QuerySet:
    from laget.fasttrack.models import YouthCase

    return YouthCase.objects.annotate(start=TruncDate("created_at"), area=F("district_id"),
                                      subject=F("person_id"))


def _reentry() -> QuerySet:
    from laget.reentry.models import Release

    return Release.objects.filter(actual_date__isnull=False, district__isnull=False).annotate(
        start=F("actual_date"), area=F("district_id"))


def _reentry_outcome(days: int) -> Any:
    from laget.reentry.models import Occupation, Outcome

    months = {v: k for k, v in WINDOW_DAYS.items()}[days]
    return Exists(Outcome.objects.filter(
        plan__release=OuterRef("pk"), milestone=months,
        occupation__in=[Occupation.WORK, Occupation.EDUCATION, Occupation.BOTH]))


def _pathways() -> QuerySet:
    from laget.pathways.models import Referral

    return Referral.objects.annotate(start=TruncDate("created_at"),
                                     area=F("case__district_id"))


def _attended(days: int) -> Any:
    from laget.pathways.models import Attendance

    return Exists(Attendance.objects.filter(
        referral=OuterRef("pk"), attended=True, on__gte=OuterRef("start"),
        on__lte=_window_end(days)))


@dataclass(frozen=True)
class Measure:
    key: str
    name: Any
    start: Any
    outcome: Any
    #: the models and fields start and outcome are read from
    basis: str
    episodes: Callable[[], QuerySet]
    #: the outcome within a window of so many days, as a boolean SQL expression
    hit: Callable[[int], Any]


MEASURES: tuple[Measure, ...] = (
    Measure("foreldrestotte", _("Foreldrestøtte"),
            _("Dagen programmet tok imot henvisningen"),
            _("Ingen ny politiregistrering av den unge"),
            "familysupport.ParentSupportReferral.answered_at (status accepted/finished); "
            "policing.PoliceRegistration.person, occurred_at",
            _familysupport, _no_new_registration),
    Measure("intensiv", _("Intensiv oppfølging"), _("Dagen den unge var med fra"),
            _("Ingen ny politiregistrering av den unge"),
            "intensive.Enrolment.starts_on; policing.PoliceRegistration.person, occurred_at",
            _intensive, _no_new_registration),
    Measure("hurtigspor", _("Hurtigsporet for unge"), _("Dagen saken ble opprettet"),
            _("Ingen ny politiregistrering av den unge"),
            "fasttrack.YouthCase.created_at; policing.PoliceRegistration.person, occurred_at",
            _fasttrack, _no_new_registration),
    Measure("tilbakeforing", _("Tilbakeføring etter løslatelse"), _("Løslatelsesdagen"),
            _("Registrert i arbeid eller utdanning ved milepælen"),
            "reentry.Release.actual_date, district; reentry.Outcome.milestone, occupation",
            _reentry, _reentry_outcome),
    Measure("henvisninger", _("Henvisninger til tilbud"), _("Dagen henvisningen ble sendt"),
            _("Møtt i tilbudet minst én gang"),
            "pathways.Referral.created_at; pathways.Attendance.on, attended",
            _pathways, _attended),
)
BY_KEY = {measure.key: measure for measure in MEASURES}


def measure_get(*, key: str) -> Measure:
    if key not in BY_KEY:
        raise NotFound(str(_("Ukjent tiltak.")))
    return BY_KEY[key]


# --- counting (SQL) -----------------------------------------------------------------------------

def period_start(day: dt.date, kind: str) -> dt.date:
    month = day.month if kind == MONTH else 3 * ((day.month - 1) // 3) + 1
    return dt.date(day.year, month, 1)


def period_end(start: dt.date, kind: str) -> dt.date:
    """The last day of the period beginning on `start`."""
    months = 1 if kind == MONTH else 3
    year, month = start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def period_label(start: dt.date, kind: str) -> str:
    if kind == MONTH:
        return start.strftime("%Y-%m")
    return f"{start.year} K{(start.month - 1) // 3 + 1}"


def periods(kind: str, *, today: dt.date) -> list[dt.date]:
    """The cohort periods shown: the last PERIODS_SHOWN[kind] up to and including today's."""
    result = [period_start(today, kind)]
    for _i in range(PERIODS_SHOWN[kind] - 1):
        result.append(period_start(result[-1] - dt.timedelta(days=1), kind))
    return sorted(result)


@dataclass(frozen=True)
class Counts:
    """Raw counts of one group: starters, and those with the outcome per horizon."""

    n: int
    hits: dict[int, int]


def cohort_counts(measure: Measure, kind: str, since: dt.date,
                  until: dt.date) -> dict[tuple[str, dt.date], Counts]:
    """(bydel code, cohort start) → counts, for starts in [since, until]: one GROUP BY query."""
    trunc = TruncMonth if kind == MONTH else TruncQuarter
    aggregates = {f"k{h}": Count("pk", filter=measure.hit(WINDOW_DAYS[h])) for h in HORIZONS}
    rows = (measure.episodes().filter(start__gte=since, start__lte=until)
            .annotate(cohort=trunc("start", output_field=DateField()))
            .values("area", "cohort").annotate(n=Count("pk"), **aggregates).order_by())
    result: dict[tuple[str, dt.date], Counts] = {}
    for row in rows:
        cohort = row["cohort"]
        if isinstance(cohort, dt.datetime):
            cohort = cohort.date()
        result[(row["area"], cohort)] = Counts(
            row["n"], {h: row[f"k{h}"] for h in HORIZONS})
    return result


# --- publication --------------------------------------------------------------------------------

@dataclass
class Rate:
    """A published share: `hits` of `n`, with its interval; `shown` False where it is hidden
    (then every number is None and `display` says why)."""

    n: int | None
    hits: int | None
    rate: float | None
    low: float | None
    high: float | None
    display: str
    shown: bool

    @property
    def low_pct(self) -> str:
        return "" if self.low is None else f"{100 * self.low:.0f}"

    @property
    def high_pct(self) -> str:
        return "" if self.high is None else f"{100 * self.high:.0f}"


@dataclass
class Row:
    key: str  # cohort label or bydel code; "" for the total
    label: str
    n: int | None
    n_display: str
    rates: dict[int, Rate]
    #: the cohort has not been followed long enough for the horizon (rate not due yet)
    pending: set[int] = field(default_factory=set)

    @property
    def cells(self) -> list[tuple[int, Rate | None]]:
        """(horizon, rate) in order; None where the rate is not due yet."""
        return [(h, None if h in self.pending else self.rates.get(h)) for h in HORIZONS]


@dataclass
class EvaluationTable:
    measure: Measure
    kind: str
    min_cell: int
    #: cohorts, oldest first, with their city-wide rates
    cohorts: list[Row]
    cohort_total: Row
    #: bydeler compared over `window` (cohorts followed 12 months), with the city's row
    districts: list[Row]
    district_total: Row
    window: tuple[dt.date, dt.date] | None


def _small(n: int, min_cell: int) -> bool:
    return 0 < n < min_cell


def _complementary(values: dict[str, int], hidden: set[str], groups: list[list[str]],
                   totals_hidden: dict[int, bool]) -> set[str]:
    """Grow `hidden` until no group whose total is published has exactly one hidden member:
    the smallest published non-zero member is withheld with it (or, failing that, the total)."""
    hidden = set(hidden)
    changed = True
    while changed:
        changed = False
        for index, members in enumerate(groups):
            if totals_hidden.get(index):
                continue
            inside = [m for m in members if m in hidden]
            if len(inside) != 1:
                continue
            rest = sorted((values[m], m) for m in members if m not in hidden and values[m] > 0)
            if rest:
                hidden.add(rest[0][1])
            else:
                totals_hidden[index] = True
            changed = True
    return hidden


def _rate(n: int, hits: int, shown: bool, min_cell: int) -> Rate:
    if not shown:
        return Rate(None, None, None, None, None, f"<{min_cell}" if _small(hits, min_cell)
                    or _small(n - hits, min_cell) or _small(n, min_cell) else str(_("skjult")),
                    False)
    low, high = wilson(hits, n)
    return Rate(n, hits, hits / n, low, high, f"{100 * hits / n:.0f} %".replace(".", ","), True)


def _publish(keys: list[str], labels: dict[str, str], counts: dict[str, Counts],
             total_label: str, due: dict[int, set[str]], min_cell: int, *, pooled: bool,
             extra_groups: tuple[list[str], ...] = ()) -> tuple[list[Row], Row]:
    """Suppress one table: rows `keys` and a total row. `due[h]` are the rows whose h-month rate
    may be published. The starters' column has its total; with `pooled`, each horizon's column
    has the total over the rows due (the pooled rate) — only where every row is due for every
    horizon, else the pooled denominators of two horizons would differ by a cohort's count.
    `extra_groups` are groups of rows whose totals another table publishes."""
    zero = Counts(0, dict.fromkeys(HORIZONS, 0))
    values = {k: counts.get(k, zero) for k in keys}
    total_n = sum(c.n for c in values.values())
    groups = [list(keys), *[list(g) for g in extra_groups]]
    n_hidden = _complementary({k: v.n for k, v in values.items()},
                              {k for k, v in values.items() if _small(v.n, min_cell)},
                              groups, {0: _small(total_n, min_cell)})
    rows = {k: Row(k, labels[k], None if k in n_hidden else values[k].n,
                   (f"<{min_cell}" if _small(values[k].n, min_cell) else str(_("skjult")))
                   if k in n_hidden else str(values[k].n), {}) for k in keys}
    total = Row("", total_label, None if _small(total_n, min_cell) else total_n,
                f"<{min_cell}" if _small(total_n, min_cell) else str(total_n), {})
    for h in HORIZONS:
        members = [k for k in keys if k in due[h]]
        hits = {k: values[k].hits[h] for k in members}
        primary = {k for k in members if k in n_hidden or _small(hits[k], min_cell)
                   or _small(values[k].n - hits[k], min_cell)}
        pooled_n = sum(values[k].n for k in members)
        pooled_hits = sum(hits.values())
        pooled_hidden = (not pooled or _small(pooled_hits, min_cell)
                         or _small(pooled_n - pooled_hits, min_cell) or pooled_n == 0)
        # both the hits and the misses (n − hits) add up to published totals
        h_groups = [members, *[[k for k in g if k in due[h]] for g in extra_groups]]
        hidden = _complementary(
            {k: min(hits[k], values[k].n - hits[k]) or values[k].n for k in members}, primary,
            h_groups, {0: pooled_hidden})
        for k in keys:
            if k not in due[h]:
                rows[k].pending.add(h)
                continue
            rows[k].rates[h] = (_rate(values[k].n, hits[k], k not in hidden, min_cell)
                                if values[k].n else Rate(0, 0, None, None, None, "–", False))
        if not pooled:
            total.rates[h] = Rate(None, None, None, None, None, "–", False)
        elif pooled_n:
            total.rates[h] = _rate(pooled_n, pooled_hits, not pooled_hidden, min_cell)
        else:
            total.pending.add(h)
    return [rows[k] for k in keys], total


def evaluation_table(measure: Measure, *, kind: str = QUARTER,
                     today: dt.date | None = None) -> EvaluationTable:
    """The measure's published cohort table and bydel comparison. Aggregates only."""
    today = today or clock.today()
    min_cell = settings.LAGET_ANALYTICS_MIN_CELL
    shown = periods(kind, today=today)
    raw = cohort_counts(measure, kind, shown[0], period_end(shown[-1], kind))
    by_cohort: dict[dt.date, list[Counts]] = defaultdict(list)
    for (_district, cohort), counts in raw.items():
        by_cohort[cohort].append(counts)

    def added(parts: list[Counts]) -> Counts:
        return Counts(sum(p.n for p in parts),
                      {h: sum(p.hits[h] for p in parts) for h in HORIZONS})

    keys = [period_label(p, kind) for p in shown]
    labels = dict(zip(keys, keys, strict=True))
    cohort_values = {period_label(p, kind): added(by_cohort[p]) for p in shown}
    due = {h: {period_label(p, kind) for p in shown
               if period_end(p, kind) + dt.timedelta(days=WINDOW_DAYS[h]) <= today}
           for h in HORIZONS}
    # the bydel comparison pools the newest four quarters (or twelve months) due at 12 months
    ready = [p for p in shown if period_label(p, kind) in due[12]]
    pooled = ready[-(4 if kind == QUARTER else 12):]
    window = (pooled[0], period_end(pooled[-1], kind)) if pooled else None
    window_keys = [period_label(p, kind) for p in pooled]
    cohorts, cohort_total = _publish(keys, labels, cohort_values, str(_("Alle kull")), due,
                                     min_cell, pooled=False,
                                     extra_groups=(window_keys,) if window_keys else ())

    # every area a case can belong to, so that the city's row equals the cohorts' sum
    districts = list(District.objects.order_by("code").values_list("code", "name"))
    codes = [code for code, _name in districts]
    per_district: dict[str, list[Counts]] = defaultdict(list)
    for (district, cohort), counts in raw.items():
        if cohort in pooled and district in codes:
            per_district[district].append(counts)
    district_values = {code: added(per_district[code]) for code in codes}
    everyone = set(codes) if window else set()
    rows, district_total = _publish(codes, dict(districts), district_values,
                                    str(_("Oslo i alt")), dict.fromkeys(HORIZONS, everyone),
                                    min_cell, pooled=True)
    return EvaluationTable(measure, kind, min_cell, cohorts, cohort_total, rows, district_total,
                           window)
