"""`compute.recompute`: SQL aggregates per area and month into IndicatorValue, idempotent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from laget.analytics import compute
from laget.analytics.models import IndicatorValue
from laget.analytics.tests import factories
from laget.core import clock
from laget.records.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

STOVNER, GRORUD = "030111", "030110"
HAUGEN = "03011101"
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def _values(key):
    return {(v.area_code, v.period): v.value for v in
            IndicatorValue.objects.filter(indicator_id=key)}


def _at(day, hour=12):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def test_concerns_per_bydel_and_month_and_idempotent():
    with clock.frozen(NOW):
        for day in (dt.date(2026, 1, 5), dt.date(2026, 1, 31), dt.date(2026, 2, 1)):
            factories.concern(district=STOVNER, at=_at(day))
        factories.concern(district=GRORUD, at=_at(dt.date(2026, 2, 14)))
        # 23:30 UTC on 31 January is 1 February in Oslo: months are Oslo's
        factories.concern(district=GRORUD, at=dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC))
        months = [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
        compute.recompute(months=months)
        first = _values("concerns_received")
        compute.recompute(months=months)
        assert _values("concerns_received") == first
    assert first == {(STOVNER, dt.date(2026, 1, 1)): 2, (STOVNER, dt.date(2026, 2, 1)): 1,
                     (GRORUD, dt.date(2026, 2, 1)): 2}
    assert not IndicatorValue.objects.filter(indicator_id="concerns_received",
                                             computed_at__isnull=True).exists()


def test_open_cases_count_in_every_month_they_were_open():
    with clock.frozen(dt.datetime(2026, 1, 10, tzinfo=dt.UTC)):
        CaseFactory(person__district_id=STOVNER)
        closed = CaseFactory(person__district_id=STOVNER)
    closed.status, closed.closed_at = "closed", _at(dt.date(2026, 2, 3))
    closed.save()
    with clock.frozen(NOW):
        compute.recompute(months=[dt.date(2026, 1, 1), dt.date(2026, 2, 1),
                                  dt.date(2026, 3, 1)])
    values = _values("salto_cases_open")
    assert values[(STOVNER, dt.date(2026, 1, 1))] == 2
    assert values[(STOVNER, dt.date(2026, 2, 1))] == 2
    assert values[(STOVNER, dt.date(2026, 3, 1))] == 1


def test_police_counts_only_minors_on_the_day():
    day = dt.date(2026, 2, 10)
    with clock.frozen(NOW):
        factories.registration(subdistrict=HAUGEN, at=_at(day), kind="stop_search",
                               birth_date=dt.date(2008, 2, 11))  # 17, a day short of 18
        factories.registration(subdistrict=HAUGEN, at=_at(day), kind="stop_search",
                               birth_date=dt.date(2008, 2, 10))  # 18 that day
        factories.registration(subdistrict=HAUGEN, at=_at(day), kind="apprehension",
                               birth_date=dt.date(2011, 5, 1), weapon="kniv")
        compute.recompute(months=[dt.date(2026, 2, 1)])
    assert _values("police_stop_search_minors") == {(HAUGEN, dt.date(2026, 2, 1)): 1}
    assert _values("police_apprehensions_minors") == {(HAUGEN, dt.date(2026, 2, 1)): 1}
    assert _values("weapon_triggers") == {(HAUGEN, dt.date(2026, 2, 1)): 1}
    value = IndicatorValue.objects.get(indicator_id="weapon_triggers")
    assert value.district_id == STOVNER and value.subdistrict_id == HAUGEN


def test_fasttrack_median_days_per_bydel_and_year():
    with clock.frozen(NOW):
        for days in (10, 20, 30, 40):
            factories.decided_case(district=STOVNER, offence_on=dt.date(2026, 1, 1),
                                   decided_on=dt.date(2026, 1, 1) + dt.timedelta(days=days))
        compute.recompute(months=[dt.date(2026, 3, 1)])
    value = IndicatorValue.objects.get(indicator_id="fasttrack_offence_to_charge_days")
    assert (value.area_code, value.period, value.value, value.n) == (
        STOVNER, dt.date(2026, 1, 1), Decimal(25), 4)


def test_coverage_is_stored_for_this_month():
    with clock.frozen(NOW):
        compute.recompute(months=[dt.date(2026, 3, 1)])
    club = IndicatorValue.objects.filter(indicator_id="club_hours_per_1000")
    assert club.exists()
    assert {v.period for v in club} == {dt.date(2026, 3, 1)}
    assert all(v.n and v.n > 0 for v in club)


def test_recompute_command_and_bad_months(capsys):
    with clock.frozen(NOW):
        call_command("analytics", "recompute", "--from", "2026-01", "--to", "2026-03")
        assert "concerns_received" in capsys.readouterr().out
        with pytest.raises(SystemExit) as stop:
            call_command("analytics", "recompute", "--from", "2026-03", "--to", "2026-01")
    assert stop.value.code == 2
    assert "before" in capsys.readouterr().err


def test_the_scheduled_task_is_registered():
    from django.conf import settings

    assert (settings.LAGET_PERIODIC_TASKS["analytics_recompute"]["task"]
            == "laget.analytics.compute.recompute_indicators")
