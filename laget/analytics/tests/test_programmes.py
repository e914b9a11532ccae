"""The områdesatsinger's services: the three programmes of today with their sourced areas, who may
write, commitments with their history and the overdue board, development plans and their
design checklists reported per programme — every write audited, bad input refused whole."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from laget.analytics import programmes
from laget.analytics.models import (
    AreaProgramme,
    Commitment,
    CommitmentChange,
    DesignChecklistItem,
    DesignTopic,
)
from laget.analytics.services import indicators_sync_one
from laget.analytics.tests.factories_programmes import actor_of, programme
from laget.areas.models import District, Subdistrict
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import DomainError

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def analyst(make_member):
    return actor_of(make_member("analyst"))


def test_the_three_programmes_load_with_their_sourced_areas():
    out = StringIO()
    call_command("analytics", "load-programmes", stdout=out)
    call_command("analytics", "load-programmes", stdout=out)  # idempotent
    assert "programmes: 3" in out.getvalue()
    assert AreaProgramme.objects.count() == 3
    areas = {p.key: (sorted(p.districts.values_list("name", flat=True)),
                     sorted(p.subdistricts.values_list("name", flat=True)))
             for p in AreaProgramme.objects.all()}
    assert areas["groruddalssatsingen"] == (
        ["Alna", "Bjerke", "Grorud", "Stovner"], [])
    assert areas["oslo-sor"] == (["Søndre Nordstrand"], ["Bjørnerud", "Holmlia Syd"])
    assert areas["oslo-indre-ost"] == (["Gamle Oslo"], ["Grønland", "Nedre Tøyen"])
    # six bydeler, as the policy paper says; each programme names its sources
    assert sum(len(d) for d, _s in areas.values()) == 6
    for item in AreaProgramme.objects.all():
        assert "000_9516c62b6aaea3e0.txt" in item.source
        assert item.source_url.startswith("https://www.oslo.kommune.no/")


def test_who_may_edit(make_member):
    assert programmes.may_edit(actor_of(make_member("analyst")))
    assert programmes.may_edit(actor_of(make_member("leader", agency_type="by", district=None)))
    assert programmes.may_edit(actor_of(make_member("coordinator", agency_type="by",
                                                    district=None)))
    assert not programmes.may_edit(actor_of(make_member("caseworker", agency_type="by",
                                                        district=None)))
    assert not programmes.may_edit(actor_of(make_member("leader")))  # a bydel's leader
    assert not programmes.may_edit(actor_of(make_member("admin")))
    assert not programmes.may_edit(None)
    with pytest.raises(DomainError):
        programme(actor=actor_of(make_member("coordinator")))
    assert not AreaProgramme.objects.exists()


def test_programme_save_checks_and_audits(analyst):
    events = AuditEvent.objects.count()
    made = programme(actor=analyst, name="Ny satsing på Haugerud", districts=("030112",),
                     subdistricts=("03011501",))
    assert made.key == "ny-satsing-pa-haugerud"
    event = AuditEvent.objects.order_by("-occurred_at").first()
    assert AuditEvent.objects.count() == events + 1
    assert event.action == "analytics.programme_change" and event.object_id == str(made.pk)
    with pytest.raises(DomainError):  # the same name twice
        programme(actor=analyst, name="ny satsing på haugerud")
    with pytest.raises(DomainError):  # Marka is a statistical unit, not an area of a programme
        programme(actor=analyst, name="Marka", districts=("030117",))
    with pytest.raises(DomainError):
        programme(actor=analyst, name="Sentrum", districts=(), subdistricts=("03011601",))
    with pytest.raises(DomainError):
        programme(actor=analyst, name="Ingen steder", districts=())
    with pytest.raises(DomainError):
        programmes.programme_save(actor=analyst, programme=made, data=programmes.ProgrammeData(
            name="Baklengs", description="", districts=[District.objects.get(code="030111")],
            subdistricts=[], starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2025, 1, 1),
            owner=""))
    assert AreaProgramme.objects.count() == 1
    assert AuditEvent.objects.count() == events + 1


def test_commitments_keep_their_history_and_the_board_shows_overdue_first(analyst):
    made = programme(actor=analyst)
    indicator = indicators_sync_one("weapon_triggers")
    with clock.frozen(TODAY):
        late = programmes.commitment_create(
            actor=analyst, programme=made, party_kind="state", party_name="Politiet",
            what="Fast nærpoliti på Haugenstua.", indicator=indicator,
            due_on=dt.date(2026, 1, 31))
        later = programmes.commitment_create(
            actor=analyst, programme=made, party_kind="developer", party_name="Utbygger AS",
            what="Belysning i gangveiene.", indicator=None, due_on=dt.date(2026, 2, 28),
            status="in_progress")
        programmes.commitment_create(
            actor=analyst, programme=made, party_kind="city", party_name="Bydel Stovner",
            what="Utvidet åpningstid på klubben.", indicator=None, due_on=dt.date(2026, 12, 1))
        done = programmes.commitment_create(
            actor=analyst, programme=made, party_kind="business", party_name="Butikkjeden",
            what="Ti sommerjobber.", indicator=None, due_on=dt.date(2025, 8, 1),
            status="done", evidence="Avtale signert.")
        board = programmes.board(programme=made)
    assert [r.commitment for r in board.rows[:2]] == [late, later]
    assert [r.overdue for r in board.rows] == [True, True, False, False]
    assert board.rows[0].days_overdue == 38 and board.overdue == 2
    assert done in [r.commitment for r in board.rows if not r.overdue]
    assert dict((v, n) for v, _l, n in board.by_status) == {
        "planned": 2, "in_progress": 1, "done": 1, "cancelled": 0}

    with clock.frozen(TODAY):
        with pytest.raises(DomainError):  # «done» needs evidence
            programmes.commitment_update(actor=analyst, commitment=late, status="done",
                                         due_on=late.due_on, evidence="", evidence_url="")
        with pytest.raises(DomainError):  # nothing changed
            programmes.commitment_update(actor=analyst, commitment=late, status="planned",
                                         due_on=late.due_on, evidence="", evidence_url="")
        programmes.commitment_update(actor=analyst, commitment=late, status="done",
                                     due_on=late.due_on, evidence="",
                                     evidence_url="https://example.org/rapport")
    late.refresh_from_db()
    assert late.status == "done" and late.updated_by == analyst.user
    history = list(programmes.commitment_history(commitment=late))
    assert [(c.status_from, c.status_to) for c in history] == [("", "planned"),
                                                               ("planned", "done")]
    assert AuditEvent.objects.filter(action="analytics.commitment_change").count() == 5
    with clock.frozen(TODAY):
        assert programmes.board(programme=made).overdue == 1


def test_a_refused_commitment_writes_nothing(analyst, make_member):
    made = programme(actor=analyst)
    outsider = actor_of(make_member("caseworker"))
    for kwargs in ({"actor": outsider}, {"actor": analyst, "party_kind": "person"},
                   {"actor": analyst, "party_name": " "}):
        with pytest.raises(DomainError):
            programmes.commitment_create(**{
                "programme": made, "party_kind": "state", "party_name": "NAV",
                "what": "Jobbsenter.", "indicator": None, "due_on": dt.date(2026, 5, 1),
                **kwargs})
    assert not Commitment.objects.exists() and not CommitmentChange.objects.exists()


def test_development_plans_and_the_design_report(analyst):
    made = programme(actor=analyst, districts=("030115",), subdistricts=())
    with pytest.raises(DomainError):  # not in the programme's area
        programmes.plan_create(actor=analyst, programme=made,
                               district=District.objects.get(code="030111"), subdistrict=None,
                               name="Feil sted")
    with pytest.raises(DomainError):  # the delbydel is in another bydel
        programmes.plan_create(actor=analyst, programme=made,
                               district=District.objects.get(code="030115"),
                               subdistrict=Subdistrict.objects.get(code="03011101"),
                               name="Feil delbydel")
    mortensrud = programmes.plan_create(
        actor=analyst, programme=made, district=District.objects.get(code="030115"),
        subdistrict=Subdistrict.objects.get(code="03011505"), name="Mortensrud sentrum",
        plan_id="PBE-2024-1", developer="Utbygger AS")
    other = programmes.plan_create(
        actor=analyst, programme=made, district=District.objects.get(code="030115"),
        subdistrict=None, name="Holmlia torg")
    assert DesignChecklistItem.objects.filter(plan=mortensrud).count() == len(DesignTopic)
    changed = programmes.checklist_update(actor=analyst, plan=mortensrud, items={
        "lighting": ("ok", "Godt belyst."), "transparent_entrances": ("needs_work", "Tette dører."),
        "garage_basement_access": ("needs_work", ""), "wayfinding": ("not_applicable", "")})
    assert changed == 4
    assert programmes.checklist_update(actor=analyst, plan=mortensrud, items={
        "lighting": ("ok", "Godt belyst.")}) == 0
    with pytest.raises(DomainError):
        programmes.checklist_update(actor=analyst, plan=mortensrud,
                                    items={"lighting": ("perfect", "")})
    report, totals = programmes.design_report(programme=made)
    counts = {r.plan: {v: n for v, _l, n in r.counts} for r in report}
    assert counts[mortensrud] == {"not_assessed": 4, "ok": 1, "needs_work": 2,
                                  "not_applicable": 1}
    assert counts[other] == {"not_assessed": 8, "ok": 0, "needs_work": 0, "not_applicable": 0}
    assert {v: n for v, _l, n in totals}["not_assessed"] == 12
    assert [i.topic for i in programmes.checklist(plan=mortensrud)][:4] == [
        "lighting", "transparent_entrances", "garage_basement_access", "facing_street"]
    assert AuditEvent.objects.filter(action="analytics.design_change").count() == 3


def test_the_demo_loads_the_programmes_and_its_commitments_once(make_member):
    from laget.accounts.models import User
    from laget.demo.analytics import DEMO_ANALYST, build_programmes

    assert build_programmes() == 3 and not Commitment.objects.exists()  # no analyst yet
    user = make_member("analyst", agency_type="by", district=None)
    User.objects.filter(pk=user.pk).update(username=DEMO_ANALYST)
    with clock.frozen(TODAY):
        build_programmes()
        build_programmes()
        board = programmes.board(programme=AreaProgramme.objects.get(key="oslo-sor"))
    assert Commitment.objects.filter(party_name__endswith="(demo)").count() == 4
    assert board.overdue == 1
    report, _totals = programmes.design_report(
        programme=AreaProgramme.objects.get(key="oslo-sor"))
    assert [r.plan.subdistrict_id for r in report] == ["03011505"]
