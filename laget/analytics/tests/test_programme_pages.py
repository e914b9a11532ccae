"""The targeting index and the områdesatsinger through Django's test client: every logged-in user
reads them (areas and organisations only, no audit of reads); analysts and a city unit's leader
or coordinator write, audited; bad input is a form error or 400, never a partial write."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from laget.accounts.models import Role
from laget.analytics import programmes
from laget.analytics.models import AreaProgramme, Commitment, DesignChecklistItem, DevelopmentPlan
from laget.analytics.services import indicators_sync
from laget.analytics.tests import factories
from laget.analytics.tests.factories_programmes import actor_of
from laget.audit.models import AuditEvent
from laget.core import clock

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
JAN = dt.date(2025, 1, 1)


@pytest.fixture
def analyst(make_member):
    return make_member(Role.ANALYST)


@pytest.fixture
def reader(make_member, login):
    return login(Client(), make_member(Role.CASEWORKER))


@pytest.fixture
def writer(analyst, login):
    return login(Client(), analyst)


@pytest.fixture
def counts():
    factories.values("weapon_triggers", {("03011101", JAN): 30, ("03011102", JAN): 20,
                                         ("03011601", JAN): 50})


@pytest.fixture
def groruddalen():
    programmes.programmes_load()
    return AreaProgramme.objects.get(key="groruddalssatsingen")


def test_targeting_page_shows_method_components_and_ranking(reader, counts):
    events = AuditEvent.objects.count()
    with clock.frozen(NOW):
        page = reader.get(reverse("web:analytics_targeting"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="targeting-method"' in html and "z = (x − gjennomsnitt)" in html
    assert 'data-area="03011101" data-rank="1"' in html
    assert 'data-area="03011102" data-rank="2"' in html
    # Sentrum is a statistical unit: a row with its figure, no rank, not on the map
    sentrum = html.split('data-area="03011601"')[1].split("</tr>")[0]
    assert "data-rank" not in sentrum and "statistisk enhet" in sentrum and ">50<" in sentrum
    assert html.count("<figure") == 1  # the index map
    assert AuditEvent.objects.count() == events


def test_targeting_form_errors_and_neutral_direction(reader, counts):
    with clock.frozen(NOW):
        neutral = reader.get(reverse("web:analytics_targeting"), {
            "niva": "delbydel", "ar": "2025", "mangler": "exclude",
            "vekt_police_stop_search_minors": "1"})
        chosen = reader.get(reverse("web:analytics_targeting"), {
            "niva": "delbydel", "ar": "2025", "mangler": "exclude",
            "vekt_police_stop_search_minors": "1", "retning_police_stop_search_minors": "up"})
        junk = reader.get(reverse("web:analytics_targeting"), {
            "niva": "noe", "ar": "abc", "mangler": "x", "vekt_weapon_triggers": "-3"})
        nothing = reader.get(reverse("web:analytics_targeting"), {
            "niva": "delbydel", "ar": "2025", "mangler": "exclude"})
        export = reader.get(reverse("web:analytics_targeting_csv"), {"ar": "abc"})
    assert neutral.status_code == 200
    assert "ingen retning" in neutral.content.decode()
    assert 'data-testid="targeting-ranking"' not in neutral.content.decode()
    assert 'data-testid="targeting-ranking"' in chosen.content.decode()
    assert junk.status_code == 200 and 'data-testid="targeting-ranking"' not in (
        junk.content.decode())
    assert "Gi minst én indikator en vekt over 0." in nothing.content.decode()
    assert export.status_code == 400


def test_targeting_exports(reader, counts):
    query = {"niva": "delbydel", "ar": "2025", "mangler": "exclude", "vekt_weapon_triggers": "2"}
    with clock.frozen(NOW):
        as_csv = reader.get(reverse("web:analytics_targeting_csv"), query)
        as_xlsx = reader.get(reverse("web:analytics_targeting_xlsx"), query)
    assert as_csv.status_code == 200 and as_csv["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";"))
    haugenstua = next(r for r in rows if r[1:2] == ["03011101"])
    assert haugenstua[0] == "1" and haugenstua[4] == "30.0"
    sentrum = next(r for r in rows if r[1:2] == ["03011601"])
    assert sentrum[0] == "" and "statistisk enhet" in sentrum[-1]
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert any(row[:2] == (1, "03011101") for row in values)


def test_programme_board_highlights_overdue_in_words(reader, analyst, groruddalen):
    actor = actor_of(analyst)
    with clock.frozen(NOW):
        late = programmes.commitment_create(
            actor=actor, programme=groruddalen, party_kind="state", party_name="Politiet",
            what="Fast nærpoliti.", indicator=None, due_on=dt.date(2026, 1, 31))
        programmes.commitment_create(
            actor=actor, programme=groruddalen, party_kind="developer",
            party_name="Utbygger AS", what="Belysning.", indicator=None,
            due_on=dt.date(2026, 12, 1))
        listing = reader.get(reverse("web:analytics_programmes"))
        board = reader.get(reverse("web:analytics_programme", args=[groruddalen.pk]))
        detail = reader.get(reverse("web:analytics_commitment", args=[late.pk]))
    assert listing.status_code == 200 and "Oslo sør-satsingen" in listing.content.decode()
    html = board.content.decode()
    assert board.status_code == 200
    assert html.count('data-overdue="true"') == 1
    assert "over fristen (38 dager)" in html and "pkt-tag--red" in html
    assert "Bjerke, Grorud, Stovner, Alna" in html
    assert "Ny forpliktelse" not in html  # a caseworker reads only
    assert "Over fristen: fristen gikk ut for 38 dager siden" in detail.content.decode()
    assert 'data-testid="commitment-update"' not in detail.content.decode()


def test_programme_as_xlsx_lists_the_board_and_the_design_report(reader, analyst,
                                                                 groruddalen):
    with clock.frozen(NOW):
        programmes.commitment_create(
            actor=actor_of(analyst), programme=groruddalen, party_kind="state",
            party_name="Politiet", what="Fast nærpoliti.", indicator=None,
            due_on=dt.date(2026, 1, 31))
        export = reader.get(reverse("web:analytics_programme_xlsx", args=[groruddalen.pk]))
    assert export.status_code == 200 and export["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["Forpliktelser", "Utforming"]
    rows = list(book["Forpliktelser"].iter_rows(values_only=True))
    politiet = next(row for row in rows if row and row[1] == "Politiet")
    assert politiet[2] == "Fast nærpoliti." and politiet[6] == 38  # days over the due date
    assert analyst.username not in str(rows)  # not who changed it
    assert list(book["Utforming"].iter_rows(values_only=True))[-1][0] == "I alt"


def test_commitments_are_written_by_the_analyst(writer, reader, groruddalen):
    indicators_sync()
    url = reverse("web:analytics_commitment_create", args=[groruddalen.pk])
    assert reader.get(url).status_code == 403
    assert reader.post(url, {"party_kind": "state"}).status_code == 403
    bad = writer.post(url, {"party_kind": "person", "party_name": "", "what": "",
                            "due_on": "i morgen", "status": "planned"})
    assert bad.status_code == 200 and not Commitment.objects.exists()
    made = writer.post(url, {"party_kind": "state", "party_name": "NAV", "what": "Jobbsenter.",
                             "indicator": "job_places_per_1000", "due_on": "2026-06-01",
                             "status": "planned"})
    assert made.status_code == 302
    commitment = Commitment.objects.get()
    assert commitment.indicator_id == "job_places_per_1000"
    update = reverse("web:analytics_commitment", args=[commitment.pk])
    assert reader.post(update, {"status": "done"}).status_code == 403
    refused = writer.post(update, {"status": "done", "due_on": "2026-06-01", "evidence": "",
                                   "evidence_url": ""})
    assert refused.status_code == 200 and "må ha dokumentasjon" in refused.content.decode()
    done = writer.post(update, {"status": "done", "due_on": "2026-06-01",
                                "evidence": "Senteret åpnet.", "evidence_url": ""})
    assert done.status_code == 302
    history = writer.get(update).content.decode()
    assert "planlagt → gjennomført" in history
    assert AuditEvent.objects.filter(action="analytics.commitment_change").count() == 2


def test_new_programme_and_plan_with_checklist(writer, reader, make_member, login):
    create = reverse("web:analytics_programme_create")
    assert reader.get(create).status_code == 403
    marka = writer.post(create, {"name": "Marka-satsing", "districts": ["030117"]})
    assert marka.status_code == 200 and not AreaProgramme.objects.exists()  # not offered
    made = writer.post(create, {"name": "Furuset-løftet", "districts": ["030112"],
                                "subdistricts": ["03011201"], "starts_on": "2026-01-01",
                                "ends_on": "2025-01-01"})
    assert made.status_code == 200 and "Sluttdatoen" in made.content.decode()
    made = writer.post(create, {"name": "Furuset-løftet", "districts": ["030112"],
                                "starts_on": "2026-01-01", "ends_on": "2029-12-31",
                                "owner": "Bydel Alna"})
    assert made.status_code == 302
    item = AreaProgramme.objects.get()
    plan_url = reverse("web:analytics_devplan_create", args=[item.pk])
    outside = writer.post(plan_url, {"district": "030111", "name": "Feil"})
    assert outside.status_code == 200 and not DevelopmentPlan.objects.exists()
    created = writer.post(plan_url, {"district": "030112", "name": "Furuset senter",
                                     "plan_id": "PBE-1", "developer": "Utbygger AS"})
    assert created.status_code == 302
    plan = DevelopmentPlan.objects.get()
    checklist_url = reverse("web:analytics_devplan", args=[plan.pk])
    read_only = reader.get(checklist_url).content.decode()
    assert 'data-testid="checklist"' in read_only and "checklist-form" not in read_only
    assert reader.post(checklist_url, {}).status_code == 403
    data = {f"status_{t}": "not_assessed" for t in
            DesignChecklistItem.objects.filter(plan=plan).values_list("topic", flat=True)}
    data.update({f"comment_{t}": "" for t in list(data)})
    data = {k.replace("comment_status_", "comment_"): v for k, v in data.items()}
    data.update({"status_lighting": "needs_work", "comment_lighting": "Mørk undergang."})
    assert writer.post(checklist_url, data).status_code == 302
    assert writer.post(checklist_url, {**data, "status_lighting": "blank"}).status_code == 200
    lighting = DesignChecklistItem.objects.get(plan=plan, topic="lighting")
    assert (lighting.status, lighting.comment) == ("needs_work", "Mørk undergang.")
    board = reader.get(reverse("web:analytics_programme", args=[item.pk])).content.decode()
    assert 'data-testid="design-plan"' in board and 'data-status="needs_work">1<' in board
    city_leader = login(Client(), make_member(Role.LEADER, agency_type="by", district=None))
    assert city_leader.get(plan_url).status_code == 200
    assert AuditEvent.objects.filter(action="analytics.design_change").count() == 2
    assert AuditEvent.objects.filter(action="analytics.programme_change").count() == 1


def test_board_and_list_take_the_same_queries_for_more_rows(reader, analyst, groruddalen):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from laget.areas.models import District

    actor = actor_of(analyst)
    stovner = District.objects.get(code="030111")

    def add(n):
        for i in range(n):
            programmes.commitment_create(
                actor=actor, programme=groruddalen, party_kind="city", party_name=f"Etat {i}",
                what="Tiltak.", indicator=None, due_on=dt.date(2026, 1, 1))
            programmes.plan_create(actor=actor, programme=groruddalen, district=stovner,
                                   subdistrict=None, name=f"Plan {i} {n}")

    counts = []
    for n in (1, 4):
        add(n)
        with CaptureQueriesContext(connection) as board:
            assert reader.get(reverse("web:analytics_programme",
                                      args=[groruddalen.pk])).status_code == 200
        with CaptureQueriesContext(connection) as listing:
            assert reader.get(reverse("web:analytics_programmes")).status_code == 200
        counts.append((len(board), len(listing)))
    assert counts[0] == counts[1]


def test_editing_a_programme_keeps_its_source(writer, groruddalen):
    url = reverse("web:analytics_programme_edit", args=[groruddalen.pk])
    form = writer.get(url).content.decode()
    assert 'value="030111" id="id_districts_' in form and "checked" in form
    saved = writer.post(url, {"name": "Groruddalssatsingen", "districts": ["030109", "030110"],
                              "starts_on": "2017-01-01", "ends_on": "2026-12-31",
                              "owner": "Oslo kommune og staten"})
    assert saved.status_code == 302
    groruddalen.refresh_from_db()
    assert sorted(groruddalen.districts.values_list("code", flat=True)) == ["030109", "030110"]
    assert "000_9516c62b6aaea3e0.txt" in groruddalen.source
    event = AuditEvent.objects.get(action="analytics.programme_change")
    assert event.details["change"] == "update"
