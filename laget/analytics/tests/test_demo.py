"""The demo's analytics: open figures, the policy paper's, synthetic levekår figures marked as
such, and a recompute; a second run changes nothing."""

import datetime as dt

import pytest

from laget.analytics.models import Dataset, IndicatorValue
from laget.analytics.tests import factories
from laget.core import clock
from laget.demo.analytics import build_analytics

pytestmark = pytest.mark.django_db


def test_build_analytics_is_idempotent_and_marks_synthetic_figures():
    with clock.frozen(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)):
        factories.concern(district="030111", at=dt.datetime(2026, 2, 3, 12, tzinfo=dt.UTC))
        build_analytics()
        first = sorted(IndicatorValue.objects.values_list("indicator_id", "area_code",
                                                          "period", "value"))
        build_analytics()
        second = sorted(IndicatorValue.objects.values_list("indicator_id", "area_code",
                                                           "period", "value"))
    assert first == second
    synthetic = IndicatorValue.objects.filter(dataset__synthetic=True)
    assert set(synthetic.values_list("indicator_id", flat=True)) == {"low_income_children"}
    assert synthetic.count() == 15 * 3
    assert not IndicatorValue.objects.filter(
        indicator_id__in=["kindergarten_participation_1_3", "youth_population_10_17"],
        dataset__synthetic=True).exists()
    assert IndicatorValue.objects.get(indicator_id="concerns_received",
                                      period=dt.date(2026, 2, 1)).value == 1
    assert Dataset.objects.count() == 3
