"""`core.suppression.protect_table` against an attacker with linear programming: every suppressed
cell's feasible range stays at least the threshold wide, for fixed and for random tables."""

from hypothesis import given
from hypothesis import strategies as st

from laget.analytics.tests.attacker import table_ranges
from laget.core.suppression import protect_table

MIN_CELL = 5


def _attack(counts, rows, cols, min_cell=MIN_CELL):
    value, primary, suppressed = protect_table(counts, rows, cols, min_cell)
    assert primary <= suppressed
    assert all(value[key] != 0 for key in suppressed)
    assert {key for key, n in value.items() if 0 < n < min_cell} == primary
    shown = {key: (None if key in suppressed else n) for key, n in value.items()}
    ranges = table_ranges(rows, cols, shown)
    for key in suppressed:
        low, high = ranges[key]
        assert low <= value[key] + 1e-6 <= high + 2e-6
        assert high - low >= min_cell - 1e-6, (key, value[key], low, high)
    return value, suppressed


def test_one_small_cell_takes_a_rectangle_with_it():
    rows, cols = ["a", "b", "c"], ["m1", "m2", "m3"]
    counts = {(r, c): 20 for r in rows for c in cols} | {("a", "m1"): 2}
    _value, suppressed = _attack(counts, rows, cols)
    assert ("a", "m1") in suppressed
    assert len(suppressed) == 4
    assert (None, None) not in suppressed


def test_a_small_total_is_hidden_and_protected():
    rows, cols = ["a", "b"], ["m1", "m2"]
    counts = {("a", "m1"): 1, ("a", "m2"): 2, ("b", "m1"): 30, ("b", "m2"): 40}
    _value, suppressed = _attack(counts, rows, cols)
    assert ("a", None) in suppressed


def test_all_small_everything_protected():
    rows, cols = ["a", "b"], ["m1", "m2"]
    _attack({(r, c): 1 for r in rows for c in cols}, rows, cols)


def test_zeros_are_published():
    rows, cols = ["a", "b"], ["m1", "m2"]
    _value, suppressed = _attack({("a", "m1"): 0, ("a", "m2"): 7, ("b", "m1"): 9,
                                 ("b", "m2"): 12}, rows, cols)
    assert suppressed == set()


@given(st.integers(1, 4), st.integers(1, 5), st.data())
def test_random_tables_keep_every_suppressed_cell_uncertain(n_rows, n_cols, data):
    rows = [f"r{i}" for i in range(n_rows)]
    cols = [f"c{j}" for j in range(n_cols)]
    counts = {(r, c): data.draw(st.one_of(st.integers(0, 6), st.integers(0, 40)))
              for r in rows for c in cols}
    _attack(counts, rows, cols)
