"""Innsyn pages: who may make a person's access report, what each version shows (withheld lines,
existence-confidential services), the PDF in both languages, and the leaders' withholdings with
their form errors."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from laget.audit import log
from laget.audit.actions import Action
from laget.audit.models import AuditEvent, Withholding
from laget.core import clock
from tests.pdf import pdf_text as text_of_pdf

pytestmark = pytest.mark.django_db


def _report_url(world, **query):
    url = reverse("web:innsyn_report", kwargs={"person_id": world.person.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _pdf_url(world, **query):
    url = reverse("web:innsyn_pdf", kwargs={"person_id": world.person.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def auditor(world, make_member, login):
    return login(Client(), make_member("auditor", agency_type="by", district=None))


@pytest.fixture
def coordinator(world, login):
    return login(Client(), world.coordinator)


@pytest.fixture
def police_leader(world, make_member, login):
    return login(Client(), make_member("leader", agency=world.police, first_name="Lise",
                                       last_name="Leder"))


def _officer_reads_the_case(world, login):
    officer = login(Client(), world.officer)
    assert officer.get(reverse("web:case_detail", kwargs={"case_id": world.case.pk})).status_code \
        == 200


def test_the_auditor_gets_the_full_report_for_anyone(world, auditor):
    response = auditor.get(_report_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="report"' in page and "Revisorversjon" in page
    assert "Haugen skole" in page and "Barneverntjenesten Stovner" in page
    assert world.person.national_id not in page
    event = AuditEvent.objects.get(action=Action.INNSYN_REPORT)
    assert event.details["version"] == "auditor" and event.details["requested_by"] == "tilsyn"


def test_a_team_member_makes_it_on_request_and_the_request_is_recorded(world, coordinator):
    page = coordinator.get(_report_url(world)).content.decode()
    assert 'name="anmodning"' in page and 'data-testid="report"' not in page
    assert not AuditEvent.objects.filter(action=Action.INNSYN_REPORT).exists()
    viewed = AuditEvent.objects.filter(action=Action.PERSON_VIEW).latest("id")  # name shown
    assert viewed.details == {"view": "innsyn"} and viewed.purpose == "innsyn"
    response = coordinator.get(_report_url(world, anmodning="guardian"))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="report"' in page
    assert "Personens versjon" in page and "Revisorversjon" not in page
    assert world.teacher.get_full_name() in page  # staff are named
    event = AuditEvent.objects.get(action=Action.INNSYN_REPORT)
    assert event.details["requested_by"] == "guardian" and event.purpose == "innsyn"
    assert list(event.subjects.values_list("person_id", flat=True)) == [world.person.pk]
    # a team member cannot ask for the auditor's version or pass as the auditor
    page = coordinator.get(_report_url(world, anmodning="tilsyn", versjon="revisor")).content
    assert b'data-testid="report"' not in page


def test_a_team_member_without_a_basis_is_not_told_about_barnevern(world, login):
    officer = login(Client(), world.officer)
    page = officer.get(_report_url(world, anmodning="person")).content.decode()
    assert "Haugen skole" in page  # the school's entry line names only its category
    assert "Barneverntjenesten Stovner" not in page and world.social_worker.last_name not in page
    assert "Barnevern" not in page.split('data-testid="lines"')[1]
    assert "revisor om en fullstendig rapport" in page


@pytest.mark.parametrize("who", ["stranger", "analyst", "leader"])
def test_others_may_not_make_the_report(world, make_member, login, who):
    users = {
        "stranger": lambda: make_member("caseworker", agency=world.bydel),  # not on the team
        "analyst": lambda: make_member("analyst", agency=world.bydel),
        "leader": lambda: make_member("leader", agency=world.bydel),
    }
    client = login(Client(), users[who]())
    expected = 404 if who == "stranger" else 403
    assert client.get(_report_url(world, anmodning="person")).status_code == expected
    assert client.get(_pdf_url(world, anmodning="person")).status_code == expected
    assert not AuditEvent.objects.filter(action=Action.INNSYN_REPORT).exists()
    if who == "stranger":
        assert AuditEvent.objects.filter(action=Action.PERSON_ACCESS_DENIED).exists()


def test_the_person_page_links_to_the_report_for_team_members(world, coordinator, make_member,
                                                              login):
    detail = reverse("web:person_detail", kwargs={"person_id": world.person.pk})
    assert 'data-testid="innsyn-link"' in coordinator.get(detail).content.decode()
    colleague = login(Client(), make_member("caseworker", agency=world.bydel))
    assert 'data-testid="innsyn-link"' not in colleague.get(detail).content.decode()


def test_the_case_page_links_to_the_report_for_team_members(world, login):
    """A police officer on the team cannot open the person page, but can make the report."""
    case_page = reverse("web:case_detail", kwargs={"case_id": world.case.pk})
    officer = login(Client(), world.officer)
    assert 'data-testid="innsyn-link"' in officer.get(case_page).content.decode()


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_pdf_in_both_languages(world, coordinator, auditor, language):
    log.checkpoint()
    response = coordinator.get(_pdf_url(world, anmodning="person", sprak=language))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(action=Action.INNSYN_PDF)
    assert event.details["language"] == language and event.details["version"] == "person"
    assert auditor.get(_pdf_url(world, sprak=language)).content.startswith(b"%PDF")
    text = text_of_pdf(response.content)
    assert world.person.full_name in text and world.person.national_id not in text
    assert "/api/v1/audit/proof/inclusion" in text


def test_the_pdf_without_a_requester_goes_back_to_the_page(world, coordinator):
    response = coordinator.get(_pdf_url(world, sprak="en"))
    assert response.status_code == 302
    assert response["Location"] == _report_url(world)


# --- withholdings --------------------------------------------------------------------------------

def _withholding_form(world, **overrides):
    data = {"national_id": world.person.national_id, "legal_reason": "criminal_investigation",
            "explanation": "Åpen etterforskning.",
            "ends_on": (clock.today() + dt.timedelta(days=60)).isoformat()}
    data.update(overrides)
    return data


def test_withheld_lines_leave_the_persons_report_and_the_auditor_sees_why(world, login,
                                                                          police_leader,
                                                                          coordinator, auditor):
    _officer_reads_the_case(world, login)
    officer_name = world.officer.get_full_name()
    assert officer_name in coordinator.get(_report_url(world, anmodning="person")).content.decode()

    create = reverse("web:withholding_create")
    assert police_leader.get(create).status_code == 200
    response = police_leader.post(create, _withholding_form(world))
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:withholding_list")
    withholding = Withholding.objects.get()
    assert withholding.agency == world.police
    assert AuditEvent.objects.filter(action=Action.WITHHOLDING_CREATE).count() == 1

    page = coordinator.get(_report_url(world, anmodning="person")).content.decode()
    assert officer_name not in page and "Lise Leder" not in page
    assert "holdt tilbake" not in page.lower()

    page = auditor.get(_report_url(world)).content.decode()
    assert 'data-testid="withheld"' in page and "Oslo politidistrikt" in page
    assert "Åpen etterforskning." in page and 'data-testid="withheld-line"' in page
    listed = police_leader.get(reverse("web:withholding_list")).content.decode()
    assert world.person.full_name in listed

    end = reverse("web:withholding_end", kwargs={"withholding_id": withholding.pk})
    assert police_leader.get(end).status_code == 200
    assert police_leader.post(end, {}).status_code == 200  # not confirmed: a form error
    assert police_leader.post(end, {"confirm": "on"}).status_code == 302
    withholding.refresh_from_db()
    assert withholding.ended_at is not None
    assert AuditEvent.objects.filter(action=Action.WITHHOLDING_END).count() == 1
    assert officer_name in coordinator.get(_report_url(world, anmodning="person")).content.decode()


@pytest.mark.parametrize(("overrides", "message"), [
    ({"ends_on": "2020-01-01"}, "Sluttdatoen må være etter i dag."),
    ({"ends_on": "ikke-en-dato"}, "Ugyldig dato."),
    ({"explanation": ""}, "Skriv en begrunnelse."),
    ({"legal_reason": "fordi"}, "Velg et rettsgrunnlag."),
    ({"national_id": "12345678901"}, ""),
])
def test_bad_withholdings_are_form_errors(world, login, police_leader, overrides, message):
    _officer_reads_the_case(world, login)
    response = police_leader.post(reverse("web:withholding_create"),
                                  _withholding_form(world, **overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skjemaet har feil" in page and message in page
    assert not Withholding.objects.exists()


def test_too_long_a_withholding_is_a_form_error(world, login, police_leader):
    _officer_reads_the_case(world, login)
    ends_on = (clock.today() + dt.timedelta(days=181)).isoformat()
    page = police_leader.post(reverse("web:withholding_create"),
                              _withholding_form(world, ends_on=ends_on)).content.decode()
    assert "høyst 180 dager" in page and not Withholding.objects.exists()


def test_a_leader_can_only_withhold_for_persons_the_agency_met(world, make_member, login):
    school_leader = login(Client(), make_member("leader", agency=world.school))
    # the school wrote an entry, so it has met the person; a health agency has not
    assert school_leader.post(reverse("web:withholding_create"),
                              _withholding_form(world)).status_code == 302
    health_leader = login(Client(), make_member("leader", agency_type="helse"))
    page = health_leader.post(reverse("web:withholding_create"),
                              _withholding_form(world)).content.decode()
    assert "Fant ingen person" in page
    assert Withholding.objects.count() == 1


def test_the_auditor_finds_a_person_by_number(world, auditor):
    lookup = reverse("web:innsyn_lookup")
    assert auditor.get(lookup).status_code == 200
    response = auditor.post(lookup, {"national_id": world.person.national_id})
    assert response.status_code == 302 and response["Location"] == _report_url(world)
    page = auditor.post(lookup, {"national_id": "12345678901"}).content.decode()
    assert "Skjemaet har feil" in page
