"""The city statistics: median and nearest-rank 90th percentile of days per stage, per month and
per bydel, with cells under LAGET_FASTTRACK_MIN_CELL suppressed (and a second cell where one
alone could be had by subtraction)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laget.accounts.actor import Actor
from laget.core import clock
from laget.core.errors import DomainError
from laget.fasttrack import stats
from laget.fasttrack.models import Milestone, YouthCase
from laget.fasttrack.tests.conftest import STOVNER
from laget.people.tests.factories import PersonFactory

GRORUD = "030110"


def _case(scene, n, *, district, charged, decided):
    person = PersonFactory(birth_date=dt.date(2010, 1, 15), district_id=district)
    case = YouthCase.objects.create(
        person=person, district_id=district, police_case_number=f"{90000000 + n}",
        offence_categories=["vold"], offence_on=charged - dt.timedelta(days=1),
        age_at_offence=16, unit=scene.prosecutor.agency, opened_by=scene.prosecutor.user)
    for kind, day, outcome in (("offence", charged - dt.timedelta(days=1), ""),
                               ("charged", charged, ""), ("charge_decision", decided, "forelegg")):
        Milestone.objects.create(case=case, kind=kind, occurred_on=day, outcome=outcome,
                                 recorded_by=scene.prosecutor.user, recorded_at=scene_now())
    return case


def scene_now():
    return clock.now()


def test_p90_is_the_nearest_rank():
    assert stats.p90([1]) == 1
    assert stats.p90(list(range(1, 11))) == 9
    assert stats.p90(list(range(1, 12))) == 10
    assert stats.p90([5, 1, 3]) == 5


@given(st.dictionaries(st.sampled_from("abcdefgh"), st.integers(min_value=1, max_value=12),
                       min_size=1))
def test_suppression_never_leaves_one_small_count_alone(counts):
    hidden, withheld = stats.suppress(counts, 5)
    assert hidden == {key for key, n in counts.items() if n < 5}
    assert not hidden & withheld
    assert len(hidden | withheld) != 1 or len(counts) == 1


@pytest.mark.django_db
def test_cells_under_five_are_suppressed(scene, settings):
    settings.LAGET_FASTTRACK_MIN_CELL = 5
    n = 0
    # January: six cases in Stovner (2, 4, …, 12 days), two in Grorud; February: one in Stovner
    for days in (2, 4, 6, 8, 10, 12):
        n += 1
        _case(scene, n, district=STOVNER, charged=dt.date(2026, 1, 1),
              decided=dt.date(2026, 1, 1) + dt.timedelta(days=days))
    for days in (25, 30):
        n += 1
        _case(scene, n, district=GRORUD, charged=dt.date(2026, 1, 1),
              decided=dt.date(2026, 1, 1) + dt.timedelta(days=days))
    n += 1
    _case(scene, n, district=STOVNER, charged=dt.date(2026, 2, 1),
          decided=dt.date(2026, 2, 3))
    result = stats.city_statistics(actor=scene.prosecutor, since=dt.date(2026, 1, 1),
                                   until=dt.date(2026, 2, 28))
    cells = {(c.stage, c.month, c.district_code): c for c in result.cells}
    january = cells[("charge_decision", "2026-01", None)]
    # February has one case, and is the only small month: suppressed; January's count is withheld
    # (its days stay), since with the total (9) it would give February's count away
    february = cells[("charge_decision", "2026-02", None)]
    assert february.suppressed and february.cases is None and february.median_days is None
    assert (january.cases, january.median_days, january.p90_days) == (None, 9.0, 30)
    stovner = cells[("charge_decision", None, STOVNER)]
    assert (stovner.cases, stovner.median_days, stovner.p90_days) == (None, 6.0, 12)
    assert stovner.district_name
    grorud = cells[("charge_decision", None, GRORUD)]
    assert grorud.suppressed and grorud.median_days is None and grorud.p90_days is None
    total = cells[("charge_decision", None, None)]
    assert total.cases == 9
    # no stage with no finished case in the period
    assert not any(c.stage == "judgment" for c in result.cells)


@pytest.mark.django_db
def test_statistics_need_a_role_and_a_period(scene):
    with pytest.raises(DomainError):
        stats.city_statistics(actor=Actor(scene.prosecutor.user), since=dt.date(2026, 1, 1),
                              until=dt.date(2026, 2, 1))
    with pytest.raises(DomainError):
        stats.city_statistics(actor=scene.prosecutor, since=dt.date(2026, 2, 1),
                              until=dt.date(2026, 1, 1))
