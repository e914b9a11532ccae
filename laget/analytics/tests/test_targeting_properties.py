"""Properties of the targeting index's arithmetic (hypothesis): an indicator's unit does not matter
(scaling and shifting leave the index alone), flipping an indicator's direction together with
its figures changes nothing, weights count only relative to each other, and ranks are the same
on every run, ties sharing a rank in area-code order."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from laget.analytics.targeting import (
    MISSING_EXCLUDE,
    MISSING_REWEIGHT,
    TIE_PLACES,
    combine,
    rank,
    sign_of,
    standardise,
)

AREAS = [f"0301{n:04d}" for n in range(1, 9)]
KEYS = ["a", "b", "c"]

figure = st.one_of(st.none(), st.integers(min_value=0, max_value=10_000).map(Decimal))
figures = st.fixed_dictionaries({area: figure for area in AREAS})
tables = st.fixed_dictionaries({key: figures for key in KEYS})
weights = st.fixed_dictionaries({
    key: st.integers(min_value=0, max_value=20).map(Decimal) for key in KEYS}).filter(
    lambda w: any(v > 0 for v in w.values()))
signs = st.fixed_dictionaries({key: st.sampled_from([1, -1]) for key in KEYS})
missing = st.sampled_from([MISSING_EXCLUDE, MISSING_REWEIGHT])


def _index(table, w, s, rule):
    z = {key: standardise(table[key], AREAS).z for key in KEYS}
    return {area: scored.index for area, scored in combine(z, w, s, AREAS, missing=rule).items()}


def _same(left, right):
    assert left.keys() == right.keys()
    for area in left:
        if left[area] is None or right[area] is None:
            assert left[area] is right[area] is None, area
        else:
            assert left[area].quantize(TIE_PLACES) == right[area].quantize(TIE_PLACES), area


@settings(max_examples=150, deadline=None)
@given(tables, weights, signs, missing, st.sampled_from(KEYS),
       st.integers(min_value=1, max_value=1000), st.integers(min_value=-500, max_value=500))
def test_index_does_not_depend_on_an_indicators_unit(table, w, s, rule, key, factor, shift):
    scaled = dict(table)
    scaled[key] = {a: None if v is None else v * factor + shift for a, v in table[key].items()}
    _same(_index(table, w, s, rule), _index(scaled, w, s, rule))


@settings(max_examples=150, deadline=None)
@given(tables, weights, signs, missing, st.sampled_from(KEYS))
def test_flipping_direction_and_figures_changes_nothing(table, w, s, rule, key):
    flipped = dict(table)
    flipped[key] = {a: None if v is None else -v for a, v in table[key].items()}
    flipped_signs = {**s, key: -s[key]}
    _same(_index(table, w, s, rule), _index(flipped, w, flipped_signs, rule))


@settings(max_examples=150, deadline=None)
@given(tables, weights, signs, missing, st.integers(min_value=2, max_value=50))
def test_weights_count_only_relative_to_each_other(table, w, s, rule, factor):
    scaled = {key: value * factor for key, value in w.items()}
    _same(_index(table, w, s, rule), _index(table, scaled, s, rule))


@settings(max_examples=150, deadline=None)
@given(tables, weights, signs, missing)
def test_ranks_are_deterministic_and_ties_share_a_rank(table, w, s, rule):
    indexes = _index(table, w, s, rule)
    ranks = rank(indexes)
    assert ranks == rank(dict(reversed(list(indexes.items()))))
    assert [a for a, _r in ranks] == sorted(
        (a for a, v in indexes.items() if v is not None),
        key=lambda a: (-indexes[a].quantize(TIE_PLACES), a))
    by_area = dict(ranks)
    for area, position in ranks:
        higher = sum(1 for other in by_area
                     if indexes[other].quantize(TIE_PLACES) > indexes[area].quantize(TIE_PLACES))
        assert position == higher + 1


def test_ties_by_hand():
    assert rank({"c": Decimal(1), "a": Decimal(2), "b": Decimal(1), "d": None,
                 "e": Decimal(0)}) == [("a", 1), ("b", 2), ("c", 2), ("e", 4)]


def test_a_single_indicator_ranks_by_its_direction():
    table = {"x": Decimal(1), "y": Decimal(3), "z": Decimal(2)}
    z = {"k": standardise(table, ["x", "y", "z"]).z}
    worse = combine(z, {"k": Decimal(1)}, {"k": sign_of("higher_worse")}, ["x", "y", "z"])
    better = combine(z, {"k": Decimal(1)}, {"k": sign_of("higher_better")}, ["x", "y", "z"])
    assert [a for a, _r in rank({a: s.index for a, s in worse.items()})] == ["y", "z", "x"]
    assert [a for a, _r in rank({a: s.index for a, s in better.items()})] == ["x", "z", "y"]
    assert sign_of("neutral") is None and sign_of("neutral", -1) == -1


def test_missing_rule_excludes_or_reweights():
    z = {"a": {"x": Decimal(1), "y": Decimal(-1)}, "b": {"x": Decimal(1)}}
    w = {"a": Decimal(1), "b": Decimal(3)}
    s = {"a": 1, "b": 1}
    excluded = combine(z, w, s, ["x", "y"], missing=MISSING_EXCLUDE)
    assert excluded["y"].index is None and excluded["y"].coverage == Decimal("0.25")
    assert excluded["x"].index == Decimal(1)
    reweighted = combine(z, w, s, ["x", "y"], missing=MISSING_REWEIGHT)
    assert reweighted["y"].index == Decimal(-1) and reweighted["y"].coverage == Decimal("0.25")


def test_no_spread_means_z_zero():
    assert standardise({"x": Decimal(4), "y": Decimal(4)}, ["x", "y"]).z == {
        "x": Decimal(0), "y": Decimal(0)}
    assert standardise({"x": Decimal(4), "y": None}, ["x", "y"]).z == {"x": Decimal(0)}
    assert standardise({"x": None}, ["x"]).mean is None
