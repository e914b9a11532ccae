"""The rectification pages: a team member registers a request from the entry page, the owning
agency's caseworker sees it in the list with its deadline and decides it, after which the case
page shows the new text and the entry's history the old; the family asks on their pages and sees
the decision and its reason."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laget.core import clock
from laget.family.tests.scene import SCHOOL_TEXT, actor_of
from laget.family.tests.test_family import citizen_login, page
from laget.rectification import services
from laget.rectification.models import RectificationRequest

pytestmark = pytest.mark.django_db
NEW_TEXT = "Fravær 3 prosent siste måned."


def _register(scene):
    return services.request_register(
        actor=scene.barnevern, case=scene.case, entry_ids=[scene.entry.pk], kind="correction",
        what_is_wrong="Fraværet er feil regnet.", should_say=NEW_TEXT)


def test_a_team_member_registers_a_request_from_the_entry_page(client, login, scene):
    login(client, scene.barnevern.user)
    entry_page = page(client, reverse("web:entry_detail", args=[scene.case.pk, scene.entry.pk]))
    create = reverse("web:rectification_create", args=[scene.case.pk])
    assert f"{create}?opplysning={scene.entry.pk}" in entry_page
    assert create in page(client, reverse("web:case_detail", args=[scene.case.pk]))
    form = page(client, f"{create}?opplysning={scene.entry.pk}")
    assert SCHOOL_TEXT in form and "checked" in form
    bad = client.post(create, {"kind": "correction", "requested_by": "self",
                               "what_is_wrong": ""})
    assert bad.status_code == 200 and "Skriv hva som er feil." in bad.content.decode()
    assert not RectificationRequest.objects.exists()
    response = client.post(create, {
        "entries": [str(scene.entry.pk)], "kind": "correction",
        "requested_by": str(scene.father.pk), "what_is_wrong": "Fraværet er feil regnet.",
        "should_say": NEW_TEXT})
    request = RectificationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:rectification_detail", args=[request.pk])
    assert request.guardian == scene.father and request.agency == scene.school.agency
    detail = page(client, response["Location"])
    assert "Fraværet er feil regnet." in detail and SCHOOL_TEXT in detail
    assert 'data-testid="decide-form"' not in detail  # barnevern does not own the entry


def test_the_owner_lists_decides_and_the_case_page_shows_the_new_text(client, login, scene):
    request = _register(scene)
    login(client, scene.school.user)
    listing = page(client, reverse("web:rectification_list"))
    url = reverse("web:rectification_detail", args=[request.pk])
    assert url in listing and "Sara Syntetisk" in listing
    assert 'data-testid="overdue"' not in listing
    later = clock.now() + dt.timedelta(days=40)
    with clock.frozen(later):  # past the month: overdue, in red
        assert 'data-testid="overdue"' in page(client, reverse("web:rectification_list"))
        assert 'data-testid="overdue"' in page(client, url)
    detail = page(client, url)
    assert 'data-testid="decide-form"' in detail and SCHOOL_TEXT in detail
    missing = client.post(url, {"decision": "corrected", "reason": "Feil tall."})
    assert "Skriv hva opplysningen skal si etter rettingen." in missing.content.decode()
    assert RectificationRequest.objects.get().is_open
    response = client.post(url, {"decision": "corrected", "reason": "Feil tall i protokollen.",
                                 "corrected_text": NEW_TEXT})
    assert response.status_code == 302
    decided = page(client, url)
    assert "Feil tall i protokollen." in decided and 'data-testid="decide-form"' not in decided
    # the case page: the new text, not the old
    case_page = page(client, reverse("web:case_detail", args=[scene.case.pk]))
    assert NEW_TEXT in case_page and SCHOOL_TEXT not in case_page
    # the old version's page says it is corrected; the history keeps it
    correction = RectificationRequest.objects.get().entries.get().correction_id
    old_page = page(client, reverse("web:entry_detail", args=[scene.case.pk, scene.entry.pk]))
    assert 'data-testid="superseded"' in old_page and SCHOOL_TEXT in old_page
    new_page = page(client, reverse("web:entry_detail", args=[scene.case.pk, correction]))
    assert NEW_TEXT in new_page and SCHOOL_TEXT in new_page  # the history lists the old one
    assert "?opplysning=" not in old_page  # no request about a superseded version


def test_a_request_is_not_found_for_those_who_neither_decide_nor_registered(
        client, login, scene, make_member):
    request = _register(scene)
    url = reverse("web:rectification_detail", args=[request.pk])
    login(client, scene.coordinator.user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "rejected", "reason": "Nei."}).status_code == 404
    colleague = actor_of(make_member("caseworker", agency=scene.school.agency))
    login(client, colleague.user)
    assert client.get(url).status_code == 404
    police = make_member("caseworker", agency_type="politi")
    login(client, police)
    assert client.get(reverse("web:rectification_create", args=[scene.case.pk])).status_code == 404
    # the registrar sees it but cannot decide
    login(client, scene.barnevern.user)
    response = client.post(url, {"decision": "rejected", "reason": "Nei."})
    assert response.status_code == 302
    assert RectificationRequest.objects.get().is_open


def test_the_family_asks_for_a_correction_and_sees_the_decision_and_reason(
        client, family_on, scene):
    citizen_login(client, family_on, scene.mother.national_id)
    person = page(client, reverse("family:person", args=[scene.person.pk]))
    url = reverse("family:rectification", args=[scene.person.pk])
    assert url in person
    form = page(client, url)
    # the plan items the family sees, and nothing the family does not
    assert "Ukentlig samtale med Sara" in form and "Hjemmebesøk" not in form
    assert "Internt teammål" not in form
    bad = client.post(url, {"kind": "correction", "what_is_wrong": " "})
    assert bad.status_code == 400
    hidden = client.post(url, {"kind": "correction", "what_is_wrong": "Feil.",
                               "item": f"task:{scene.barnevern_task.pk}"})
    assert hidden.status_code == 400  # not a plan item the family sees
    assert not RectificationRequest.objects.exists()
    response = client.post(url, {"kind": "correction", "item": f"task:{scene.school_task.pk}",
                                 "what_is_wrong": "Samtalen er hver fjortende dag.",
                                 "should_say": "Samtale annenhver uke."})
    assert response.status_code == 302 and response["Location"] == url
    request = RectificationRequest.objects.get()
    assert request.agency == scene.school.agency and request.guardian == scene.mother
    assert request.requested_by == "guardian" and request.channel == "family"
    listed = page(client, url)
    assert "Samtalen er hver fjortende dag." in listed and "svar innen" in listed
    services.request_decide(actor=scene.school, request=request, decision="rejected",
                            reason="Samtalen er ukentlig etter avtale i møtet.")
    decided = page(client, url)
    assert "Ikke rettet" in decided
    assert "Samtalen er ukentlig etter avtale i møtet." in decided


def test_a_guardian_of_another_child_cannot_open_the_page(client, family_on, scene):
    from laget.family.tests.scene import birth_date_for, number
    from laget.people.tests.factories import GuardianFactory, PersonFactory
    other = GuardianFactory(person=PersonFactory(birth_date=birth_date_for(12)),
                            national_id=number(birth_date_for(40)))
    citizen_login(client, family_on, other.national_id)
    url = reverse("family:rectification", args=[scene.person.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "correction", "what_is_wrong": "Feil."}).status_code == 404
    assert not RectificationRequest.objects.exists()


def test_the_list_reads_in_the_same_number_of_queries_for_more_requests(
        client, login, scene):
    login(client, scene.school.user)
    url = reverse("web:rectification_list")
    _register(scene)
    with CaptureQueriesContext(connection) as one:
        page(client, url)
    for _ in range(3):
        _register(scene)
    with CaptureQueriesContext(connection) as four:
        text = page(client, url)
    assert text.count('href="/retting/') == 4
    assert len(four.captured_queries) == len(one.captured_queries)


def test_the_owner_extends_the_deadline_and_the_family_sees_why(client, login, family_on, scene):
    request = _register(scene)
    url = reverse("web:rectification_detail", args=[request.pk])
    login(client, scene.barnevern.user)  # the registrar may not extend
    assert 'data-testid="extend-form"' not in page(client, url)
    refused = client.post(url, {"step": "extend", "extension_reason": "Mange krav."})
    assert refused.status_code == 302 and not RectificationRequest.objects.get().is_extended
    login(client, scene.school.user)
    assert 'data-testid="extend-form"' in page(client, url)
    missing = client.post(url, {"step": "extend", "extension_reason": " "})
    assert missing.status_code == 400
    assert "Skriv hvorfor fristen må forlenges." in missing.content.decode()
    response = client.post(url, {"step": "extend",
                                 "extension_reason": "Kravet gjelder mange notater."})
    assert response.status_code == 302
    extended = RectificationRequest.objects.get()
    assert extended.deadline == clock.add_months(request.deadline, 2)
    detail = page(client, url)
    assert 'data-testid="extension-reason"' in detail and 'data-testid="extend-form"' not in detail
    assert 'data-testid="decide-form"' in detail  # still to be decided
    # the family's page shows the new deadline and the reason
    family = extended.person
    family_request = RectificationRequest.objects.filter(pk=extended.pk)
    family_request.update(channel="family", registered_by=None, registered_by_agency=None,
                          requested_by="guardian", guardian=scene.mother)
    client.logout()
    citizen_login(client, family_on, scene.mother.national_id)
    shown = page(client, reverse("family:rectification", args=[family.pk]))
    assert 'data-testid="family-extension"' in shown and "Kravet gjelder mange notater." in shown
