"""The schools pages through HTTP: the incident form with the pupil's number in the POST body,
403 for those who work for no school, 404 for another school's incident, the ambulant team's
steps, the hearing rule as a form error, the receiving school's page and the handover."""

import datetime as dt

import pytest
from django.urls import reverse

from laget.accounts.models import AgencyType, Role
from laget.accounts.tests.factories import AgencyFactory
from laget.core import clock
from laget.records.models import TeamMember
from laget.records.services import case_open
from laget.schools import services
from laget.schools.models import AmbulantRequest, Incident, RequestStatus, SchoolChange
from laget.schools.services import Involvement
from laget.schools.tests.conftest import member


def _client(client, login, actor):
    return login(client, actor.user)


def test_teacher_reports_incident_by_number_in_post(schools, client, login):
    c = _client(client, login, schools.teacher_a)
    assert c.get(reverse("web:schools_overview")).status_code == 200
    when = (clock.now() - dt.timedelta(hours=1)).astimezone(clock.OSLO).strftime("%Y-%m-%dT%H:%M")
    response = c.post(reverse("web:schools_incident_create"), {
        "occurred_at": when, "kind": "vold", "description": "Slag.", "staff_affected": "0",
        "pupil_0": schools.pupil.national_id, "pupil_0_perpetrator": "on",
        "pupil_1": "01010112345"})
    assert response.status_code == 200 and "Fant ingen person" in response.content.decode()
    assert not Incident.objects.exists()
    response = c.post(reverse("web:schools_incident_create"), {
        "occurred_at": when, "kind": "vold", "description": "Slag.", "staff_affected": "0",
        "pupil_0": schools.pupil.national_id, "pupil_0_perpetrator": "on"})
    incident = Incident.objects.get()
    assert response.status_code == 302
    page = c.get(reverse("web:schools_incident", args=[incident.pk])).content.decode()
    assert "Slag." in page and schools.pupil.given_name in page
    assert schools.pupil.national_id not in response["Location"]


def test_other_school_gets_404_and_non_school_403(schools, client, login):
    incident = services.incident_report(actor=schools.teacher_a,
                                        occurred_at=clock.now() - dt.timedelta(hours=1),
                                        kind="vold", description="x")
    url = reverse("web:schools_incident", args=[incident.pk])
    assert _client(client, login, schools.teacher_b).get(url).status_code == 404
    client.logout()
    bydel = member(AgencyFactory(type=AgencyType.BYDEL), Role.CASEWORKER)
    c = _client(client, login, bydel)
    assert c.get(url).status_code == 403
    assert c.get(reverse("web:schools_overview")).status_code == 403


def test_ambulant_flow_through_pages(schools, client, login):
    incident = services.incident_report(actor=schools.teacher_a,
                                        occurred_at=clock.now() - dt.timedelta(hours=1),
                                        kind="vold", description="x")
    c = _client(client, login, schools.principal_a)
    url = reverse("web:schools_request_create")
    assert c.get(url + f"?hendelse={incident.pk}").status_code == 200
    c.post(url, {"kind": "hendelse", "incident": str(incident.pk), "situation": "Uro."})
    request = AmbulantRequest.objects.get()
    detail = reverse("web:schools_request", args=[request.pk])
    assert c.post(detail, {"op": "dispatch"}).status_code == 403  # the school cannot dispatch
    client.logout()
    team = _client(client, login, schools.team_leader)
    assert team.get(reverse("web:schools_overview")).status_code == 302
    assert "Testskolen A" in team.get(reverse("web:schools_board")).content.decode()
    team.post(detail, {"op": "triage", "urgency": "akutt"})
    team.post(detail, {"op": "dispatch"})
    team.post(detail, {"op": "arrive"})
    response = team.post(detail, {"op": "close", "measures": "", "report": ""})
    assert response.status_code == 200 and "Skjemaet har feil" in response.content.decode()
    team.post(detail, {"op": "close", "measures": "Samtaler.", "report": "Ferdig."})
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED and request.response_minutes is not None
    assert team.get(reverse("web:schools_statistics")).status_code == 200


def test_board_is_403_for_schools(schools, client, login):
    assert _client(client, login, schools.principal_a).get(
        reverse("web:schools_board")).status_code == 403


def test_hearing_rule_shown_as_form_error_and_receiving_page(schools, client, login):
    incident = services.incident_report(
        actor=schools.teacher_a, occurred_at=clock.now() - dt.timedelta(hours=1), kind="vold",
        description="Fortellingen om hendelsen.",
        pupils=[Involvement(schools.pupil, perpetrator=True)])
    c = _client(client, login, schools.principal_a)
    c.post(reverse("web:schools_change_create"), {
        "national_id": schools.pupil.national_id, "to_school": str(schools.school_b.pk),
        "grounds": "Gjentatt vold.", "incidents": [str(incident.pk)]})
    change = SchoolChange.objects.get()
    url = reverse("web:schools_change", args=[change.pk])
    effective = (clock.today() + dt.timedelta(days=30)).isoformat()
    decide = {"op": "decide", "change_school": "ja", "reasons": "Trygghet.",
              "effective_on": effective, "measures_for_receiving": "Fast voksen."}
    response = c.post(url, decide)
    assert response.status_code == 200 and "fristen for å uttale seg" in response.content.decode()
    for party in change.parties.all():
        c.post(url, {"op": "statement", "party": str(party.pk), "statement": "Hørt."})
    assert c.post(url, decide).status_code == 302
    client.logout()
    b = _client(client, login, schools.teacher_b)
    page = b.get(url).content.decode()
    assert "Fast voksen." in page and "Fortellingen om hendelsen" not in page
    assert "Gjentatt vold." not in page
    assert b.post(url, decide).status_code == 403


def test_handover_page(schools, client, login):
    coordinator = member(AgencyFactory(type=AgencyType.BYDEL, district_id="030111"),
                         Role.COORDINATOR)
    case = case_open(actor=coordinator, person=schools.pupil)
    incident = services.incident_report(
        actor=schools.teacher_a, occurred_at=clock.now() - dt.timedelta(hours=1), kind="vold",
        description="x", pupils=[Involvement(schools.pupil, perpetrator=True)])
    change = services.change_propose(actor=schools.principal_a, person=schools.pupil,
                                     to_school=schools.school_b, grounds="x",
                                     incidents=[incident])
    for party in change.parties.all():
        services.hearing_register(actor=schools.principal_a, change=change, party=party,
                                  statement="Hørt.")
    services.change_decide(actor=schools.principal_a, change=change, change_school=True,
                           reasons="x", effective_on=clock.today())
    c = _client(client, login, coordinator)
    url = reverse("web:schools_handovers")
    assert schools.pupil.given_name in c.get(url).content.decode()
    response = c.post(url, {"change": str(change.pk), "contact": str(schools.teacher_b.user.pk)})
    assert response.status_code == 302
    assert TeamMember.objects.active().filter(case=case, user=schools.teacher_b.user).exists()


@pytest.mark.parametrize("name", ["schools_statistics"])
def test_statistics_open_to_analyst(schools, client, login, name):
    analyst = member(AgencyFactory(type=AgencyType.BY, district_id=None), Role.ANALYST)
    assert _client(client, login, analyst).get(reverse(f"web:{name}")).status_code == 200
