"""The readers for SSB's JSON-stat 2.0 and Oslo's statistikkbank CSV, and `manage.py analytics
import` / `load-open-data`: strict, one line naming the place of the first problem, exit 2,
nothing written then."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from laget.analytics import importer
from laget.analytics.models import Dataset, IndicatorValue
from laget.analytics.services import ImportError_

pytestmark = pytest.mark.django_db

# The shape of a PxWeb answer (structure as SSB's API gives it; the numbers are made up).
JSONSTAT = {
    "version": "2.0", "class": "dataset", "label": "Barnehagedeltakelse",
    "id": ["Region", "Alder", "ContentsCode", "Tid"], "size": [2, 2, 1, 2],
    "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
    "dimension": {
        "Region": {"category": {"index": {"030111": 0, "030115": 1},
                                "label": {"030111": "Stovner", "030115": "Søndre Nordstrand"}}},
        "Alder": {"category": {"index": {"1-2": 0, "3-5": 1}}},
        "ContentsCode": {"category": {"index": {"Andel": 0}}},
        "Tid": {"category": {"index": {"2023": 0, "2024": 1}}},
    },
    "value": [60.5, 61, 90, 91, 69, None, 92, 93],
}


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content),
                    encoding="utf-8")
    return path


def test_jsonstat_with_a_pinned_dimension(tmp_path):
    figures = importer.read_jsonstat(_write(tmp_path, "a.json", JSONSTAT),
                                     select={"Alder": "1-2"})
    assert [(f.area, f.period, f.value) for f in figures] == [
        ("030111", dt.date(2023, 1, 1), Decimal("60.5")),
        ("030111", dt.date(2024, 1, 1), Decimal("61")),
        ("030115", dt.date(2023, 1, 1), Decimal("69"))]


@pytest.mark.parametrize(("change", "message"), [
    ({"version": "1.0"}, "not a JSON-stat 2.0"),
    ({"size": [2, 2, 1, 3]}, "dimension Tid: 2 categories, size 3"),
    ({"value": [1, 2]}, "value has not 8 entries"),
])
def test_bad_jsonstat_is_named(tmp_path, change, message):
    with pytest.raises(ImportError_, match=message):
        importer.read_jsonstat(_write(tmp_path, "a.json", JSONSTAT | change),
                               select={"Alder": "1-2"})


def test_jsonstat_needs_every_other_dimension_pinned(tmp_path):
    with pytest.raises(ImportError_, match="Alder has 2 categories"):
        importer.read_jsonstat(_write(tmp_path, "a.json", JSONSTAT))


def test_statistikkbank_csv(tmp_path):
    path = _write(tmp_path, "b.csv", "\ufeffbydel;2023;2024M03\n"
                  "030111 Stovner;60,5;..\nBydel Vestre Aker;90;91\nGrorud;:;12,25\n")
    figures = importer.read_csv(path)
    assert [(f.area, f.period, f.value) for f in figures] == [
        ("030111", dt.date(2023, 1, 1), Decimal("60.5")),
        ("030107", dt.date(2023, 1, 1), Decimal("90")),
        ("030107", dt.date(2024, 3, 1), Decimal("91")),
        ("030110", dt.date(2024, 3, 1), Decimal("12.25"))]


@pytest.mark.parametrize(("content", "message"), [
    ("bydel;2023\nAtlantis;1\n", r"b.csv:2: unknown area 'Atlantis'"),
    ("bydel;20x3\n030111;1\n", r"b.csv:1: period '20x3'"),
    ("bydel;2023\n030111;1;2\n", r"b.csv:2: 3 columns, expected 2"),
    ("bydel;2023\n030111;mange\n", r"b.csv:2: 'mange' is not a number"),
    ("bydel;2023\n030111;1\n030111;2\n", r"b.csv:3: area 030111 twice"),
])
def test_bad_csv_is_named(tmp_path, content, message):
    with pytest.raises(ImportError_, match=message):
        importer.read_csv(_write(tmp_path, "b.csv", content))


def test_import_command_writes_with_provenance_and_is_idempotent(tmp_path):
    path = _write(tmp_path, "b.csv", "bydel;2024\n030111;21,5\n030110;18\n")
    args = ["analytics", "import", str(path), "--indicator", "low_income_children",
            "--format", "csv", "--source", "SSB", "--table-id", "12345",
            "--fetched-on", "2026-11-01", "--licence", "CC BY 4.0"]
    call_command(*args)
    call_command(*args)
    values = IndicatorValue.objects.filter(indicator_id="low_income_children")
    assert values.count() == 2
    dataset = Dataset.objects.get()
    assert (dataset.source, dataset.table_id, dataset.licence, dataset.synthetic) == (
        "SSB", "12345", "CC BY 4.0", False)


def test_import_command_exits_2_and_writes_nothing(tmp_path, capsys):
    path = _write(tmp_path, "b.csv", "delbydel;2024\n03011101;5\n")
    with pytest.raises(SystemExit) as stop:
        call_command("analytics", "import", str(path), "--indicator", "low_income_children",
                     "--format", "csv", "--source", "SSB", "--fetched-on", "2026-11-01",
                     "--licence", "CC BY 4.0")
    assert stop.value.code == 2
    assert "unknown bydel '03011101'" in capsys.readouterr().err
    assert not Dataset.objects.exists() and not IndicatorValue.objects.exists()


def test_load_open_data(capsys):
    call_command("analytics", "load-open-data")
    assert IndicatorValue.objects.filter(indicator_id="youth_population_10_17",
                                         area_code="030111").count() >= 20
    assert IndicatorValue.objects.filter(indicator_id="kindergarten_participation_1_3").count() \
        == 3
    assert "policy paper: 5" in capsys.readouterr().out
