"""Target times of the youth fast track: the stages between milestones, their targets, and the
date arithmetic. Pure functions of dates and settings, so they are tested as properties.

A target counts calendar days or working days. Working days skip Saturdays, Sundays and
Norwegian public holidays, which come from the `holidays` package (Easter and the feasts that
hang on it included) rather than a hand-written calendar. A calendar target's due date is the
start plus the days, even when it falls on a weekend: the targets are duties of the authorities,
not a party's time limit (domstolloven § 148 moves those to the next working day).

The stages (`STAGES`), each with its citation and how sure we are of it (DOMAIN.md's marks:
✔ checked, ◐ partly, — the city's own ambition with no legal source):

- investigation: siktet → oppklart. No legal target; hurtigløp only (the city's ambition).
- charge_decision: siktet → påtaleavgjørelse, 42 days. strpl. § 249 ◐ (counted from becoming a
  suspect; the law allows exceptions).
- main_hearing: kom inn til retten → hovedforhandling, 14 days. strpl. § 275 (1) ✔ — the law
  says the hearing is to be *scheduled* within 2 weeks; Laget has no «berammet» milestone and
  measures the hearing itself, which is stricter than the law.
- judgment: påtaleavgjørelse (tiltale) → dom, 42 days. The courts' 6-week target for under-18
  cases ◐ (no exact §).
- konfliktraad: påtaleavgjørelse (konfliktråd) → reaksjon startet. Hurtigløp only.
- reaction_start: rettskraftig dom → reaksjon startet. Hurtigløp only.
"""

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import holidays
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from laget.fasttrack.models import ChargeOutcome, MilestoneKind, TargetSet

CALENDAR = "calendar"
WORKING = "working"


class Responsible:
    """Which of the case's agencies a stage belongs to (and whom its alerts go to)."""

    POLICE = "police"
    COURT = "court"
    KONFLIKTRAAD = "konfliktraad"
    KRIMINALOMSORG = "kriminalomsorg"


@dataclass(frozen=True)
class Stage:
    """A stretch of the path between two milestones that has (or may have) a target time."""

    code: str
    label: Any
    start: str
    end: str
    responsible: str
    citation: str
    #: the stage applies only after a charge decision with one of these outcomes (None: always)
    outcomes: frozenset[str] | None = None


STAGES: tuple[Stage, ...] = (
    Stage("investigation", _("Etterforskning"), MilestoneKind.CHARGED,
          MilestoneKind.INVESTIGATED, Responsible.POLICE, "Byens mål (hurtigløp)"),
    Stage("charge_decision", _("Påtaleavgjørelse"), MilestoneKind.CHARGED,
          MilestoneKind.CHARGE_DECISION, Responsible.POLICE, "strpl. § 249"),
    Stage("main_hearing", _("Hovedforhandling"), MilestoneKind.COURT_RECEIVED,
          MilestoneKind.MAIN_HEARING, Responsible.COURT, "strpl. § 275 (1)",
          frozenset({ChargeOutcome.TILTALE})),
    Stage("judgment", _("Dom"), MilestoneKind.CHARGE_DECISION, MilestoneKind.JUDGMENT,
          Responsible.COURT, "Domstolenes mål for saker mot under 18 år",
          frozenset({ChargeOutcome.TILTALE})),
    Stage("konfliktraad", _("Oppstart i konfliktrådet"), MilestoneKind.CHARGE_DECISION,
          MilestoneKind.REACTION_STARTED, Responsible.KONFLIKTRAAD, "Byens mål (hurtigløp)",
          frozenset({ChargeOutcome.KONFLIKTRAAD})),
    Stage("reaction_start", _("Oppstart av reaksjonen"), MilestoneKind.JUDGMENT_FINAL,
          MilestoneKind.REACTION_STARTED, Responsible.KRIMINALOMSORG, "Byens mål (hurtigløp)",
          frozenset({ChargeOutcome.TILTALE})),
)
STAGE_BY_CODE = {stage.code: stage for stage in STAGES}


@dataclass(frozen=True)
class Target:
    days: int
    count: str = CALENDAR


# --- working days ---------------------------------------------------------------------------------

@functools.cache
def _norway() -> holidays.HolidayBase:
    # One calendar object; it fills in each year the first time a date in it is asked about.
    return holidays.country_holidays("NO")


def is_holiday(day: dt.date) -> bool:
    """A Norwegian public holiday (helligdag or 1 and 17 May), not counting ordinary Sundays."""
    return day in _norway()


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (the start itself does not count); with 0 days,
    the first working day on or after `start`."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    if days == 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1)
               if is_working_day(start + dt.timedelta(days=n)))


def due_date(start: dt.date, target: Target) -> dt.date:
    if target.count == WORKING:
        return add_working_days(start, target.days)
    return start + dt.timedelta(days=target.days)


# --- targets from settings ------------------------------------------------------------------------

def _parse(raw: Mapping[str, Any]) -> Target:
    count = raw.get("count", CALENDAR)
    days = raw["days"]
    if count not in (CALENDAR, WORKING) or not isinstance(days, int) or days < 0:
        raise ValueError(f"bad fast track target {raw!r}")
    return Target(days, count)


def targets(target_set: str, configured: Mapping[str, Any] | None = None) -> dict[str, Target]:
    """The targets of a set by stage code: the legal ones, overlaid by the set's own (a hurtigløp
    stage without its own target keeps the legal one)."""
    configured = settings.LAGET_FASTTRACK_TARGETS if configured is None else configured
    result = {code: _parse(raw) for code, raw in configured.get(TargetSet.LEGAL, {}).items()}
    if target_set != TargetSet.LEGAL:
        result.update({code: _parse(raw)
                       for code, raw in configured.get(target_set, {}).items()})
    unknown = set(result) - set(STAGE_BY_CODE)
    if unknown:
        raise ValueError(f"unknown fast track stages in settings: {sorted(unknown)}")
    return result


# --- a case's stages ------------------------------------------------------------------------------

@dataclass(frozen=True)
class StageStatus:
    """Where a case stands in one stage. `due` is None when the stage has no target; `days_used`
    counts calendar days from the start milestone to the end milestone (or to today while the
    stage runs); `days_left` calendar days from today to `due` (negative when overdue; None when
    the stage is done or has no target). `met` says whether a finished stage kept its target."""

    stage: Stage
    started_on: dt.date
    ended_on: dt.date | None
    target: Target | None
    due: dt.date | None
    legal_due: dt.date | None
    days_used: int
    days_left: int | None
    overdue: bool
    met: bool | None

    @property
    def running(self) -> bool:
        return self.ended_on is None


def stages_for(
    milestones: Mapping[str, dt.date], *, outcome: str, target_set: str, today: dt.date,
    is_open: bool = True, configured: Mapping[str, Any] | None = None,
) -> list[StageStatus]:
    """The stages a case has entered, from its milestones (kind → date) and its charge
    decision's outcome ("" when there is none yet). A stage whose start is not recorded is left
    out; so is a stage the outcome rules out (a court stage after a henleggelse). On a closed case
    an unfinished stage no longer runs: it is left out too."""
    chosen = targets(target_set, configured)
    legal = targets(TargetSet.LEGAL, configured)
    result = []
    for stage in STAGES:
        started = milestones.get(stage.start)
        if started is None:
            continue
        if stage.outcomes is not None and outcome not in stage.outcomes:
            continue
        ended = milestones.get(stage.end)
        if ended is None and not is_open:
            continue
        target = chosen.get(stage.code)
        due = due_date(started, target) if target is not None else None
        legal_due = (due_date(started, legal[stage.code]) if stage.code in legal else None)
        if ended is not None:
            result.append(StageStatus(stage, started, ended, target, due, legal_due,
                                      (ended - started).days, None, False,
                                      None if due is None else ended <= due))
        else:
            result.append(StageStatus(stage, started, None, target, due, legal_due,
                                      (today - started).days,
                                      None if due is None else (due - today).days,
                                      due is not None and today > due, None))
    return result
