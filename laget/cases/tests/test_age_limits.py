"""Age on a day around birthdays, and case_open accepting exactly the SaLTo age range.

Born on 29 February: in a year without that day, the year is complete on 1 March (on 28 February
the person is still the younger age). Norwegian law has no general statute on this that we have
found, and DOMAIN.md is silent; this is the reading Laget already uses in `Person.age_on` and
`sharing.engine.age_on` (a year of life is complete when the calendar reaches the day after the
last day of that year), and the one the age gates here and in the sharing rules share — a
person is never treated as older before the day is actually reached."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from laget.cases.services import case_open
from laget.cases.tests.conftest import actor_of
from laget.core import clock
from laget.core.errors import DomainError
from laget.people.models import Person
from laget.people.tests.factories import PersonFactory
from laget.sharing.engine import age_on as engine_age_on

LEAP_DAY_BIRTHS = st.sampled_from([2000, 2004, 2008, 2012, 2016]).map(
    lambda y: dt.date(y, 2, 29))
BIRTHS = st.one_of(st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2020, 12, 31)),
                   LEAP_DAY_BIRTHS)


def anniversary(born: dt.date, year: int) -> dt.date:
    """The day a year is complete: the same date, or 1 March for 29 February in other years."""
    try:
        return born.replace(year=year)
    except ValueError:
        return dt.date(year, 3, 1)


def reference_age(born: dt.date, day: dt.date) -> int:
    """Counts anniversaries reached (an independent statement of the rule)."""
    return sum(1 for year in range(born.year + 1, day.year + 1) if anniversary(born, year) <= day)


def age(born: dt.date, day: dt.date) -> int:
    return Person(birth_date=born).age_on(day)


@given(born=BIRTHS, offset=st.integers(min_value=0, max_value=40 * 366))
@example(born=dt.date(2008, 2, 29), offset=(dt.date(2026, 2, 28) - dt.date(2008, 2, 29)).days)
def test_age_counts_the_anniversaries_reached(born, offset):
    day = born + dt.timedelta(days=offset)
    assert age(born, day) == reference_age(born, day) == engine_age_on(born, day)


@given(born=BIRTHS, years=st.integers(min_value=1, max_value=30))
def test_age_steps_up_by_one_exactly_on_the_anniversary(born, years):
    birthday = anniversary(born, born.year + years)
    assert age(born, birthday - dt.timedelta(days=1)) == years - 1
    assert age(born, birthday) == years
    assert age(born, birthday + dt.timedelta(days=1)) == years


@given(born=LEAP_DAY_BIRTHS, years=st.integers(min_value=1, max_value=30))
def test_born_on_29_february(born, years):
    year = born.year + years
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if leap:
        assert age(born, dt.date(year, 2, 28)) == years - 1
        assert age(born, dt.date(year, 2, 29)) == years
    else:
        assert age(born, dt.date(year, 2, 28)) == years - 1
        assert age(born, dt.date(year, 3, 1)) == years


def test_born_on_29_february_examples():
    born = dt.date(2008, 2, 29)
    assert age(born, dt.date(2026, 2, 28)) == 17
    assert age(born, dt.date(2026, 3, 1)) == 18
    assert age(born, dt.date(2028, 2, 28)) == 19
    assert age(born, dt.date(2028, 2, 29)) == 20


@pytest.mark.django_db
@settings(deadline=None, max_examples=60,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # make_member: a factory
@given(born=BIRTHS, shift=st.integers(min_value=-2, max_value=2),
       years=st.integers(min_value=8, max_value=25))
@example(born=dt.date(2004, 2, 29), shift=0, years=23)   # 23 on 1 March 2027: refused
@example(born=dt.date(2004, 2, 29), shift=-1, years=23)  # 28 February 2027: still 22
@example(born=dt.date(2016, 2, 29), shift=0, years=10)   # 10 on 1 March 2026
@example(born=dt.date(2016, 2, 29), shift=-1, years=10)  # 9 on 28 February 2026
def test_case_open_accepts_exactly_the_age_range(make_member, born, shift, years):
    """Days around the birthday on which a person turns `years`: opened iff the age that day is
    within LAGET_SALTO_MIN_AGE..LAGET_SALTO_MAX_AGE."""
    day = anniversary(born, born.year + years) + dt.timedelta(days=shift)
    expected = age(born, day)
    low, high = django_settings.LAGET_SALTO_MIN_AGE, django_settings.LAGET_SALTO_MAX_AGE
    at = dt.datetime.combine(day, dt.time(12), tzinfo=clock.OSLO)
    with transaction.atomic():
        with clock.frozen(at):
            coordinator = actor_of(make_member("coordinator"))
            person = PersonFactory(birth_date=born)
            if low <= expected <= high:
                case = case_open(actor=coordinator, person=person)
                assert case.status == "assessment"
            else:
                with pytest.raises(DomainError) as error:
                    case_open(actor=coordinator, person=person)
                assert error.value.code == "age"
                assert str(expected) in error.value.message
        transaction.set_rollback(True)
