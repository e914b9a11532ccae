"""The case pages as the team sees them: what renders, what is hidden and how it is explained,
what is never hinted at, corrections, attachments, team changes and emergency access."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laget.accounts.tests.factories import AgencyFactory
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import NotFound
from laget.people.tests.factories import PersonFactory
from laget.records.models import Case, TeamMember
from laget.records.services import team_member_add
from laget.sharing import services as sharing_services
from laget.sharing.models import BasisKind, Disclosure, EmergencyAccess
from laget.web.tests.conftest import actor_of

pytestmark = pytest.mark.django_db


def _client(login, user) -> Client:
    return login(Client(), user)


def _case_url(world, name="web:case_detail", **kwargs):
    return reverse(name, kwargs={"case_id": world.case.pk, **kwargs})


def _entry_url(world, entry, name="web:entry_detail"):
    return reverse(name, kwargs={"case_id": world.case.pk, "entry_id": entry.pk})


def test_every_case_page_renders_for_a_team_member(world, login):
    teacher = _client(login, world.teacher)
    urls = [
        reverse("web:case_list"), reverse("web:entry_mine"), _case_url(world),
        _case_url(world, "web:entry_create"), _entry_url(world, world.school_entry),
        _entry_url(world, world.school_entry, "web:entry_correct"),
        _case_url(world, "web:emergency_open"), _case_url(world, "web:case_team_add"),
        _case_url(world, "web:consent_list"), _case_url(world, "web:consent_create"),
    ]
    for url in urls:
        response = teacher.get(url)
        assert response.status_code == 200, url
    page = teacher.get(_case_url(world)).content.decode()
    assert "Fravær 30 prosent siste måned." in page and "Sara Syntetisk" in page
    mine = teacher.get(reverse("web:entry_mine")).content.decode()
    assert "Fravær 30 prosent" in mine
    listed = teacher.get(reverse("web:case_list")).content.decode()
    assert _case_url(world) in listed


def test_start_page_links_the_case_pages(world, login):
    page = _client(login, world.teacher).get(reverse("web:start")).content.decode()
    assert reverse("web:case_list") in page and reverse("web:entry_mine") in page


def test_someone_not_on_the_team_gets_404_and_the_attempt_is_audited(world, login, make_member):
    outsider = make_member("caseworker", agency=world.police)
    client = _client(login, outsider)
    for url in (_case_url(world), _entry_url(world, world.school_entry),
                _case_url(world, "web:consent_list"), _case_url(world, "web:emergency_open")):
        assert client.get(url).status_code == 404, url
    denied = AuditEvent.objects.filter(actor=outsider, action="case.access_denied")
    assert denied.count() == 4 and {e.outcome for e in denied} == {"denied"}


def test_team_member_without_a_basis_gets_404_for_the_entry(world, login):
    response = _client(login, world.officer).get(_entry_url(world, world.school_entry))
    assert response.status_code == 404
    event = AuditEvent.objects.get(actor=world.officer, action="entry.access_denied")
    assert event.details["object_id"] == str(world.school_entry.pk)


def test_hidden_line_for_school_entry_until_a_consent_covers_it(world, login):
    officer = _client(login, world.officer)
    page = officer.get(_case_url(world)).content.decode()
    assert "1 opplysning fra Haugen skole (Skole) er ikke tilgjengelig for deg." in page
    assert "Fravær 30 prosent" not in page
    assert "Et samtykke fra familien kan gi deg tilgang." in page
    assert "kategori=skole&amp;mottaker=politi" in page  # the remedy links to a consent form

    world.consent()
    page = officer.get(_case_url(world)).content.decode()
    assert "Fravær 30 prosent siste måned." in page
    assert "Haugen skole (Skole)" not in page
    why = officer.get(_entry_url(world, world.school_entry)).content.decode()
    assert "Hvorfor ser jeg dette?" in why and "forvaltningsloven § 13 a nr. 1" in why
    assert "utkast — til juridisk gjennomgang" in why  # no rule in the file is reviewed yet
    assert Disclosure.objects.filter(user=world.officer, basis_kind=BasisKind.CONSENT).exists()


def test_barnevern_is_never_hinted_at(world, login):
    officer = _client(login, world.officer)
    pages = [officer.get(url).content.decode() for url in (
        _case_url(world), _case_url(world, "web:emergency_open"), reverse("web:entry_mine"))]
    for page in pages:
        assert "Barneverntjenesten" not in page
        assert "Barnevern" not in page
        assert "Hemmelig" not in page
    # Not even a crafted request for the group opens or confirms it.
    key = f"{world.barnevern.pk}:plan"
    response = officer.post(_case_url(world, "web:emergency_open"),
                            {"group": key, "reason": "Akutt fare for den unges liv."})
    assert response.status_code == 200
    assert "Velg en av gruppene i listen." in response.content.decode()
    with pytest.raises(NotFound):
        sharing_services.emergency_open_group(
            actor=actor_of(world.officer), case=world.case, source_agency_id=world.barnevern.pk,
            category="barnevern", reason="Akutt fare for den unges liv.")
    with pytest.raises(NotFound):
        sharing_services.emergency_open_group(
            actor=actor_of(world.officer), case=world.case, source_agency_id=world.barnevern.pk,
            category="plan", reason="Akutt fare for den unges liv.")
    assert not EmergencyAccess.objects.exists()
    # Barnevern itself sees its own entries and its member on the team.
    own = _client(login, world.social_worker).get(_case_url(world)).content.decode()
    assert "Hemmelig barnevern." in own and "Barneverntjenesten Stovner" in own


def test_correction_keeps_both_versions(world, login):
    teacher = _client(login, world.teacher)
    response = teacher.post(_entry_url(world, world.school_entry, "web:entry_correct"),
                            {"text": "Fravær 20 prosent siste måned."})
    assert response.status_code == 302
    new_page = teacher.get(response["Location"]).content.decode()
    assert "Fravær 20 prosent siste måned." in new_page
    assert "Historikk" in new_page and "Fravær 30 prosent siste måned." in new_page
    old_page = teacher.get(_entry_url(world, world.school_entry)).content.decode()
    assert "Denne versjonen er rettet." in old_page
    case_page = teacher.get(_case_url(world)).content.decode()
    assert "Fravær 20 prosent" in case_page and "Fravær 30 prosent" not in case_page
    assert AuditEvent.objects.filter(actor=world.teacher, action="entry.correct").count() == 1
    # A second correction of the old version is refused as a form error.
    again = teacher.post(_entry_url(world, world.school_entry, "web:entry_correct"),
                         {"text": "Noe annet."})
    assert again.status_code == 200 and "allerede rettet" in again.content.decode()


def test_another_agencys_entry_cannot_be_corrected(world, login):
    world.consent()
    officer = _client(login, world.officer)
    assert officer.get(_entry_url(world, world.school_entry, "web:entry_correct")).status_code \
        == 404
    response = officer.post(_entry_url(world, world.school_entry, "web:entry_correct"),
                            {"text": "Endret av politiet."})
    assert response.status_code == 404


def test_new_entry_with_attachment_is_downloaded_as_attachment(world, login):
    teacher = _client(login, world.teacher)
    upload = SimpleUploadedFile("fravaer.txt", b"uke 1: 2 dager", content_type="text/plain")
    response = teacher.post(_case_url(world, "web:entry_create"),
                            {"category": "skole", "text": "Fraværsrapport.",
                             "attachment": upload})
    assert response.status_code == 302
    page = teacher.get(response["Location"]).content.decode()
    assert "fravaer.txt" in page and "/media/" not in page
    link = page.split('href="')[1:]
    download = next(href.split('"')[0] for href in link if "/vedlegg/" in href)
    file_response = teacher.get(download)
    assert file_response.status_code == 200
    assert file_response["Content-Disposition"].startswith("attachment;")
    assert b"".join(file_response.streaming_content) == b"uke 1: 2 dager"
    assert AuditEvent.objects.filter(action="entry.attachment_view").exists()
    # The police member sees neither the entry nor the file.
    assert _client(login, world.officer).get(download).status_code == 404


def test_bad_entries_are_form_errors_and_write_nothing(world, login):
    teacher = _client(login, world.teacher)
    before = AuditEvent.objects.filter(action="entry.create").count()
    cases = [
        ({"category": "ukjent", "text": "x"}, "Ukjent kategori."),
        ({"category": "skole", "text": ""}, "Skriv opplysningen."),
        ({"category": "skole", "text": "Med vedlegg.",
          "attachment": SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdos")},
         "Vedlegg må være PDF, PNG, JPEG, tekst eller Word."),
    ]
    for data, message in cases:
        response = teacher.post(_case_url(world, "web:entry_create"), data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert AuditEvent.objects.filter(action="entry.create").count() == before


def test_emergency_access_to_a_hidden_group_and_the_leaders_review(world, login, make_member):
    officer = _client(login, world.officer)
    form = officer.get(_case_url(world, "web:emergency_open")).content.decode()
    assert "1 opplysning fra Haugen skole (Skole)" in form
    key = f"{world.school.pk}:skole"
    short = officer.post(_case_url(world, "web:emergency_open"), {"group": key, "reason": "kort"})
    assert "minst 10 tegn" in short.content.decode()
    assert not EmergencyAccess.objects.exists()
    response = officer.post(_case_url(world, "web:emergency_open"),
                            {"group": key, "reason": "Trusler om vold i kveld, må finne skolen."})
    assert response.status_code == 200
    assert "Fravær 30 prosent siste måned." in response.content.decode()
    access = EmergencyAccess.objects.get()
    assert access.user == world.officer and access.source_agency == world.school
    assert Disclosure.objects.get(user=world.officer).basis_kind == BasisKind.EMERGENCY
    event = AuditEvent.objects.get(action="entry.emergency_access")
    assert event.purpose == "fare_liv_helse" and event.basis == "nodtilgang"
    # The case page itself still does not show the entry: emergency access is for that moment.
    assert "Fravær 30 prosent" not in officer.get(_case_url(world)).content.decode()

    principal = make_member("leader", agency=world.school)
    leader = _client(login, principal)
    queue = leader.get(reverse("web:emergency_review_list")).content.decode()
    review_url = reverse("web:emergency_review", kwargs={"access_id": access.pk})
    assert review_url in queue
    assert "Trusler om vold" in leader.get(review_url).content.decode()
    missing_note = leader.post(review_url, {"outcome": "not_justified", "note": ""})
    assert "Begrunn hvorfor" in missing_note.content.decode()
    assert leader.post(review_url, {"outcome": "justified"}).status_code == 302
    access.refresh_from_db()
    assert access.review_outcome == "justified" and access.reviewed_by == principal
    assert review_url not in leader.get(reverse("web:emergency_review_list")).content.decode()
    # Another agency's leader never sees it.
    other = make_member("leader", agency=world.police)
    assert _client(login, other).get(review_url).status_code == 404


def test_team_add_through_the_form_and_end_membership(world, login, make_member):
    nav = AgencyFactory(type="nav", name="NAV Stovner")
    adviser = make_member("caseworker", agency=nav, first_name="Nils", last_name="Navesen")
    coordinator = _client(login, world.coordinator)
    url = _case_url(world, "web:case_team_add")
    step = coordinator.get(url, {"agency": nav.pk}).content.decode()
    assert "Nils Navesen" in step
    response = coordinator.post(url, {"agency": nav.pk, "user": adviser.pk,
                                      "team_role": "Veileder"})
    assert response.status_code == 302
    member = TeamMember.objects.active().get(case=world.case, user=adviser)
    assert "Nils Navesen" in coordinator.get(_case_url(world)).content.decode()
    assert _client(login, adviser).get(_case_url(world)).status_code == 200
    # A user from another agency than the one chosen is refused.
    stranger = make_member("caseworker", agency=world.police)
    bad = coordinator.post(url, {"agency": nav.pk, "user": stranger.pk})
    assert bad.status_code == 200 and "Velg en person i listen." in bad.content.decode()

    end = reverse("web:case_team_end", kwargs={"case_id": world.case.pk, "member_id": member.pk})
    assert coordinator.post(end).status_code == 302
    assert not TeamMember.objects.active().filter(pk=member.pk).exists()
    assert _client(login, adviser).get(_case_url(world)).status_code == 404


def test_a_caseworker_cannot_add_or_end_members(world, login):
    teacher = _client(login, world.teacher)
    page = teacher.get(_case_url(world, "web:case_team_add")).content.decode()
    assert "Bare sakens koordinator" in page
    officer_member = TeamMember.objects.get(case=world.case, user=world.officer)
    end = reverse("web:case_team_end",
                  kwargs={"case_id": world.case.pk, "member_id": officer_member.pk})
    teacher.post(end)
    assert TeamMember.objects.active().filter(pk=officer_member.pk).exists()


def test_coordinator_opens_a_case_from_the_person_page(login, make_member):
    bydel = AgencyFactory(type="bydel", district_id="030111")
    coordinator = make_member("coordinator", agency=bydel)
    person = PersonFactory(district_id="030111",
                           birth_date=clock.today() - dt.timedelta(days=365 * 13))
    client = _client(login, coordinator)
    person_url = reverse("web:person_detail", kwargs={"person_id": person.pk})
    assert "Åpne SaLTo-sak" in client.get(person_url).content.decode()
    response = client.post(reverse("web:case_open"), {"person": person.pk})
    case = Case.objects.get(person=person)
    assert response["Location"] == reverse("web:case_detail", kwargs={"case_id": case.pk})
    page = client.get(person_url).content.decode()
    assert "Gå til saken" in page and "Åpne SaLTo-sak" not in page
    again = client.post(reverse("web:case_open"), {"person": person.pk}, follow=True)
    assert "allerede en åpen sak" in again.content.decode()
    assert client.post(reverse("web:case_open"), {"person": "nei"}).status_code == 400


def test_a_caseworker_is_not_offered_to_open_a_case(login, make_member):
    caseworker = make_member("caseworker")
    person = PersonFactory(district_id="030111")
    client = _client(login, caseworker)
    page = client.get(reverse("web:person_detail", kwargs={"person_id": person.pk}))
    assert "Åpne SaLTo-sak" not in page.content.decode()
    client.post(reverse("web:case_open"), {"person": person.pk})
    assert not Case.objects.exists()


def test_coordinator_is_warned_of_a_consent_that_lapses_at_16(world, login, settings):
    settings.LAGET_CONSENT_LAPSE_WARNING_DAYS = 30
    today = clock.today()
    world.person.birth_date = today.replace(year=today.year - 16) + dt.timedelta(days=10)
    world.person.save()
    consent = world.consent(valid_to=today + dt.timedelta(days=200))
    page = _client(login, world.coordinator).get(_case_url(world)).content.decode()
    assert "Samtykke må fornyes" in page and "Personen fyller 16 år" in page
    assert reverse("web:consent_detail",
                   kwargs={"case_id": world.case.pk, "consent_id": consent.pk}) in page
    # Not yet within the warning period: no warning.
    settings.LAGET_CONSENT_LAPSE_WARNING_DAYS = 5
    page = _client(login, world.coordinator).get(_case_url(world)).content.decode()
    assert "Samtykke må fornyes" not in page


def test_emergency_access_covered_by_a_rule_needs_no_review(world, login, draft_rules_in_force):
    # With the draft rules in force, fvl. § 13 b nr. 7 lets the school share with the police to
    # avert danger: the entries are read on that rule, and no leader has anything to review.
    officer = _client(login, world.officer)
    response = officer.post(_case_url(world, "web:emergency_open"),
                            {"group": f"{world.school.pk}:skole",
                             "reason": "Trusler om vold i kveld, må finne skolen."})
    assert "Fravær 30 prosent siste måned." in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    disclosure = Disclosure.objects.get(user=world.officer)
    assert disclosure.basis_kind == BasisKind.RULE
    assert disclosure.rule.rule_id == "fvl-13b-nr7-fare-liv-helse"
    event = AuditEvent.objects.get(action="entry.emergency_access")
    assert event.basis == "fvl-13b-nr7-fare-liv-helse"


def test_case_page_queries_do_not_grow_with_entries_or_team(world, login, make_member):
    world.consent()
    officer = _client(login, world.officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert officer.get(_case_url(world)).status_code == 200
        return len(captured)

    before = queries()
    teacher = actor_of(world.teacher)
    for n in range(4):
        sharing_services.entry_add(actor=teacher, case=world.case, category="skole",
                                   text=f"Oppfølging {n}.")
    lead = actor_of(world.coordinator)
    for _ in range(3):
        colleague = make_member("caseworker", agency=world.school)
        team_member_add(actor=lead, case=world.case, user=colleague, agency=world.school)
    assert queries() == before
