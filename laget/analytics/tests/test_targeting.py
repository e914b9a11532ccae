"""The targeting index over published figures: delbydeler ranked by the year's counts, a
suppressed figure leaves its area unranked (or reweighted when asked), bydel indicators are
ranked over bydeler only, and Sentrum, Marka and «uten registrert adresse» are shown as
statistical units — never standardised over, ranked or drawn."""

import datetime as dt
from decimal import Decimal

import pytest

from laget.analytics import targeting
from laget.analytics.services import indicators_sync_one
from laget.analytics.tests import factories
from laget.core import clock

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
JAN = dt.date(2025, 1, 1)
STATISTICAL = {"03011601", "03011701", "03019901", "03019999"}


@pytest.fixture
def counts():
    # weapon triggers in January 2025 (0 elsewhere is shown as 0): one delbydel with 2 (shown
    # as «<5», and another cell hidden to protect it); Sentrum with a large figure that must not
    # be ranked
    factories.values("weapon_triggers", {
        ("03011101", JAN): 30, ("03011102", JAN): 20, ("03011103", JAN): 10,
        ("03011104", JAN): 2, ("03011601", JAN): 50})
    factories.values("police_apprehensions_minors", {
        ("03011101", JAN): 10, ("03011102", JAN): 40, ("03011103", JAN): 10,
        ("03011104", JAN): 10, ("03011601", JAN): 60})


def _choices(**weights):
    return [targeting.Choice(indicators_sync_one(key), Decimal(w)) for key, w in weights.items()]


def test_delbydeler_ranked_by_published_counts(counts):
    with clock.frozen(NOW):
        result = targeting.ranking(level="delbydel", year=2025,
                                   choices=_choices(weapon_triggers=1))
    ranked = [(r.area.code, r.rank) for r in result.ranked]
    assert ranked[:2] == [("03011101", 1), ("03011102", 2)]
    # every other delbydel has 0: they tie below, in code order
    assert {r for _c, r in ranked[2:]} == {3}
    assert [c for c, _r in ranked[2:]] == sorted(c for c, _r in ranked[2:])
    # «<5» and the cell hidden to protect it are not guessed: unranked, with the reason
    assert {(r.area.code, r.reason, r.cells[0].display) for r in result.unranked} == {
        ("03011104", "suppressed", "<5"), ("03011103", "suppressed", "skjult")}
    assert {r.area.code for r in result.statistical} == STATISTICAL
    assert not STATISTICAL & {c for c, _r in ranked}
    sentrum = next(r for r in result.statistical if r.area.code == "03011601")
    assert sentrum.cells[0].display == "50" and sentrum.index is None
    component = result.components[0]
    assert component.sign == 1 and component.share == 1
    assert component.suppressed >= 1
    assert component.present + component.suppressed + component.missing == len(
        result.ranked) + len(result.unranked)
    assert result.components[0].label == "2025 i alt"


def test_weights_and_reweighting(counts):
    with clock.frozen(NOW):
        both = targeting.ranking(level="delbydel", year=2025, choices=_choices(
            weapon_triggers=1, police_apprehensions_minors=3))
        reweighted = targeting.ranking(level="delbydel", year=2025, choices=_choices(
            weapon_triggers=1, police_apprehensions_minors=3),
            missing=targeting.MISSING_REWEIGHT)
    assert both.ranked[0].area.code == "03011102"  # the heavier weight decides
    assert [c.share for c in both.components] == [Decimal("0.25"), Decimal("0.75")]
    row = next(r for r in reweighted.ranked if r.area.code == "03011104")
    assert row.coverage == Decimal("0.75") and row.index is not None
    assert not STATISTICAL & {r.area.code for r in reweighted.ranked}


def test_bydel_level_and_bad_choices():
    factories.values("low_income_children", {("030111", JAN): Decimal("30"),
                                             ("030101", JAN): Decimal("20"),
                                             ("030107", JAN): Decimal("5"),
                                             ("030116", JAN): Decimal("90")})
    factories.values("kindergarten_participation_1_3", {("030111", JAN): Decimal("61"),
                                                        ("030101", JAN): Decimal("80"),
                                                        ("030107", JAN): Decimal("90")})
    result = targeting.ranking(level="bydel", year=2025, choices=_choices(
        low_income_children=1, kindergarten_participation_1_3=1))
    assert [r.area.code for r in result.ranked] == ["030111", "030101", "030107"]
    assert {r.area.code for r in result.statistical} == {"030116", "030117", "030199"}
    with pytest.raises(ValueError):  # a bydel indicator is never spread to delbydeler
        targeting.ranking(level="delbydel", year=2025, choices=_choices(low_income_children=1))
    with pytest.raises(ValueError):  # a neutral indicator needs a stated direction
        targeting.ranking(level="bydel", year=2025, choices=_choices(concerns_received=1))
    with pytest.raises(ValueError):
        targeting.ranking(level="bydel", year=2025, choices=_choices(low_income_children=0))
