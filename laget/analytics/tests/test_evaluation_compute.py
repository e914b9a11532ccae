"""Issue 11's computed indicators (laget.analytics.compute): the ambulant team's response time by
the rules of `schools.selectors.response_stats`, the fast track's days per stage and reentry
outcomes at 3/6/12 months — each by one GROUP BY, with small groups left out."""

import datetime as dt
from decimal import Decimal

import pytest

from laget.accounts.tests.factories import AgencyFactory, UserFactory
from laget.analytics import compute, publish
from laget.analytics.models import IndicatorValue
from laget.analytics.tests import factories
from laget.core import clock
from laget.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
MARCH = dt.date(2026, 3, 1)


def _values(key: str) -> dict[tuple[str, dt.date], tuple[Decimal, int | None]]:
    return {(v.area_code, v.period): (v.value, v.n)
            for v in IndicatorValue.objects.filter(indicator_id=key)}


def test_ambulant_response_time_follows_the_schools_statistics():
    from laget.schools.models import AmbulantRequest, RequestStatus
    from laget.schools.selectors import response_stats
    from laget.schools.tests.factories import SchoolFactory

    stovner = SchoolFactory(district_id="030111")
    alna = SchoolFactory(district_id="030112", agency__district_id="030112")
    user = UserFactory()
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    for school, count in ((stovner, 12), (alna, 4)):
        for i in range(count):
            requested = start + dt.timedelta(days=i)
            AmbulantRequest.objects.create(
                school=school, district_id=school.district_id, requested_by=user,
                requested_at=requested, kind="langsiktig", situation="x",
                status=RequestStatus.CLOSED,
                arrived_at=requested + dt.timedelta(minutes=30 * (i + 1), seconds=20))
    with clock.frozen(NOW):
        compute.recompute(months=[MARCH])
    values = _values("ambulant_response_hours")
    stats = {c.district: c for c in next(m for m in response_stats()
                                          if m.month == "2026-03").cells}
    # Stovner: 12 requests, the median of 30…360 minutes is 195 minutes
    assert stats["030111"].median == 195
    assert values[("030111", MARCH)] == (Decimal("3.25"), 12)  # 195 / 60 hours
    # Alna: fewer than ten requests: no median, as in the schools' statistics
    assert stats["030112"].median is None
    assert ("030112", MARCH) not in values


def test_fasttrack_days_per_stage_by_year():
    case = factories.decided_case(district="030111", offence_on=dt.date(2026, 1, 5),
                                  decided_on=dt.date(2026, 2, 20))
    from laget.fasttrack.models import Milestone

    Milestone.objects.create(case=case, kind="charged", occurred_on=dt.date(2026, 1, 10),
                             recorded_by=case.opened_by, recorded_at=NOW)
    with clock.frozen(NOW):
        compute.recompute(months=[dt.date(2026, 2, 1)])
    values = _values("fasttrack_stage_days_charge_decision")
    assert values[("030111", dt.date(2026, 1, 1))] == (Decimal(41), 1)
    # one case is fewer than ten: published as «<10», never as the number
    with clock.frozen(NOW):
        indicator = publish.indicator_get(key="fasttrack_stage_days_charge_decision")
        table = publish.table(indicator=indicator)
    cell = table.cells[("030111", dt.date(2026, 1, 1))]
    assert cell.suppressed and cell.value is None


def _release(district: str, released: dt.date, occupation: str, housing: bool):
    from laget.reentry.models import Outcome, ReentryPlan, Release

    user = UserFactory()
    release = Release.objects.create(
        person=PersonFactory(district_id=district), unit=AgencyFactory(), registered_by=user,
        expected_date=released, actual_date=released, kind="full_term", district_id=district,
        status="released")
    plan = ReentryPlan.objects.create(release=release, nav_office=AgencyFactory(), owner=user,
                                      handed_over_by=user, handed_over_at=NOW)
    Outcome.objects.create(plan=plan, milestone=3, occupation=occupation,
                           housing_stable=housing, new_conviction=False, recorded_by=user,
                           recorded_on=released + dt.timedelta(days=92))


def test_reentry_outcomes_as_shares_without_small_numerators():
    for i in range(12):
        _release("030111", dt.date(2026, 2, 1), "work" if i < 6 else "none", i < 10)
    with clock.frozen(NOW):
        compute.recompute(months=[dt.date(2026, 2, 1)])
    occupation = _values("reentry_occupation_3m")
    assert occupation[("030111", dt.date(2026, 1, 1))] == (Decimal("50.0"), 12)
    # 10 of 12 in stable housing leaves 2 without: not stored, so never published
    assert ("030111", dt.date(2026, 1, 1)) not in _values("reentry_housing_3m")
    assert _values("reentry_occupation_12m") == {}
