"""The deadline arithmetic: working days skip weekends and Norwegian public holidays (from the
`holidays` package, Easter included), calendar targets are plain day counts, and a case's
stages say days used, days left and overdue as the targets in the settings give them."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laget.fasttrack.deadlines import (
    CALENDAR,
    WORKING,
    Target,
    add_working_days,
    due_date,
    is_holiday,
    is_working_day,
    stages_for,
    targets,
    working_days_between,
)
from laget.fasttrack.models import ChargeOutcome, MilestoneKind, TargetSet

DAYS = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))
COUNTS = st.integers(min_value=0, max_value=80)


@settings(deadline=None)  # the library builds each year's calendar on first use
@given(start=DAYS, n=st.integers(min_value=1, max_value=80))
def test_a_working_day_deadline_never_lands_on_a_weekend_or_holiday(start, n):
    due = add_working_days(start, n)
    assert due.weekday() < 5
    assert not is_holiday(due)
    assert due > start


@settings(deadline=None)  # the library builds each year's calendar on first use
@given(start=DAYS, n=COUNTS, m=COUNTS)
def test_adding_working_days_is_monotone_in_the_count(start, n, m):
    low, high = sorted((n, m))
    assert add_working_days(start, low) <= add_working_days(start, high)
    if low < high:
        assert add_working_days(start, low) < add_working_days(start, high)


@settings(deadline=None)  # the library builds each year's calendar on first use
@given(a=DAYS, b=DAYS, n=st.integers(min_value=1, max_value=60))
def test_adding_working_days_is_monotone_in_the_start(a, b, n):
    early, late = sorted((a, b))
    assert add_working_days(early, n) <= add_working_days(late, n)


@settings(deadline=None)  # the library builds each year's calendar on first use
@given(start=DAYS, n=st.integers(min_value=1, max_value=80))
def test_counting_back_gives_the_days_added(start, n):
    due = add_working_days(start, n)
    assert working_days_between(start, due) == n
    assert working_days_between(due, start) == -n
    # every day counted is a working day, and the calendar span is at least the working days
    assert (due - start).days >= n


@settings(deadline=None)  # the library builds each year's calendar on first use
@given(start=DAYS, n=COUNTS)
def test_calendar_and_working_targets_agree_where_they_must(start, n):
    calendar = due_date(start, Target(n, CALENDAR))
    working = due_date(start, Target(n, WORKING))
    assert calendar == start + dt.timedelta(days=n)
    # n working days take at least n calendar days
    if n:
        assert working >= calendar


@settings(deadline=None)  # the library builds each year's calendar on first use
@given(day=DAYS)
def test_working_days_are_weekdays_that_are_not_holidays(day):
    assert is_working_day(day) == (day.weekday() < 5 and not is_holiday(day))


def test_easter_and_may_come_from_the_library():
    # Easter 2026: skjærtorsdag 2 April to andre påskedag 6 April.
    assert add_working_days(dt.date(2026, 4, 1), 1) == dt.date(2026, 4, 7)
    # Easter 2027 is in March (25–29), found without a hand-written rule.
    assert is_holiday(dt.date(2027, 3, 25)) and is_holiday(dt.date(2027, 3, 29))
    # 17 May 2027 is a Monday; Kristi himmelfart 2026 is Thursday 14 May.
    assert add_working_days(dt.date(2027, 5, 14), 1) == dt.date(2027, 5, 18)
    assert not is_working_day(dt.date(2026, 5, 14))
    # An ordinary Sunday is not a holiday here (weekends are handled on their own).
    assert not is_holiday(dt.date(2026, 3, 8)) and not is_working_day(dt.date(2026, 3, 8))
    # With zero days, the first working day on or after the start.
    assert add_working_days(dt.date(2026, 4, 3), 0) == dt.date(2026, 4, 7)


def test_targets_overlay_the_legal_ones():
    configured = {"legal": {"charge_decision": {"days": 42}},
                  "hurtiglop": {"charge_decision": {"days": 21},
                                "main_hearing": {"days": 10, "count": "working"}}}
    assert targets(TargetSet.LEGAL, configured) == {"charge_decision": Target(42)}
    assert targets(TargetSet.HURTIGLOP, configured) == {
        "charge_decision": Target(21), "main_hearing": Target(10, WORKING)}
    with pytest.raises(ValueError):
        targets(TargetSet.LEGAL, {"legal": {"nonsense": {"days": 1}}})
    with pytest.raises(ValueError):
        targets(TargetSet.LEGAL, {"legal": {"judgment": {"days": 1, "count": "weeks"}}})


def test_the_legal_defaults_are_the_statutory_ones():
    legal = targets(TargetSet.LEGAL)
    assert legal["charge_decision"] == Target(42, CALENDAR)  # strpl. § 249
    assert legal["main_hearing"] == Target(14, CALENDAR)  # strpl. § 275 (1)
    assert legal["judgment"] == Target(42, CALENDAR)  # the courts' 6-week target


def _by_code(stages):
    return {s.stage.code: s for s in stages}


def test_a_running_stage_counts_days_used_and_left_and_turns_overdue():
    charged = dt.date(2026, 1, 5)
    milestones = {MilestoneKind.OFFENCE: dt.date(2026, 1, 1), MilestoneKind.CHARGED: charged}
    stage = _by_code(stages_for(milestones, outcome="", target_set=TargetSet.LEGAL,
                                today=dt.date(2026, 2, 1)))["charge_decision"]
    assert stage.due == dt.date(2026, 2, 16)
    assert (stage.days_used, stage.days_left, stage.overdue) == (27, 15, False)
    late = _by_code(stages_for(milestones, outcome="", target_set=TargetSet.LEGAL,
                               today=dt.date(2026, 2, 20)))["charge_decision"]
    assert (late.days_left, late.overdue) == (-4, True)


def test_hurtiglop_is_stricter_and_keeps_the_legal_due_date_beside_it():
    milestones = {MilestoneKind.CHARGED: dt.date(2026, 1, 5)}
    stage = _by_code(stages_for(milestones, outcome="", target_set=TargetSet.HURTIGLOP,
                                today=dt.date(2026, 1, 6)))["charge_decision"]
    assert stage.due == dt.date(2026, 2, 2)
    assert stage.legal_due == dt.date(2026, 2, 16)


def test_finished_stages_say_whether_they_kept_the_target_and_outcomes_rule_stages_out():
    milestones = {MilestoneKind.CHARGED: dt.date(2026, 1, 5),
                  MilestoneKind.CHARGE_DECISION: dt.date(2026, 3, 1)}
    stages = _by_code(stages_for(milestones, outcome=ChargeOutcome.KONFLIKTRAAD,
                                 target_set=TargetSet.LEGAL, today=dt.date(2026, 3, 2)))
    assert stages["charge_decision"].met is False
    assert stages["charge_decision"].days_used == 55
    assert "judgment" not in stages  # no court after a transfer to the konfliktråd
    assert stages["konfliktraad"].due is None  # no legal target for it
    tiltale = _by_code(stages_for(milestones, outcome=ChargeOutcome.TILTALE,
                                  target_set=TargetSet.LEGAL, today=dt.date(2026, 3, 2)))
    assert tiltale["judgment"].due == dt.date(2026, 4, 12)


def test_a_closed_case_has_no_running_stages():
    milestones = {MilestoneKind.CHARGED: dt.date(2026, 1, 5)}
    assert stages_for(milestones, outcome="", target_set=TargetSet.LEGAL,
                      today=dt.date(2026, 3, 1), is_open=False) == []
