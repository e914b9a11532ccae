"""Evaluation cohorts (laget.analytics.evaluation): the Wilson interval against published values,
the cohort windows with a frozen clock, and suppression of the cohort and bydel tables."""

import datetime as dt

import pytest

from laget.analytics import evaluation
from laget.analytics.evaluation import HORIZONS, MEASURES, QUARTER, wilson
from laget.core import clock

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(("k", "n", "low", "high"), [
    # Wilson 95 % intervals as given by Newcombe (1998), Table I, and statsmodels'
    # proportion_confint(method="wilson")
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (29, 29, 0.8830, 1.0),
    (5, 10, 0.2366, 0.7634),
])
def test_wilson_interval_matches_known_values(k, n, low, high):
    got = wilson(k, n)
    assert got == pytest.approx((low, high), abs=5e-4)


def test_wilson_refuses_impossible_counts():
    for k, n in ((1, 0), (-1, 5), (6, 5)):
        with pytest.raises(ValueError):
            wilson(k, n)


@pytest.mark.parametrize("measure", MEASURES, ids=lambda m: m.key)
def test_every_measure_counts_in_sql_on_an_empty_database(measure):
    table = evaluation.evaluation_table(measure, today=TODAY)
    assert table.cohort_total.n == 0
    assert len(table.cohorts) == evaluation.PERIODS_SHOWN[QUARTER]


# --- cohorts from rows of the fast track (the measure easiest to make rows for) ----------------

_numbers = iter(range(70000000, 79999999))


def _youth_case(district: str, opened: dt.date):
    from laget.accounts.tests.factories import AgencyFactory, UserFactory
    from laget.fasttrack.models import YouthCase
    from laget.people.tests.factories import PersonFactory

    return YouthCase.objects.create(
        person=PersonFactory(district_id=district), district_id=district,
        police_case_number=str(next(_numbers)), offence_categories=["vold"],
        offence_on=opened - dt.timedelta(days=3), age_at_offence=16, unit=AgencyFactory(),
        opened_by=UserFactory(),
        created_at=dt.datetime.combine(opened, dt.time(12), tzinfo=dt.UTC))


def _registered(case, day: dt.date) -> None:
    from laget.accounts.tests.factories import AgencyFactory, UserFactory
    from laget.policing.models import PoliceRegistration

    PoliceRegistration.objects.create(
        kind="apprehension", person=case.person, given_name="Kari", family_name="Test",
        birth_date=dt.date(2010, 1, 1), occurred_at=dt.datetime.combine(day, dt.time(12),
                                                                        tzinfo=dt.UTC),
        subdistrict_id="03011101", unit=AgencyFactory(), officer=UserFactory(),
        offence_category="vold")


FASTTRACK = evaluation.BY_KEY["hurtigspor"]
STOVNER, GRORUD, ALNA = "030111", "030110", "030112"


@pytest.fixture
def cohorts():
    """2025 Q1 in Stovner: 20 cases opened 15 Feb 2025; 5 registered again within 3 months,
    5 more between 3 and 6 months, one the same day as the opening (does not count) and one
    before it (does not count). 2025 Q2 in Grorud: 3 cases. 2025 Q3 in Alna: 6 cases; 2026 Q2
    in Alna: 12 cases."""
    opened = dt.date(2025, 2, 15)
    cases = [_youth_case(STOVNER, opened) for _i in range(20)]
    for case in cases[:5]:
        _registered(case, opened + dt.timedelta(days=91))  # the last day of the 3-month window
    for case in cases[5:10]:
        _registered(case, opened + dt.timedelta(days=120))
    _registered(cases[10], opened)
    _registered(cases[11], opened - dt.timedelta(days=30))
    for _i in range(3):
        _youth_case(GRORUD, dt.date(2025, 5, 2))
    for _i in range(6):
        _youth_case(ALNA, dt.date(2025, 8, 10))
    for _i in range(12):
        _youth_case(ALNA, dt.date(2026, 5, 2))


def _by_label(rows):
    return {row.label: row for row in rows}


def test_cohort_windows_with_a_frozen_clock(cohorts):
    with clock.frozen(NOW):
        table = evaluation.evaluation_table(FASTTRACK)
    rows = _by_label(table.cohorts)
    q1 = rows["2025 K1"]
    assert q1.n == 20
    assert (q1.rates[3].hits, q1.rates[6].hits, q1.rates[12].hits) == (15, 10, 10)
    assert q1.rates[3].rate == pytest.approx(0.75)
    assert (q1.rates[3].low, q1.rates[3].high) == pytest.approx(wilson(15, 20))
    # 2026 Q2 ended 30 June 2026: followed 91 days by 29 September, not 183 days yet
    q2 = rows["2026 K2"]
    assert q2.n == 12 and q2.rates[3].hits == 12
    assert q2.pending == {6, 12}
    # this quarter is followed for nothing yet
    assert rows["2026 K4"].pending == set(HORIZONS)


def test_the_windows_move_with_the_clock(cohorts):
    # a day earlier 2026 Q2 has not been followed 91 days after its last day
    with clock.frozen(dt.datetime(2026, 9, 28, 10, 0, tzinfo=dt.UTC)):
        table = evaluation.evaluation_table(FASTTRACK)
    assert 3 in _by_label(table.cohorts)["2026 K2"].pending
    with clock.frozen(dt.datetime(2026, 9, 29, 10, 0, tzinfo=dt.UTC)):
        table = evaluation.evaluation_table(FASTTRACK)
    assert 3 not in _by_label(table.cohorts)["2026 K2"].pending


def _numbers_shown(table) -> list[int]:
    """Every count the tables show: starters, hits, and misses (starters − hits)."""
    shown = []
    for row in [*table.cohorts, table.cohort_total, *table.districts, table.district_total]:
        if row.n is not None:
            shown.append(row.n)
        for rate in row.rates.values():
            if rate.shown:
                shown += [rate.hits, rate.n - rate.hits]
    return shown


def test_no_count_from_one_to_four_is_shown(cohorts):
    with clock.frozen(NOW):
        table = evaluation.evaluation_table(FASTTRACK)
    assert not [n for n in _numbers_shown(table) if 0 < n < table.min_cell]
    rows = _by_label(table.cohorts)
    # Grorud's 3 cases: their cohort's count is hidden, and so is a second cohort's (the
    # smallest other of the four pooled for the bydeler, whose total is published)
    assert rows["2025 K2"].n is None and rows["2025 K2"].n_display == "<5"
    assert rows["2025 K3"].n is None and rows["2025 K3"].n_display == "skjult"
    assert rows["2025 K1"].n == 20
    assert table.cohort_total.n == 41


def test_bydel_comparison_is_suppressed_with_a_complementary_cell(cohorts):
    with clock.frozen(NOW):
        table = evaluation.evaluation_table(FASTTRACK)
    # the comparison pools the newest four quarters followed 12 months: 2024 Q4 – 2025 Q3
    assert table.window == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))
    rows = {row.key: row for row in table.districts}
    assert rows[GRORUD].n is None and rows[GRORUD].n_display == "<5"
    # one hidden bydel beside a published total: Alna (the smallest other) is withheld
    assert rows[ALNA].n is None and rows[ALNA].n_display == "skjult"
    assert not rows[ALNA].rates[3].shown
    assert rows[STOVNER].n == 20 and rows[STOVNER].rates[12].hits == 10
    assert table.district_total.n == 29
    assert rows["030101"].n == 0


def test_small_outcome_counts_hide_the_rate(cohorts):
    # one more registration in 2026 Q2 leaves 11 of 12 without: 1 «miss» would show
    from laget.fasttrack.models import YouthCase

    _registered(YouthCase.objects.filter(district_id=ALNA).first(), dt.date(2026, 6, 1))
    with clock.frozen(NOW):
        table = evaluation.evaluation_table(FASTTRACK)
    rate = _by_label(table.cohorts)["2026 K2"].rates[3]
    assert not rate.shown and rate.display == "<5"
    assert not [n for n in _numbers_shown(table) if 0 < n < table.min_cell]


def test_monthly_cohorts(cohorts):
    with clock.frozen(NOW):
        table = evaluation.evaluation_table(FASTTRACK, kind=evaluation.MONTH)
    rows = _by_label(table.cohorts)
    assert rows["2025-02"].n == 20 and rows["2025-02"].rates[6].hits == 10
    assert len(table.cohorts) == evaluation.PERIODS_SHOWN[evaluation.MONTH]


def test_reentry_outcome_is_work_or_education_at_the_milestone():
    from laget.analytics.tests.test_evaluation_compute import _release

    for i in range(12):
        _release(GRORUD, dt.date(2025, 2, 3), "education" if i < 6 else "none", True)
    table = evaluation.evaluation_table(evaluation.BY_KEY["tilbakeforing"], today=TODAY)
    q1 = _by_label(table.cohorts)["2025 K1"]
    assert q1.n == 12
    assert q1.rates[3].hits == 6 and q1.rates[3].shown
    # no 6- or 12-month outcome recorded: counted as no such outcome (a lower bound), 0 shown
    assert q1.rates[6].hits == 0 and q1.rates[6].display == "0 %"


def test_referral_outcome_is_attendance_within_the_window():
    from laget.accounts.tests.factories import AgencyFactory, UserFactory
    from laget.pathways.models import Attendance, Offer, Referral
    from laget.records.tests.factories import CaseFactory

    agency = AgencyFactory(district_id=STOVNER)
    offer = Offer.objects.create(provider=agency, kind="fritidsklubb", name="Klubben",
                                 age_min=10, age_max=24)
    user = UserFactory()
    sent = dt.date(2025, 2, 10)
    for i in range(10):
        case = CaseFactory(district_id=STOVNER)
        referral = Referral.objects.create(
            offer=offer, case=case, person=case.person, referred_by=user,
            referring_agency=agency, text="Henvisning.",
            created_at=dt.datetime.combine(sent, dt.time(12), tzinfo=dt.UTC))
        if i < 5:  # attended within 3 months
            Attendance.objects.create(referral=referral, on=sent + dt.timedelta(days=20),
                                      attended=True, recorded_by=user)
        elif i < 7:  # came, but only after 4 months
            Attendance.objects.create(referral=referral, on=sent + dt.timedelta(days=120),
                                      attended=True, recorded_by=user)
        else:  # registered absent
            Attendance.objects.create(referral=referral, on=sent + dt.timedelta(days=20),
                                      attended=False, recorded_by=user)
    table = evaluation.evaluation_table(evaluation.BY_KEY["henvisninger"], today=TODAY)
    q1 = _by_label(table.cohorts)["2025 K1"]
    assert q1.n == 10
    assert q1.rates[3].hits == 5
    # 7 of 10 by 6 months leaves 3 without: hidden, with the small count never shown
    assert not q1.rates[6].shown and q1.rates[6].display == "<5"


def test_interval_chart_draws_shown_rates_and_tables_every_row():
    import json

    from laget.web import charts

    spec = charts.interval_chart([
        {"label": "2025 K1", "series": "3", "rate": 75.0, "low": 53.1, "high": 88.8,
         "shown": "75 %"},
        {"label": "2025 K2", "series": "3", "rate": None, "low": None, "high": None,
         "shown": "<5"},
    ], x_title="Kull", y_title="Andel", series_title="Oppfølging")
    text = json.dumps(spec)
    assert "http" not in text and "url" not in spec["data"]
    table = charts.table_of(spec)
    assert [row[2]["value"] for row in table["rows"]] == [75, "<5"]
    assert spec["transform"] == [{"filter": "datum.rate != null"}]
    with pytest.raises(ValueError):
        charts.interval_chart([{"label": "x", "series": "3", "rate": 90, "low": 10,
                                "high": 50}], x_title="x", y_title="y", series_title="s")
