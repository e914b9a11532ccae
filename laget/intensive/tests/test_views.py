"""The pages through HTTP: who sees what (the coordinator everything, a follow-up member the
plan and their check-ins, everyone else a 404 that does not reveal the enrolment), the week grid
with its gaps, filling a gap, the heat-map, check-ins and the outcomes; every read audited."""

import datetime as dt

import pytest
from django.test import Client

from laget.accounts.models import AgencyType, Role
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.intensive import selectors, services
from laget.intensive.models import CheckIn, Enrolment, Slot
from laget.intensive.tests.conftest import NOW, TODAY, actor_of, new_case
from laget.sharing import services as sharing_services


@pytest.fixture
def enrolled(scene):
    enrolment = scene.enrol()
    club = enrolment.members.get(team_member__user=scene.club.user)
    # Monday: school 08–15 and football 15–17, then nothing: 17–23 is a gap
    services.slot_add(actor=scene.coordinator, enrolment=enrolment, slot=services.SlotInput(
        weekday=0, start_hour=8, end_hour=15, kind="skole",
        responsible_agency=scene.school.agency))
    services.slot_add(actor=scene.coordinator, enrolment=enrolment, slot=services.SlotInput(
        weekday=0, start_hour=15, end_hour=17, kind="trening", responsible=club,
        description="Fotball"))
    return enrolment


def _client(login, actor):
    return login(Client(), actor.user)


@pytest.mark.django_db
def test_who_sees_an_enrolment(scene, enrolled, login):
    url = f"/intensiv/{enrolled.pk}/"
    coordinator = _client(login, scene.coordinator)
    page = coordinator.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Fotball" in body and "Hull" in body and "Utvikling over tid" in body
    # a follow-up member sees the plan, not the outcomes
    club = _client(login, scene.club).get(url)
    assert club.status_code == 200
    assert "Fotball" in club.content.decode()
    assert "Utvikling over tid" not in club.content.decode()
    # on the team but not on the follow-up team, off the team, or another bydel: no such page
    for actor in (scene.police, scene.outsider):
        assert _client(login, actor).get(url).status_code == 404
    assert AuditEvent.objects.filter(action=Action.INTENSIVE_VIEW,
                                     details__view="detail").count() == 2


@pytest.mark.django_db
def test_another_bydels_coordinator_gets_404_everywhere(scene, enrolled, login, make_member):
    other = actor_of(make_member(Role.COORDINATOR, district="030112"))
    client = _client(login, other)
    for url in (f"/intensiv/{enrolled.pk}/", f"/intensiv/{enrolled.pk}/okt/",
                f"/intensiv/{enrolled.pk}/avslutt/", f"/intensiv/ny/{scene.case.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/intensiv/{enrolled.pk}/team/", {}).status_code == 404
    listing = client.get("/intensiv/").content.decode()
    assert scene.case.person.family_name not in listing


@pytest.mark.django_db
def test_the_coordinator_fills_a_gap_and_it_is_gone(scene, enrolled, login):
    client = _client(login, scene.coordinator)
    page = client.get(f"/intensiv/{enrolled.pk}/").content.decode()
    assert "weekday=0&amp;start_hour=17&amp;end_hour=23" in page
    form = client.get(f"/intensiv/{enrolled.pk}/okt/?weekday=0&start_hour=17&end_hour=23")
    assert form.status_code == 200
    response = client.post(f"/intensiv/{enrolled.pk}/okt/", {
        "weekday": "0", "start_hour": "17", "end_hour": "21", "kind": "aktivitet",
        "description": "Ungdomsklubben"})
    assert response.status_code == 302
    detail = selectors.enrolment_detail_for(actor=scene.coordinator, enrolment_id=enrolled.pk)
    assert detail.gaps[0] == []  # 21–23 is two hours: no longer a gap
    # an overlapping slot is a form error, not a 500
    response = client.post(f"/intensiv/{enrolled.pk}/okt/", {
        "weekday": "0", "start_hour": "20", "end_hour": "22", "kind": "hjemme"})
    assert response.status_code == 200
    assert "overlapper" in response.content.decode()
    # bad input is a form error too
    response = client.post(f"/intensiv/{enrolled.pk}/okt/", {
        "weekday": "9", "start_hour": "3", "end_hour": "2", "kind": "x"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_enrol_from_the_case_and_end(scene, login, settings):
    client = _client(login, scene.coordinator)
    url = f"/intensiv/ny/{scene.case.pk}/"
    assert client.get(url).status_code == 200
    assert _client(login, scene.school).get(url).status_code == 404
    response = client.post(url, {
        "decided_on": TODAY.isoformat(), "starts_on": TODAY.isoformat(),
        "members": [scene.member(scene.club).pk], "given_by": "guardian",
        "guardians": [scene.guardian.pk], "method": "signed_form",
        "consent_valid_to": (TODAY + dt.timedelta(days=90)).isoformat(),
        "youth_view": "Enig."})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(case=scene.case)
    # capacity full: a clear message on the form
    settings.LAGET_INTENSIVE_CAPACITY = 1
    other = new_case(scene)
    page = client.get(f"/intensiv/ny/{other.pk}/")
    assert "1 av 1 plasser" in page.content.decode()
    end = client.post(f"/intensiv/{enrolment.pk}/avslutt/", {
        "ends_on": (TODAY + dt.timedelta(days=1)).isoformat(), "reason": "goals_met"})
    assert end.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.ended_on == TODAY + dt.timedelta(days=1)
    assert _client(login, scene.school).get(f"/intensiv/{enrolment.pk}/avslutt/"
                                            ).status_code == 404


@pytest.mark.django_db
def test_heatmap_counts_youths_idle_per_hour(scene, enrolled, login):
    second = scene.enrol(case=new_case(scene))
    services.slot_add(actor=scene.coordinator, enrolment=second, slot=services.SlotInput(
        weekday=0, start_hour=12, end_hour=19, kind="jobb"))
    result = selectors.heatmap_for(actor=scene.coordinator)
    assert result.youths == 2
    assert result.counts[(0, 18)] == 1  # only the first is idle at 18 on Monday
    assert result.counts[(0, 20)] == 2
    assert result.counts.get((0, 16), 0) == 0
    assert result.counts[(6, 7)] == 2  # Sundays are empty for both
    page = _client(login, scene.coordinator).get("/intensiv/hull/")
    assert page.status_code == 200 and "laget-heat-4" in page.content.decode()
    assert _client(login, scene.club).get("/intensiv/hull/").status_code == 403


@pytest.mark.django_db
def test_checkins_on_the_phone_page(scene, enrolled, login):
    client = _client(login, scene.club)
    page = client.get("/intensiv/oppmote/").content.decode()
    assert "Fotball" in page and "Møtte ikke" in page
    slot = Slot.objects.get(enrolment=enrolled, kind="trening")
    school_slot = Slot.objects.get(enrolment=enrolled, kind="skole")
    assert client.post(f"/intensiv/oppmote/{slot.pk}/", {"attended": "maybe"}).status_code == 302
    assert not CheckIn.objects.exists()
    assert client.post(f"/intensiv/oppmote/{slot.pk}/", {"attended": "yes"}).status_code == 302
    assert client.post(f"/intensiv/oppmote/{slot.pk}/", {"attended": "no"}).status_code == 302
    assert list(CheckIn.objects.values_list("attended", flat=True)) == [True]
    # not responsible for the school's slot: no such slot for the club
    assert client.post(f"/intensiv/oppmote/{school_slot.pk}/",
                       {"attended": "yes"}).status_code == 404
    assert _client(login, scene.police).get("/intensiv/oppmote/").status_code == 200
    assert "Fotball" not in _client(login, scene.police).get("/intensiv/oppmote/"
                                                             ).content.decode()


@pytest.mark.django_db
def test_outcomes_per_iso_week_and_for_the_evaluation(scene, enrolled):
    slot = Slot.objects.get(enrolment=enrolled, kind="trening")
    services.checkin_record(actor=scene.club, slot=slot, attended=True)
    sharing_services.entry_add(actor=scene.police, case=scene.case, category="politi",
                               text="Ny registrering.")
    with clock.frozen(NOW + dt.timedelta(days=7)):
        services.checkin_record(actor=scene.club, slot=slot, attended=False)
        series = selectors.outcome_series([enrolled], clock.today())[enrolled.pk]
        assert [(w.week, w.checked, w.attended, w.police_entries) for w in series] == [
            (11, 1, 1, 1), (12, 1, 0, 0)]
        assert series[0].attendance == 1.0 and series[1].attendance == 0.0
        aggregate = selectors.outcomes_aggregate(district_id="030111")
        assert [(a.week, a.youths, a.checked, a.attended, a.police_entries)
                for a in aggregate] == [(11, 1, 1, 1, 1), (12, 1, 1, 0, 0)]


@pytest.mark.django_db
def test_list_shows_capacity_to_the_coordinator_and_own_followups_to_members(
        scene, enrolled, login, make_member):
    page = _client(login, scene.coordinator).get("/intensiv/").content.decode()
    assert "1 av 5 plasser" in page
    assert scene.case.person.family_name in page
    club = _client(login, scene.club).get("/intensiv/").content.decode()
    assert scene.case.person.family_name in club and "plasser" not in club
    police = _client(login, scene.police).get("/intensiv/").content.decode()
    assert scene.case.person.family_name not in police
    analyst = actor_of(make_member(Role.ANALYST, agency_type=AgencyType.BYDEL))
    assert _client(login, analyst).get("/intensiv/").status_code == 403


@pytest.mark.django_db
def test_a_follow_up_members_view_of_the_plan_ends_with_the_enrolment(scene, enrolled, login):
    services.enrolment_end(actor=scene.coordinator, enrolment=enrolled,
                           ends_on=TODAY + dt.timedelta(days=1), reason="goals_met")
    url = f"/intensiv/{enrolled.pk}/"
    assert _client(login, scene.club).get(url).status_code == 200
    with clock.frozen(NOW + dt.timedelta(days=1)):
        assert _client(login, scene.club).get(url).status_code == 404
        assert scene.case.person.family_name not in _client(login, scene.club).get(
            "/intensiv/").content.decode()
        page = _client(login, scene.coordinator).get(url)
        assert page.status_code == 200 and "Avsluttet fra" in page.content.decode()
        # read-only: no form to add slots
        assert _client(login, scene.coordinator).get(f"{url}okt/").status_code == 403
