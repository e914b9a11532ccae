"""Gap detection, checked as properties over any week plan (hypothesis) and on known plans."""

from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laget.intensive.gaps import Span, gap_hours, gaps, idle, watch_window
from laget.intensive.models import DAY_END, DAY_START


@st.composite
def plans(draw) -> list[tuple[int, int, int]]:
    """Non-overlapping slots, as the services keep them: per day, sorted distinct cut points."""
    slots = []
    for day in range(7):
        cuts = sorted(draw(st.sets(st.integers(DAY_START, DAY_END), max_size=8)))
        for start, end in zip(cuts[::2], cuts[1::2], strict=False):
            slots.append((day, start, end))
    return slots


# The machine running the suite may be busy: generation speed is not what these tests check.
relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)

windows = st.builds(lambda weekdays, weekends: watch_window(weekdays_from=weekdays,
                                                            weekends_from=weekends),
                    st.integers(0, 24), st.integers(0, 24))
limits = st.integers(0, 16)


def _covered(slots, day: int) -> set[int]:
    return {h for d, s, e in slots if d == day for h in range(s, e)}


@relaxed
@given(plans(), windows, limits)
def test_gaps_and_slots_never_overlap(slots, window, limit):
    for day, spans in gaps(slots, window=window, max_gap_hours=limit).items():
        for span in spans:
            assert not set(range(span.start, span.end)) & _covered(slots, day)


@relaxed
@given(plans(), windows)
def test_idle_stretches_and_slots_together_cover_the_window_exactly(slots, window):
    for day, spans in idle(slots, window).items():
        first, last = window[day]
        free = {h for span in spans for h in range(span.start, span.end)}
        busy = _covered(slots, day) & set(range(first, last))
        assert free | busy == set(range(first, last))
        assert not free & busy
        # maximal: two idle stretches never touch
        for a, b in pairwise(spans):
            assert a.end < b.start


@relaxed
@given(plans(), windows, limits)
def test_every_gap_is_longer_than_the_limit_and_every_longer_idle_stretch_is_a_gap(
        slots, window, limit):
    found = gaps(slots, window=window, max_gap_hours=limit)
    for day, spans in idle(slots, window).items():
        assert found[day] == [span for span in spans if span.hours > limit]
        assert all(span.hours > limit for span in found[day])


@relaxed
@given(plans(), windows, limits, st.data())
def test_filling_a_gap_removes_it_and_leaves_the_others(slots, window, limit, data):
    found = gaps(slots, window=window, max_gap_hours=limit)
    every = [span for spans in found.values() for span in spans]
    if not every:
        return
    gap = data.draw(st.sampled_from(every))
    after = gaps([*slots, (gap.weekday, gap.start, gap.end)], window=window,
                 max_gap_hours=limit)
    assert gap not in after[gap.weekday]
    assert sorted(s for spans in after.values() for s in spans) == sorted(
        s for s in every if s != gap)


@relaxed
@given(plans(), windows, limits, st.data())
def test_a_slot_inside_a_gap_leaves_only_shorter_pieces(slots, window, limit, data):
    found = gaps(slots, window=window, max_gap_hours=limit)
    every = [span for spans in found.values() for span in spans]
    if not every:
        return
    gap = data.draw(st.sampled_from(every))
    start = data.draw(st.integers(gap.start, gap.end - 1))
    end = data.draw(st.integers(start + 1, gap.end))
    after = gaps([*slots, (gap.weekday, start, end)], window=window, max_gap_hours=limit)
    for span in after[gap.weekday]:
        if gap.start <= span.start < gap.end:
            assert span.hours < gap.hours


def test_a_known_week():
    window = watch_window(weekdays_from=12, weekends_from=7)
    slots = [(0, 8, 15, ), (0, 17, 19), (5, 7, 23)]
    found = gaps(slots, window=window, max_gap_hours=3)
    # Monday: 15–17 (2 h) is no gap, 19–23 (4 h) is; Saturday is full; Sunday is all gap
    assert found[0] == [Span(0, 19, 23)]
    assert found[5] == []
    assert found[6] == [Span(6, 7, 23)]
    assert found[1] == [Span(1, 12, 23)]
    assert (0, 19) in gap_hours(found) and (0, 18) not in gap_hours(found)


def test_a_gap_of_exactly_the_limit_is_not_highlighted():
    window = watch_window(weekdays_from=12, weekends_from=7)
    found = gaps([(2, 12, 17), (2, 20, 23)], window=window, max_gap_hours=3)
    assert found[2] == []
    assert gaps([(2, 12, 16), (2, 20, 23)], window=window, max_gap_hours=3)[2] == [
        Span(2, 16, 20)]
