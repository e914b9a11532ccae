"""The area analytics pages through Django's test client: every logged-in user reads them, small
counts show as «<5», synthetic figures say so, and the XLSX holds no unsuppressed small cell."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from laget.accounts.models import Role
from laget.analytics import services
from laget.analytics.tests import factories
from laget.audit.models import AuditEvent
from laget.core import clock

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)


@pytest.fixture
def client(make_member, login):
    return login(Client(), make_member(Role.CASEWORKER))


@pytest.fixture
def figures():
    factories.values("concerns_received", {("030111", JAN): 3, ("030110", JAN): 12,
                                           ("030111", FEB): 8, ("030110", FEB): 9,
                                           ("030115", FEB): 0})
    factories.values("weapon_triggers", {("03011101", JAN): 2, ("03011102", JAN): 30})
    services.seed_figures_load()
    dataset = services.dataset_get_or_create(source="Syntetisk demo",
                                             fetched_on=dt.date(2026, 1, 1), licence="–",
                                             synthetic=True)
    services.figures_import(indicator_key="low_income_children", dataset=dataset, figures=[
        services.Figure("030111", dt.date(2024, 1, 1), Decimal("21.5"))])


def test_logged_out_is_sent_to_log_in():
    response = Client().get(reverse("web:analytics_index"))
    assert response.status_code == 302


def test_index_lists_indicators_and_bydeler(client, figures):
    events = AuditEvent.objects.count()
    page = client.get(reverse("web:analytics_index"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Bekymringer mottatt" in html and "Stovner" in html
    assert AuditEvent.objects.count() == events  # aggregates only: nothing to audit


def test_count_page_suppresses_and_draws(client, figures):
    with clock.frozen(NOW):
        page = client.get(reverse("web:analytics_indicator", args=["concerns_received"]),
                          {"ar": "2026"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "&lt;5" in html and "skjult" in html
    assert ">3<" not in html
    assert html.count("<figure") >= 2  # map and time series
    assert "ikke på kartet" in html  # Sentrum, Marka, no address: rows, not map


def test_delbydel_page_and_unknown_indicator(client, figures):
    with clock.frozen(NOW):
        page = client.get(reverse("web:analytics_indicator", args=["weapon_triggers"]))
        missing = client.get(reverse("web:analytics_indicator", args=["nope"]))
        bad_year = client.get(reverse("web:analytics_indicator", args=["weapon_triggers"]),
                              {"ar": "abc"})
    assert page.status_code == 200 and "&lt;5" in page.content.decode()
    assert missing.status_code == 404
    assert bad_year.status_code == 200


def test_synthetic_is_labelled(client, figures):
    page = client.get(reverse("web:analytics_indicator", args=["low_income_children"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Syntetiske tall" in html and "21,5 (syntetisk)" in html


def test_seed_figures_with_their_source(client, figures):
    page = client.get(reverse("web:analytics_indicator", args=["near_school_uptake"]))
    html = page.content.decode()
    assert "Stenbråten skole" in html and "143" in html and "Arbeiderparti" in html
    assert "<figure" not in html  # school catchment areas are not on the map


def test_xlsx_holds_no_small_cell(client, figures):
    with clock.frozen(NOW):
        export = client.get(reverse("web:analytics_indicator_xlsx",
                                    args=["concerns_received"]), {"ar": "2026"})
    assert export.status_code == 200 and export["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and any(row)]
    numbers = [v for row in rows for v in row if isinstance(v, int | float)]
    assert numbers and not [n for n in numbers if 0 < n < 5]
    stovner = next(row for row in rows if row[0] == "Stovner")
    assert stovner[2] == "<5"


def test_xlsx_of_synthetic_figures_says_so(client, figures):
    export = client.get(reverse("web:analytics_indicator_xlsx", args=["low_income_children"]))
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["Syntetisk"]
    text = " ".join(str(v) for row in book.active.iter_rows(values_only=True) for v in row if v)
    assert "Syntetiske tall" in text


def test_district_fact_sheet(client, figures):
    with clock.frozen(NOW):
        page = client.get(reverse("web:analytics_district", args=["030111"]))
        missing = client.get(reverse("web:analytics_district", args=["999999"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Faktaark: Stovner" in html
    assert "&lt;5" in html and "61" in html and "syntetisk" in html
    # the time series' tables show what the tables show, never a bare None
    assert "None" not in html
    assert "Haugen" in html
    assert missing.status_code == 404


def test_district_fact_sheet_as_xlsx_holds_the_pages_cells(client, figures):
    with clock.frozen(NOW):
        export = client.get(reverse("web:analytics_district_xlsx", args=["030111"]))
        missing = client.get(reverse("web:analytics_district_xlsx", args=["999999"]))
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith('attachment; filename="bydel-030111-')
    book = load_workbook(io.BytesIO(export.content))
    assert len(book.sheetnames) >= 2
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert any(name.endswith("(syntetisk)") for name in book.sheetnames)
    rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
            if row and any(row)]
    numbers = [v for row in rows for v in row if isinstance(v, int | float)]
    assert not [n for n in numbers if 0 < n < 5]  # a small count is its mark, never a number
    assert any(row[0] == "Stovner" and "<5" in row for row in rows)
    assert not any(row[0] in ("Alna", "Oslo i alt") for row in rows)  # the bydel's rows only
    assert missing.status_code == 404


def test_rate_page_draws_a_map_of_the_latest_month(client):
    factories.values("club_hours_per_1000", {("030111", FEB): Decimal("12.5"),
                                             ("030110", FEB): Decimal("3")}, n=4000)
    page = client.get(reverse("web:analytics_indicator", args=["club_hours_per_1000"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "12,5" in html and html.count("<figure") == 1  # a rate is no count: not hidden
