"""Small-cell suppression for published figures (statistics pages, exports): a count under the
threshold could point at a person, so it is not shown, and when a group has exactly one such cell
one more is withheld, so that it cannot be had by subtracting the others from a published total.
Used by every app that publishes counts (laget.fasttrack.stats, laget.familysupport.stats).
`protect_table` is the stronger form for a whole table with its margins (laget.analytics.publish):
no hidden cell can be narrowed below the threshold from everything published."""


def suppress[K](counts: dict[K, int], min_cell: int) -> tuple[set[K], set[K]]:
    """For a group of cells (key → count): the keys to suppress (0 < n < `min_cell`), and the
    keys whose count alone is withheld — when exactly one cell is suppressed, the smallest
    published one besides (complementary suppression: the group's total is published)."""
    hidden = {key for key, n in counts.items() if 0 < n < min_cell}
    withheld: set[K] = set()
    if len(hidden) == 1:
        rest = sorted(((n, str(key)), key) for key, n in counts.items() if key not in hidden)
        if rest:
            withheld.add(rest[0][1])
    return hidden, withheld


#: The margin's key in `protect_table`: a row or column key of None stands for the total.
TOTAL = None


def protect_table[R, C](
    counts: dict[tuple[R, C], int], rows: list[R], cols: list[C], min_cell: int,
) -> tuple[dict[tuple[R | None, C | None], int], set[tuple[R | None, C | None]], set[tuple[R | None, C | None]]]:  # noqa: E501
    """Suppression for a table with both margins published (rows × columns, each row's and each
    column's total and the grand total; a missing count is 0). Returns every cell's true value
    keyed (row, col) with None for a margin, the primary cells (0 < n < `min_cell`, totals too)
    and all suppressed cells (primary and complementary).

    Each primary cell is protected by a "rectangle" of four suppressed cells in the table with
    its margins — rows r, r2 and columns c, c2, where r2 or c2 may be the total — along which the
    true values can shift together without changing any published number. The rectangle is
    chosen so that the cells that would have to fall as the primary cell rises are all at least
    `min_cell`: so someone solving the published equations can only tell that the cell lies in a
    range at least `min_cell` wide, and the same holds for the other three cells. A rectangle
    through the row's and column's totals and the grand total always qualifies (as the cell
    rises they all rise), so one is always found; among the qualifying ones the cheapest wins
    (fewest newly hidden cells, then the least hidden). A 0 is never hidden."""
    value: dict[tuple[R | None, C | None], int] = {}
    for r in rows:
        for c in cols:
            value[(r, c)] = counts.get((r, c), 0)
    for r in rows:
        value[(r, TOTAL)] = sum(value[(r, c)] for c in cols)
    for c in cols:
        value[(TOTAL, c)] = sum(value[(r, c)] for r in rows)
    value[(TOTAL, TOTAL)] = sum(value[(r, TOTAL)] for r in rows)
    if not rows or not cols:
        return value, set(), set()
    all_rows: list[R | None] = [*rows, TOTAL]
    all_cols: list[C | None] = [*cols, TOTAL]
    position = {key: i for i, key in enumerate(value)}

    def kappa(key: tuple[R | None, C | None]) -> int:
        # A margin cell enters the table's zero-sum form with its sign flipped.
        return -1 if (key[0] is TOTAL) != (key[1] is TOTAL) else 1

    primary = {key for key, n in value.items() if 0 < n < min_cell}
    suppressed = set(primary)
    for x in sorted(primary, key=position.__getitem__):
        xr, xc = x
        orient = kappa(x)
        best: tuple[tuple[int, int, int], list[tuple[R | None, C | None]]] | None = None
        for r2 in all_rows:
            if r2 == xr:
                continue
            for c2 in all_cols:
                if c2 == xc:
                    continue
                new: list[tuple[R | None, C | None]] = []
                for key, sign in (((xr, c2), -1), ((r2, xc), -1), ((r2, c2), 1)):
                    n = value[key]
                    falls = sign * orient * kappa(key) < 0
                    if (falls and n < min_cell) or (n == 0 and key not in suppressed):
                        break
                    if key not in suppressed:
                        new.append(key)
                else:
                    cost = (len(new), sum(value[key] for key in new),
                            position[(r2, c2)])
                    if best is None or cost < best[0]:
                        best = (cost, new)
        if best is None:  # pragma: no cover - the rectangle through the totals always qualifies
            raise AssertionError("no protecting rectangle")
        suppressed.update(best[1])
    return value, primary, suppressed
