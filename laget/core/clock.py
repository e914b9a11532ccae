"""The one clock of Laget: aware datetimes, Oslo dates, and a way for tests to stop time.

Everything that asks "what time is it" asks here, so that deadlines, ages and audit times can be
tested at chosen instants.
"""

import calendar
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.utils import timezone

OSLO = ZoneInfo("Europe/Oslo")

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current instant, timezone-aware (UTC)."""
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    """Today's date in Oslo."""
    return now().astimezone(OSLO).date()


def add_months[D: dt.date](day: D, months: int) -> D:
    """The same day (and time, for a datetime) `months` calendar months later, or earlier for a
    negative number; the month's last day where it has no such day (31 January + 1 → 28 or 29
    February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1,
                       day=min(day.day, calendar.monthrange(year, month + 1)[1]))


@contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    """Stop the clock at an aware instant for the duration of the block (tests)."""
    global _frozen
    if timezone.is_naive(at):
        raise ValueError("frozen() needs an aware datetime")
    previous, _frozen = _frozen, at
    try:
        yield
    finally:
        _frozen = previous
