"""Figures of the family support: parent-support outcomes per year, bydel and programme for the
evaluation, and the interpreters' use and cost per bydel, agency and month for the central
interpreter budget.

The outcome figures are aggregates of few families: a cell under LAGET_FAMILYSUPPORT_MIN_CELL
(default 5, as the fast track's statistics) is suppressed, and when exactly one outcome of a
published row is suppressed the smallest other is withheld too, so that it cannot be had by
subtracting from the row's total (`laget.core.suppression`). The interpreter report holds no
personal data (counts, hours and kroner per agency), so it needs no suppression; it is audited
all the same, as the brief of the central budget asks who looked."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError
from laget.core.suppression import suppress
from laget.familysupport import access
from laget.familysupport.models import InterpreterBooking, ParentOutcome, ParentSupportReferral


def min_cell() -> int:
    return int(getattr(settings, "LAGET_FAMILYSUPPORT_MIN_CELL", 5))


@dataclass(frozen=True)
class OutcomeRow:
    """One bydel's and programme's finished referrals in a year. `total` None: the row is
    suppressed (under the threshold) and shows nothing. In `counts`, None is a suppressed or
    withheld outcome."""

    district_code: str
    district_name: str
    programme: str
    total: int | None
    counts: dict[str, int | None]
    mean_benefit: float | None


@dataclass(frozen=True)
class OutcomeStatistics:
    year: int
    min_cell: int
    outcomes: list[tuple[str, str]]
    rows: list[OutcomeRow]


@transaction.atomic
def parent_outcome_statistics(*, actor: Actor, year: int) -> OutcomeStatistics:
    """Finished referrals by the year their outcome was recorded, for anyone acting in a role.
    Aggregates only; the look is audited like the interpreter report."""
    if actor.membership is None:
        raise DomainError(_("Du må være innlogget i en rolle."), code="role")
    if not 2000 <= year <= 2100:
        raise DomainError(_("Ugyldig år."), code="year")
    threshold = min_cell()
    start = dt.datetime(year, 1, 1, tzinfo=clock.OSLO)
    end = dt.datetime(year + 1, 1, 1, tzinfo=clock.OSLO)
    grouped = (ParentSupportReferral.objects
               .filter(outcome_at__gte=start, outcome_at__lt=end)
               .values("case__district_id", "case__district__name", "offer__name", "outcome")
               .annotate(n=Count("pk"), benefit_sum=Sum("benefit"), rated=Count("benefit"))
               .order_by())
    cells: dict[tuple[str, str, str], dict[str, int]] = defaultdict(dict)
    ratings: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in grouped:
        key = (row["case__district_id"], row["case__district__name"], row["offer__name"])
        cells[key][row["outcome"]] = row["n"]
        ratings[key][0] += row["benefit_sum"] or 0
        ratings[key][1] += row["rated"]
    rows = []
    for key in sorted(cells, key=lambda k: (k[1], k[2])):
        counts = {code: cells[key].get(code, 0) for code in ParentOutcome.values}
        total = sum(counts.values())
        code, name, programme = key
        if total < threshold:
            rows.append(OutcomeRow(code, name, programme, None,
                                   dict.fromkeys(ParentOutcome.values), None))
            continue
        hidden, withheld = suppress(dict(counts), threshold)
        benefit_sum, rated = ratings[key]
        rows.append(OutcomeRow(
            code, name, programme, total,
            {c: None if c in hidden or c in withheld else n for c, n in counts.items()},
            round(benefit_sum / rated, 1) if rated >= threshold else None))
    audit_record(action=Action.FAMILYSUPPORT_PARENT_STATS, actor=actor, purpose=Purpose.TILSYN,
                 details={"year": year})
    return OutcomeStatistics(year=year, min_cell=threshold,
                             outcomes=[(c, str(label)) for c, label in ParentOutcome.choices],
                             rows=rows)


# --- the interpreter report -----------------------------------------------------------------------


@dataclass(frozen=True)
class InterpreterRow:
    district_code: str
    district_name: str
    agency_name: str
    month: int
    bookings: int
    hours: float
    cost_nok: int


@dataclass(frozen=True)
class InterpreterReport:
    budget_year: int
    district_code: str  # "" for the whole city
    rows: list[InterpreterRow]

    @property
    def bookings(self) -> int:
        return sum(r.bookings for r in self.rows)

    @property
    def hours(self) -> float:
        return round(sum(r.hours for r in self.rows), 2)

    @property
    def cost_nok(self) -> int:
        return sum(r.cost_nok for r in self.rows)


@transaction.atomic
def interpreter_report(*, actor: Actor, budget_year: int, export: bool = False
                       ) -> InterpreterReport:
    """Use (bookings, hours) and cost per bydel, agency and month of the budget year: the whole
    city for the city's readers, one bydel for its leader (`access.interpreter_report_scope`)."""
    scope = access.interpreter_report_scope(actor)
    if scope is None:
        raise DomainError(_("Rapporten er for byens analytikere og ledere og for bydelens "
                            "leder."), code="role")
    if not 2000 <= budget_year <= 2100:
        raise DomainError(_("Ugyldig budsjettår."), code="year")
    bookings = InterpreterBooking.objects.filter(budget_year=budget_year)
    if scope:
        bookings = bookings.filter(district_id=scope)
    grouped = (bookings.annotate(month=ExtractMonth("starts_at", tzinfo=clock.OSLO))
               .values("district_id", "district__name", "agency__name", "month")
               .annotate(n=Count("pk"), minutes=Sum("duration_minutes"), cost=Sum("cost_nok"))
               .order_by("district__name", "agency__name", "month"))
    rows = [InterpreterRow(r["district_id"], r["district__name"], r["agency__name"], r["month"],
                           r["n"], round((r["minutes"] or 0) / 60, 2), r["cost"] or 0)
            for r in grouped]
    audit_record(action=Action.FAMILYSUPPORT_INTERPRETER_REPORT, actor=actor,
                 purpose=Purpose.TILSYN,
                 details={"budget_year": budget_year, "district": scope or "city",
                          "export": export})
    return InterpreterReport(budget_year=budget_year, district_code=scope, rows=rows)
