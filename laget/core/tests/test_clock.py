import datetime as dt

import pytest

from laget.core import clock


def test_frozen_clock_and_oslo_date():
    instant = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)  # already 1 January in Oslo
    with clock.frozen(instant):
        assert clock.now() == instant
        assert clock.today() == dt.date(2027, 1, 1)
    assert clock.now() != instant


def test_frozen_refuses_naive_datetimes():
    with pytest.raises(ValueError), clock.frozen(dt.datetime(2026, 1, 1)):
        pass
