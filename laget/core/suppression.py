"""Small-cell suppression for published figures (statistics pages, exports): a count under the
threshold could point at a person, so it is not shown, and when a group has exactly one such cell
one more is withheld, so that it cannot be had by subtracting the others from a published total.
Used by every app that publishes counts (laget.fasttrack.stats, laget.familysupport.stats)."""


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
