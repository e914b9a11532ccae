"""Gap detection in a week plan, as pure functions over (weekday, start hour, end hour) triples:
no database, no settings read here (the callers pass them), so that hypothesis can check the
properties directly.

A day is watched for gaps inside a window (`watch_window`): weekdays from
`LAGET_INTENSIVE_WATCH_WEEKDAYS_FROM` (12: school covers the morning) and weekends from
`LAGET_INTENSIVE_WATCH_WEEKENDS_FROM` (7), both to 23. An idle stretch is a maximal run of whole
hours in the window that no slot covers; a gap is an idle stretch longer than the limit
(`LAGET_INTENSIVE_MAX_GAP_HOURS`, 3). Slots may reach outside the window; only the part inside
counts."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from laget.intensive.models import DAY_END, DAY_START

WEEKDAYS = range(7)


@dataclass(frozen=True, order=True)
class Span:
    """Whole hours [start, end) on one weekday (0 Monday … 6 Sunday)."""

    weekday: int
    start: int
    end: int

    @property
    def hours(self) -> int:
        return self.end - self.start

    def covers(self, hour: int) -> bool:
        return self.start <= hour < self.end


Window = Mapping[int, tuple[int, int]]


def watch_window(*, weekdays_from: int, weekends_from: int) -> dict[int, tuple[int, int]]:
    """The hours watched per weekday: Monday–Friday from `weekdays_from`, Saturday and Sunday
    from `weekends_from`, each to 23, and never outside 07–23."""
    def clamp(hour: int) -> int:
        return min(max(hour, DAY_START), DAY_END)
    return {day: (clamp(weekends_from if day >= 5 else weekdays_from), DAY_END)
            for day in WEEKDAYS}


def idle(slots: Iterable[tuple[int, int, int]], window: Window) -> dict[int, list[Span]]:
    """Per weekday, the maximal stretches of the window that no slot covers, in order."""
    busy: dict[int, set[int]] = {day: set() for day in WEEKDAYS}
    for weekday, start, end in slots:
        busy[weekday].update(range(start, end))
    result: dict[int, list[Span]] = {}
    for day in WEEKDAYS:
        first, last = window.get(day, (DAY_END, DAY_END))
        spans: list[Span] = []
        run_start: int | None = None
        for hour in range(first, last + 1):
            free = hour < last and hour not in busy[day]
            if free and run_start is None:
                run_start = hour
            elif not free and run_start is not None:
                spans.append(Span(day, run_start, hour))
                run_start = None
        result[day] = spans
    return result


def gaps(slots: Iterable[tuple[int, int, int]], *, window: Window,
         max_gap_hours: int) -> dict[int, list[Span]]:
    """Per weekday, the idle stretches longer than `max_gap_hours`: the holes the team fills."""
    return {day: [span for span in spans if span.hours > max_gap_hours]
            for day, spans in idle(slots, window).items()}


def gap_hours(found: Mapping[int, list[Span]]) -> set[tuple[int, int]]:
    """The (weekday, hour) cells inside a gap: for the week grid and the heat-map."""
    return {(span.weekday, hour) for spans in found.values() for span in spans
            for hour in range(span.start, span.end)}
