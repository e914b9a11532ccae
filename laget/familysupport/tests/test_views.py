"""The family support's pages through HTTP: referring from the case, the provider's list and
answer, relocation registration and decision, interpreter booking, the reports and the export."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from laget.audit.models import AuditEvent
from laget.core import clock
from laget.familysupport.models import (
    InterpreterBooking,
    ParentSupportReferral,
    RelocationApplication,
)

pytestmark = pytest.mark.django_db


def test_refer_from_the_case_and_the_provider_answers(scene, login):
    coordinator = login(Client(), scene.coordinator.user)
    url = reverse("web:familysupport_parent_case", args=[scene.case.pk])
    page = coordinator.get(url).content.decode()
    assert "Mor Syntetisk" in page and "Far Syntetisk" not in page  # restricted contact
    data = {"guardians": [str(scene.mother.pk)], "offer": str(scene.offer.pk),
            "text": "Mor ønsker veiledning."}
    response = coordinator.post(url, data)
    assert response.status_code == 200
    assert "samtykke" in response.content.decode()  # the form error: no consent yet
    assert not ParentSupportReferral.objects.exists()
    scene.consent()
    response = coordinator.post(url, data)
    assert response.status_code == 302
    referral = ParentSupportReferral.objects.get()
    provider = login(Client(), scene.provider.user)
    inbox = provider.get(reverse("web:familysupport_parent_received")).content.decode()
    assert "Mor Syntetisk" in inbox
    detail = reverse("web:familysupport_parent_detail", args=[referral.pk])
    page = provider.get(detail).content.decode()
    assert "+4790000001" in page and "Mor ønsker veiledning." in page
    assert scene.case.person.given_name not in page  # the provider never sees the young person
    assert provider.post(detail, {"form": "answer", "answer": "accept"}).status_code == 302
    assert provider.post(detail, {"form": "session",
                                  "held_on": clock.today().isoformat()}).status_code == 302
    assert provider.post(detail, {"form": "outcome", "outcome": "completed",
                                  "benefit": "5"}).status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "completed" and referral.sessions.count() == 1
    # the referrer cannot post the provider's forms
    assert coordinator.post(detail, {"form": "answer", "answer": "accept"}).status_code == 403


def test_bad_input_is_a_form_error_never_a_500(scene, login):
    coordinator = login(Client(), scene.coordinator.user)
    url = reverse("web:familysupport_relocation_create", args=[scene.case.pk])
    response = coordinator.post(url, {"cost_moving": "-5", "destination": "9999"})
    assert response.status_code == 200
    assert "Skjemaet har feil" in response.content.decode()
    assert not RelocationApplication.objects.exists()
    url = reverse("web:familysupport_interpreter_case", args=[scene.case.pk])
    response = coordinator.post(url, {"duration_minutes": "x", "language": "zz"})
    assert response.status_code == 200 and not InterpreterBooking.objects.exists()


def test_relocation_register_decide_and_pay_through_the_pages(scene, login):
    coordinator = login(Client(), scene.coordinator.user)
    url = reverse("web:familysupport_relocation_create", args=[scene.case.pk])
    assert login(Client(), scene.caseworker.user).get(url).status_code == 404
    response = coordinator.post(url, {
        "guardians": [str(scene.mother.pk)], "reasons": ["kriminelt_miljo"],
        "grounds": "Må ut av miljøet.", "destination": "3201", "protected": "on",
        "cost_moving": "10000", "cost_deposit": "20000", "cost_other": "0",
        "leader": str(scene.leader.user.pk), "handlers": [str(scene.caseworker.user.pk)]})
    assert response.status_code == 302, response.content.decode()
    application = RelocationApplication.objects.get()
    assert application.destination_name == "Bærum"
    detail = reverse("web:familysupport_relocation_detail", args=[application.pk])
    leader = login(Client(), scene.leader.user)
    assert leader.post(detail, {"form": "decide", "decision": "partly", "amount": "40000",
                                "reason": "Delvis.",
                                "decided_on": clock.today().isoformat()}).status_code == 200
    assert leader.post(detail, {"form": "decide", "decision": "partly", "amount": "20000",
                                "reason": "Delvis.",
                                "decided_on": clock.today().isoformat()}).status_code == 302
    response = coordinator.post(detail, {"form": "payment", "amount": "25000", "purpose": "Dep.",
                                         "paid_on": clock.today().isoformat()})
    assert response.status_code == 200 and "innvilget" in response.content.decode()
    assert not application.payments.exists()
    # a named handler sees the page but may not decide or pay
    handler = login(Client(), scene.caseworker.user)
    assert handler.get(detail).status_code == 200
    assert handler.post(detail, {"form": "payment", "amount": "1", "purpose": "x",
                                 "paid_on": clock.today().isoformat()}).status_code == 403


def test_interpreter_booking_and_report(scene, login):
    school = login(Client(), scene.school.user)
    url = reverse("web:familysupport_interpreter_case", args=[scene.case.pk])
    today = clock.today()
    response = school.post(url, {
        "kind": "conversation", "date": today.isoformat(), "time": "10:00",
        "duration_minutes": "90", "language": "ar", "interpreter_name": "Tolk Testesen",
        "qualification": "A", "mode": "oppmote", "cost_nok": "1500",
        "budget_year": str(today.year)})
    assert response.status_code == 302
    assert "Tolk Testesen" in school.get(url).content.decode()
    report = reverse("web:familysupport_interpreter_report")
    assert school.get(report).status_code == 403
    assert login(Client(), scene.sondre_leader.user).get(report).status_code == 200
    leader = login(Client(), scene.leader.user)
    page = leader.get(report, {"year": today.year}).content.decode()
    assert "1500" in page and scene.school.agency.name in page
    export = leader.get(reverse("web:familysupport_interpreter_report_xlsx"),
                        {"year": today.year})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert 1500 in values and 1.5 in values
    assert AuditEvent.objects.filter(action="familysupport.interpreter_report",
                                     details__export=True).count() == 1


def test_case_page_links_only_for_those_allowed(scene, login):
    case_url = reverse("web:case_detail", args=[scene.case.pk])
    page = login(Client(), scene.coordinator.user).get(case_url).content.decode()
    assert reverse("web:familysupport_relocation_create", args=[scene.case.pk]) in page
    assert reverse("web:familysupport_parent_case", args=[scene.case.pk]) in page
    page = login(Client(), scene.school.user).get(case_url).content.decode()
    assert reverse("web:familysupport_interpreter_case", args=[scene.case.pk]) in page
    assert reverse("web:familysupport_relocation_create", args=[scene.case.pk]) not in page


def test_parent_statistics_page(scene, login):

    page = login(Client(), scene.school.user).get(
        reverse("web:familysupport_parent_statistics")).content.decode()
    assert "Ingen avsluttede henvisninger" in page
