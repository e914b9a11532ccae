"""The attacker of the suppression tests: linear programming (scipy, highs) over the unknown true
cells of a published table, with every published number as an equation and every cell ≥ 0."""

from collections.abc import Hashable, Mapping

import numpy as np
from scipy.optimize import linprog


def feasible_ranges(
    cells: list[Hashable],
    sums: list[tuple[Hashable, list[Hashable]]],
    published: Mapping[Hashable, float],
) -> dict[Hashable, tuple[float, float]]:
    """For every unpublished cell, the least and greatest value consistent with `published`
    (cell → value) and the structural identities `sums` (total cell = sum of its parts)."""
    index = {cell: i for i, cell in enumerate(cells)}
    rows, rhs = [], []
    for total, parts in sums:
        row = np.zeros(len(cells))
        row[index[total]] = -1
        for part in parts:
            row[index[part]] += 1
        rows.append(row)
        rhs.append(0.0)
    for cell, number in published.items():
        row = np.zeros(len(cells))
        row[index[cell]] = 1
        rows.append(row)
        rhs.append(float(number))
    a_eq, b_eq = np.array(rows), np.array(rhs)
    ranges = {}
    for cell in cells:
        if cell in published:
            continue
        objective = np.zeros(len(cells))
        objective[index[cell]] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0, low.message
        upper = float("inf") if high.status == 3 else -high.fun
        assert high.status in (0, 3), high.message
        ranges[cell] = (low.fun, upper)
    return ranges


def table_ranges(rows: list, cols: list, shown: Mapping[tuple, int | None]):
    """`feasible_ranges` for a table with margins (None = total), `shown` as published: the
    number, or None where suppressed."""
    cells = [(r, c) for r in [*rows, None] for c in [*cols, None]]
    sums = [((r, None), [(r, c) for c in cols]) for r in [*rows, None]]
    sums += [((None, c), [(r, c) for r in rows]) for c in [*cols, None]]
    published = {cell: n for cell, n in shown.items() if n is not None}
    return feasible_ranges(cells, sums, published)
