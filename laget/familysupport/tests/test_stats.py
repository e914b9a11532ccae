"""The outcome figures with suppression, and the interpreter report's figures and scope."""

import datetime as dt

import pytest

from laget.accounts.models import AgencyType, Role
from laget.core import clock
from laget.core.errors import DomainError
from laget.familysupport import stats
from laget.familysupport.models import InterpreterBooking, ParentSupportReferral
from laget.familysupport.tests.conftest import SONDRE, STOVNER, actor_of
from laget.people.tests.factories import GuardianFactory

pytestmark = pytest.mark.django_db


def test_suppress_hides_small_cells_and_one_more_when_only_one_is_small():
    hidden, withheld = stats.suppress({"a": 3, "b": 7, "c": 9}, 5)
    assert hidden == {"a"} and withheld == {"b"}
    hidden, withheld = stats.suppress({"a": 3, "b": 2, "c": 9}, 5)
    assert hidden == {"a", "b"} and withheld == set()
    assert stats.suppress({"a": 0, "b": 5}, 5) == (set(), set())


def finished(scene, outcome: str, n: int, benefit: int | None = 4) -> None:
    for _ in range(n):
        guardian = GuardianFactory(person=scene.case.person)
        ParentSupportReferral.objects.create(
            case=scene.case, guardian=guardian, offer=scene.offer, text="x",
            referred_by=scene.coordinator.user, referring_agency=scene.coordinator.agency,
            basis="consent", basis_ref="x", status="finished", outcome=outcome, benefit=benefit,
            outcome_at=clock.now(), outcome_by=scene.provider.user)


def test_outcome_statistics_suppress_small_rows_and_cells(scene):
    year = clock.today().year
    finished(scene, "completed", 3)
    figures = stats.parent_outcome_statistics(actor=scene.leader, year=year)
    [row] = figures.rows
    assert row.total is None and row.mean_benefit is None  # 3 < 5: the whole row hidden
    finished(scene, "completed", 4)  # 7 completed
    finished(scene, "dropped_out", 2, benefit=None)  # 2 dropped out: hidden
    finished(scene, "other", 6, benefit=None)
    [row] = stats.parent_outcome_statistics(actor=scene.leader, year=year).rows
    assert row.total == 15
    # the smallest published other is withheld: «other» (6) rather than «completed» (7)
    assert row.counts == {"completed": 7, "dropped_out": None, "other": None}
    assert row.mean_benefit == 4.0
    assert stats.parent_outcome_statistics(actor=scene.leader, year=year - 1).rows == []


def book(scene, actor, when: dt.datetime, minutes: int, cost: int, district: str = STOVNER):
    InterpreterBooking.objects.create(
        case=scene.case, kind="meeting", starts_at=when, duration_minutes=minutes,
        language_code="so", language_name="Somali", interpreter_name="Tolk", qualification="A",
        mode="oppmote", cost_nok=cost, budget_year=when.year, district_id=district,
        agency=actor.agency, booked_by=actor.user)


def test_interpreter_report_figures_and_scope(scene, make_member):
    year = clock.today().year
    january = dt.datetime(year, 1, 15, 10, tzinfo=clock.OSLO)
    february = dt.datetime(year, 2, 1, 0, 30, tzinfo=clock.OSLO)  # 31 January in UTC
    book(scene, scene.school, january, 90, 1_500)
    book(scene, scene.school, january, 30, 500)
    book(scene, scene.coordinator, february, 60, 1_000)
    book(scene, scene.sondre_leader, january, 120, 2_000, district=SONDRE)
    analyst = actor_of(make_member(Role.ANALYST, agency_type=AgencyType.BY, district=None))
    city = stats.interpreter_report(actor=analyst, budget_year=year)
    assert (city.bookings, city.hours, city.cost_nok) == (4, 5.0, 5_000)
    stovner = stats.interpreter_report(actor=scene.leader, budget_year=year)
    assert stovner.district_code == STOVNER
    rows = {(r.agency_name, r.month): (r.bookings, r.hours, r.cost_nok) for r in stovner.rows}
    assert rows == {(scene.school.agency.name, 1): (2, 2.0, 2_000),
                    (scene.coordinator.agency.name, 2): (1, 1.0, 1_000)}
    city_leader = actor_of(make_member(Role.LEADER, agency_type=AgencyType.BY, district=None))
    assert stats.interpreter_report(actor=city_leader, budget_year=year).bookings == 4
    for refused in (scene.coordinator, scene.school):
        with pytest.raises(DomainError):
            stats.interpreter_report(actor=refused, budget_year=year)
