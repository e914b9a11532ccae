"""The status panel on the case page: the history for everyone who may open the case, the form
for the bydel's coordinator, and errors as messages (never a 500)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from laget.cases.models import CaseStatusChange
from laget.cases.services import case_transition
from laget.records.models import Case, CaseStatus

pytestmark = pytest.mark.django_db


def page(client, case):
    return client.get(reverse("web:case_detail", kwargs={"case_id": case.pk}))


def post(client, case, **data):
    return client.post(reverse("web:case_status", kwargs={"case_id": case.pk}), data)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_coordinator_sees_the_allowed_moves_and_moves_the_case(client, login, scene):
    login(client, scene.coordinator.user)
    html = page(client, scene.case).content.decode()
    assert 'data-testid="case-status-form"' in html
    assert 'value="active"' in html and 'value="closed"' in html
    assert 'value="closing"' not in html
    response = post(client, scene.case, to="active", reason="Kartlegging viser behov.")
    assert response.status_code == 302
    assert response.url.endswith("#status")
    assert Case.objects.get(pk=scene.case.pk).status == CaseStatus.ACTIVE
    assert any("Aktiv" in t for t in texts(response))
    html = page(client, scene.case).content.decode()
    assert "Kartlegging viser behov." in html
    assert 'value="closing"' in html


@pytest.mark.parametrize("data, fragment", [
    ({"to": "active", "reason": ""}, "Begrunnelse"),
    ({"to": "closing", "reason": "Ikke lov herfra."}, "Ny status"),
    ({"to": "open", "reason": "Gammel status."}, "Ny status"),
    ({}, "Begrunnelse"),
])
def test_bad_input_comes_back_as_a_message(client, login, scene, data, fragment):
    login(client, scene.coordinator.user)
    response = post(client, scene.case, **data)
    assert response.status_code == 302
    assert any(fragment in t for t in texts(response))
    assert Case.objects.get(pk=scene.case.pk).status == CaseStatus.ASSESSMENT
    assert CaseStatusChange.objects.filter(case=scene.case).count() == 1


def test_a_move_made_meanwhile_is_a_message(client, login, scene):
    login(client, scene.coordinator.user)
    case_transition(actor=scene.leader, case=scene.case, to=CaseStatus.CLOSED, reason="Flyttet.")
    response = post(client, scene.case, to="active", reason="For sent.")
    assert response.status_code == 302
    assert texts(response)
    assert Case.objects.get(pk=scene.case.pk).status == CaseStatus.CLOSED


def test_a_team_member_sees_the_history_but_no_form(client, login, scene):
    case_transition(actor=scene.coordinator, case=scene.case, to=CaseStatus.ACTIVE,
                    reason="Behov for samordnet innsats.")
    login(client, scene.police.user)
    html = page(client, scene.case).content.decode()
    assert 'data-testid="status-history"' in html
    assert "Behov for samordnet innsats." in html
    assert 'data-testid="case-status-form"' not in html
    response = post(client, scene.case, to="closing", reason="Vil avslutte.")
    assert response.status_code == 302
    assert any("ikke endre statusen" in t for t in texts(response))
    assert Case.objects.get(pk=scene.case.pk).status == CaseStatus.ACTIVE


def test_another_bydels_coordinator_gets_404(client, login, scene):
    login(client, scene.other_coordinator.user)
    assert post(client, scene.case, to="active", reason="x").status_code == 404
    assert Case.objects.get(pk=scene.case.pk).status == CaseStatus.ASSESSMENT


def test_get_is_not_allowed(client, login, scene):
    login(client, scene.coordinator.user)
    assert client.get(reverse("web:case_status",
                              kwargs={"case_id": scene.case.pk})).status_code == 405


def test_a_closed_case_page_is_read_only(client, login, scene):
    case_transition(actor=scene.coordinator, case=scene.case, to=CaseStatus.CLOSED,
                    reason="Ikke grunnlag for en SaLTo-sak.")
    login(client, scene.coordinator.user)
    html = page(client, scene.case).content.decode()
    assert 'data-testid="case-closed"' in html
    assert reverse("web:entry_create", kwargs={"case_id": scene.case.pk}) not in html
    assert reverse("web:case_team_add", kwargs={"case_id": scene.case.pk}) not in html
    assert 'data-testid="case-status-form"' not in html
    assert "Ikke grunnlag for en SaLTo-sak." in html
