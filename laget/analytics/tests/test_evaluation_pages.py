"""The evaluation pages, their export and the bydel profile PDF through the test client: who may
open what, the export re-authenticated, audited and de-identified, and the PDF's text."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from laget.accounts.freshness import AUTH_KEY
from laget.accounts.models import Role
from laget.analytics import evaluation, services
from laget.analytics.tests import factories
from laget.analytics.tests.test_evaluation import _registered, _youth_case
from laget.audit.models import AuditEvent
from laget.core import clock
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    """Everything — the members made, their memberships, the cohorts — at one instant."""
    with clock.frozen(NOW):
        yield


@pytest.fixture
def cases():
    opened = dt.date(2025, 2, 15)
    made = [_youth_case("030111", opened) for _i in range(12)]
    for case in made[:6]:
        _registered(case, opened + dt.timedelta(days=30))
    for _i in range(2):
        _youth_case("030110", dt.date(2025, 3, 1))
    return made


@pytest.mark.parametrize(("role", "status"), [
    (Role.ANALYST, 200), (Role.LEADER, 200), (Role.CASEWORKER, 403),
    (Role.COORDINATOR, 403), (Role.AUDITOR, 403)])
def test_evaluation_pages_by_role(make_member, login, role, status):
    client = login(Client(), make_member(role))
    assert client.get(reverse("web:analytics_evaluation")).status_code == status
    url = reverse("web:analytics_evaluation_measure", args=["hurtigspor"])
    assert client.get(url).status_code == status


def test_unknown_measure_is_404(make_member, login):
    client = login(Client(), make_member(Role.ANALYST))
    url = reverse("web:analytics_evaluation_measure", args=["finnes-ikke"])
    assert client.get(url).status_code == 404


def test_measure_page_shows_suppressed_cohorts_and_a_chart(make_member, login, cases):
    client = login(Client(), make_member(Role.LEADER))
    events = AuditEvent.objects.count()
    response = client.get(reverse("web:analytics_evaluation_measure", args=["hurtigspor"]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "2025 K1" in text and "&lt;5" in text
    assert '"usermeta"' in text  # the chart's spec, with its table
    assert "Last ned CSV" not in text  # the export is the analysts'
    assert AuditEvent.objects.count() == events  # aggregates only: no audit event
    person = cases[0].person
    assert person.family_name not in text and str(person.pk) not in text


def test_export_asks_for_the_password_again_when_the_proof_is_old(make_member, login):
    client = login(Client(), make_member(Role.ANALYST))
    session = client.session
    session[AUTH_KEY] = 0.0
    session.save()
    url = reverse("web:analytics_evaluation_csv", args=["hurtigspor"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauth"))


def test_csv_export_is_suppressed_de_identified_and_audited(make_member, login, cases):
    client = login(Client(), make_member(Role.ANALYST))
    response = client.get(reverse("web:analytics_evaluation_csv", args=["hurtigspor"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    body = [row for row in rows if row and not row[0].startswith("#")]
    header, data = body[0], body[1:]
    assert header[:3] == ["Tabell", "Kull eller bydel", "Startet"]
    by_label = {(row[0], row[1]): row for row in data}
    assert by_label[("Kull", "2025 K1")][2] == "14"
    assert by_label[("Bydel", "Grorud")][2] == "<5"
    assert by_label[("Bydel", "Stovner")][2] == "skjult"
    for row in data:  # no count of 1–4 anywhere (starters and those with the outcome)
        for index in [2, *range(3, len(row), 4)]:
            assert row[index] not in {"1", "2", "3", "4"}
    for case in cases:  # de-identified: no person, case number or id
        for value in (case.person.family_name, case.person.national_id, str(case.person.pk),
                      case.police_case_number, str(case.pk)):
            assert value not in text
    event = AuditEvent.objects.get(action="analytics.evaluation_export")
    assert event.details["measure"] == "hurtigspor" and event.details["format"] == "csv"


def test_xlsx_export_holds_the_same_cells(make_member, login, cases):
    client = login(Client(), make_member(Role.ANALYST))
    response = client.get(reverse("web:analytics_evaluation_xlsx", args=["hurtigspor"])
                          + "?kull=maned")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    flat = {str(v) for row in values for v in row if v is not None}
    assert "2025-02" in flat and "<5" in flat
    assert AuditEvent.objects.filter(action="analytics.evaluation_export",
                                     details__format="xlsx").exists()


def test_district_profile_pdf(make_member, login):
    services.population_load()
    services.seed_figures_load()
    factories.values("concerns_received", {("030111", dt.date(2026, 1, 1)): 3,
                                           ("030111", dt.date(2026, 2, 1)): 12,
                                           ("030110", dt.date(2026, 1, 1)): 9})
    dataset = services.dataset_get_or_create(source="Syntetisk demo",
                                             fetched_on=dt.date(2026, 1, 1), licence="–",
                                             synthetic=True)
    from decimal import Decimal

    services.figures_import(indicator_key="low_income_children", dataset=dataset, figures=[
        services.Figure("030111", dt.date(2026, 1, 1), Decimal("21.5"))])
    client = login(Client(), make_member(Role.CASEWORKER))
    response = client.get(reverse("web:analytics_district_pdf", args=["030111"]) + "?ar=2026")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Bydelsprofil: Stovner" in text
    assert "Bekymringer mottatt" in text and "<5" in text
    assert "syntetisk" in text
    assert "Unge 10–17 år" in text
    assert "Kilde:" in text
    assert "12" in text


def test_district_profile_pdf_unknown_bydel_is_404(make_member, login):
    client = login(Client(), make_member(Role.CASEWORKER))
    assert client.get(reverse("web:analytics_district_pdf", args=["999999"])).status_code == 404


def test_measure_definitions_cite_model_fields():
    for measure in evaluation.MEASURES:
        assert "." in measure.basis and measure.start and measure.outcome
