"""`publish`: what leaves the database layer. The attacker solves the published table of an
indicator (every area × month of a year, area totals, Oslo's month totals and year total) by
linear programming: no suppressed cell can be pinned to a range narrower than the threshold."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from laget.analytics import publish, services
from laget.analytics.models import IndicatorValue
from laget.analytics.tests import factories
from laget.analytics.tests.attacker import table_ranges
from laget.areas.models import District
from laget.core import clock

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
JAN, FEB, MAR = (dt.date(2025, m, 1) for m in (1, 2, 3))


def _attack(published: publish.Table, truth: dict) -> None:
    rows = [a.code for a in published.areas]
    shown = {}
    for (row, col), cell in published.cells.items():
        shown[(row, col)] = None if cell.suppressed else int(cell.value)
    ranges = table_ranges(rows, published.periods, shown)
    min_cell = settings.LAGET_ANALYTICS_MIN_CELL
    for key, cell in published.cells.items():
        if cell.suppressed:
            low, high = ranges[key]
            assert high - low >= min_cell - 1e-6, (key, low, high)
        else:
            assert int(cell.value) == truth.get(key, 0) or key[0] is None or key[1] is None


def test_small_counts_show_as_under_five_and_zero_is_shown():
    factories.values("concerns_received", {("030111", JAN): 3, ("030110", JAN): 12,
                                           ("030111", FEB): 8, ("030110", FEB): 9,
                                           ("030111", MAR): 0})
    with clock.frozen(NOW):
        published = publish.table(indicator=publish.indicator_get(key="concerns_received"),
                                  year=2025)
    assert len(published.periods) == 12
    assert published.cells[("030111", JAN)].display == "<5"
    assert published.cells[("030111", JAN)].value is None
    assert published.cells[("030111", MAR)].display == "0"
    hidden = [k for k, c in published.cells.items() if c.suppressed]
    assert len(hidden) >= 4
    assert all(published.cells[k].display in ("<5", "skjult") for k in hidden)


def test_the_attacker_cannot_narrow_a_hidden_cell():
    truth = {("030111", JAN): 3, ("030110", JAN): 12, ("030111", FEB): 8,
             ("030110", FEB): 9, ("030101", MAR): 1, ("030115", MAR): 22}
    factories.values("concerns_received", truth)
    with clock.frozen(NOW):
        published = publish.table(indicator=publish.indicator_get(key="concerns_received"),
                                  year=2025)
    _attack(published, truth)


bydel_codes = ["030101", "030110", "030111", "030115", "030116"]


# Each example builds a 19 × 12 table in the database and solves two LPs per hidden cell:
# capped below the profiles' counts (the pure tables of test_suppression.py take the profile's).
@hsettings(max_examples=15, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture,
                                  HealthCheck.too_slow])
@given(st.dictionaries(st.tuples(st.sampled_from(bydel_codes), st.sampled_from([JAN, FEB, MAR])),
                       st.integers(0, 30), max_size=12))
def test_random_data_keeps_every_hidden_cell_uncertain(truth):
    IndicatorValue.objects.filter(indicator_id="concerns_received").delete()
    factories.values("concerns_received", truth)
    with clock.frozen(NOW):
        published = publish.table(indicator=publish.indicator_get(key="concerns_received"),
                                  year=2025)
    _attack(published, truth)


def test_medians_only_for_groups_of_ten():
    factories.values("fasttrack_offence_to_charge_days",
                     {("030111", dt.date(2025, 1, 1)): Decimal(40)}, n=9)
    factories.values("fasttrack_offence_to_charge_days",
                     {("030110", dt.date(2025, 1, 1)): Decimal("32.5")}, n=10)
    published = publish.table(
        indicator=publish.indicator_get(key="fasttrack_offence_to_charge_days"))
    assert published.cells[("030111", dt.date(2025, 1, 1))].display == "<10"
    assert published.cells[("030111", dt.date(2025, 1, 1))].value is None
    assert published.cells[("030110", dt.date(2025, 1, 1))].display == "32,5"


def test_statistical_units_are_rows_but_not_on_the_map():
    factories.values("concerns_received", {("030116", JAN): 20, ("030111", JAN): 30})
    with clock.frozen(NOW):
        published = publish.table(indicator=publish.indicator_get(key="concerns_received"),
                                  year=2025)
    codes = [a.code for a in published.areas]
    assert {"030116", "030117", "030199"} <= set(codes)
    on_map = {row["code"] for row in publish.map_rows(published, JAN)}
    assert "030111" in on_map and not on_map & {"030116", "030117", "030199"}
    assert set(publish.boundaries("bydel")) >= on_map


def test_seed_figures_are_real_with_their_source_and_places_are_not_on_the_map():
    services.seed_figures_load()
    services.seed_figures_load()
    kindergarten = publish.table(
        indicator=publish.indicator_get(key="kindergarten_participation_1_3"))
    year = dt.date(2024, 1, 1)
    assert kindergarten.cells[("030111", year)].display == "61"
    assert kindergarten.cells[("030115", year)].display == "70"
    assert kindergarten.cells[("030107", year)].display == "90"
    assert not kindergarten.synthetic
    assert "Arbeiderparti" in kindergarten.datasets[0].source
    schools = publish.table(indicator=publish.indicator_get(key="near_school_uptake"))
    assert [(a.name, a.on_map) for a in schools.areas] == [
        ("Mortensrud skole", False), ("Stenbråten skole", False)]
    assert {c.display for c in schools.cells.values()} == {"143", "67"}
    assert publish.map_rows(schools, year) == []


def test_synthetic_figures_are_labelled():
    dataset = services.dataset_get_or_create(source="Syntetisk demo", fetched_on=dt.date(2026, 1,
                                             1), licence="–", synthetic=True)
    services.figures_import(indicator_key="low_income_children", dataset=dataset, figures=[
        services.Figure("030111", dt.date(2024, 1, 1), Decimal("21.5"))])
    published = publish.table(indicator=publish.indicator_get(key="low_income_children"))
    assert published.synthetic
    assert published.cells[("030111", dt.date(2024, 1, 1))].display == "21,5 (syntetisk)"


def test_fact_sheet_holds_the_bydels_rows_of_the_city_tables():
    factories.values("concerns_received", {("030111", JAN): 3, ("030110", JAN): 12})
    factories.values("weapon_triggers", {("03011101", JAN): 7})
    with clock.frozen(NOW):
        items = publish.fact_sheet(district=District.objects.get(code="030111"), year=2025)
    keys = [item.indicator.key for item in items]
    assert "concerns_received" in keys and "weapon_triggers" in keys
    concerns = next(item for item in items if item.indicator.key == "concerns_received")
    assert [area.code for area, _cells in concerns.rows] == ["030111"]
    assert concerns.rows[0][1][0].display == "<5"
