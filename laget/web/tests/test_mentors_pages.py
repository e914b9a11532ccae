"""Unge forbilder's pages: the programme page with its criteria for all staff (no personal data),
applying and referring with the number in the POST body (only persons the user may see), the
programme staff's list, assessment and decision, the submitter's status view, the mentor's page
with benefits and mentees — and 404 for everyone else, every read audited, bad input a clear
message that writes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from laget.audit.models import AuditEvent
from laget.core import clock
from laget.mentors import services
from laget.mentors.models import (
    Application,
    ApplicationStatus,
    Benefit,
    Mentorship,
    MentorshipStatus,
)
from laget.mentors.services import Decision
from laget.mentors.tests.conftest import Scene, build_scene
from laget.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(make_member) -> Scene:
    return build_scene(make_member)


@pytest.fixture
def client_for(login):
    return lambda actor: login(Client(), actor.user)


def apply_data(person, **kwargs) -> dict[str, str]:
    data = {"national_id": person.national_id, "motivation": "Hjelper yngre i klubben.",
            "consent_method": "skjema", "consent_on": clock.today().isoformat(),
            "consent_youth": "on", "consent_guardians": "on"}
    data.update(kwargs)
    return data


def views_of(actor) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="mentors.view", actor=actor.user)
                .order_by("occurred_at", "id"))


def test_the_programme_page_shows_the_criteria_to_all_staff_without_personal_data(
        scene, client_for):
    scene.apply()
    url = reverse("web:mentors_programme", kwargs={"programme_id": scene.programme.pk})
    for actor in (scene.school_worker, scene.analyst, scene.staff):
        response = client_for(actor).get(url)
        assert response.status_code == 200
        text = response.content.decode()
        assert "Ingen nye registreringer siste 12 måneder" in text
        assert scene.youth.given_name not in text
    listing = client_for(scene.school_worker).get(reverse("web:mentors_programmes"))
    assert scene.programme.name in listing.content.decode()
    # the outcomes (counts only) for the programme's staff and analysts, not for others
    assert b'data-testid="mentors-outcomes"' in client_for(scene.staff).get(url).content
    assert b'data-testid="mentors-outcomes"' in client_for(scene.analyst).get(url).content
    assert b'data-testid="mentors-outcomes"' not in client_for(scene.school_worker).get(
        url).content
    assert client_for(scene.staff).get(url + "?ar=abc").status_code == 200


def test_apply_by_number_in_the_post_body(scene, client_for):
    client = client_for(scene.club_worker)
    url = reverse("web:mentors_apply", kwargs={"programme_id": scene.programme.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, apply_data(scene.youth))
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:mentors_application",
                                           kwargs={"application_id": application.pk})
    assert scene.youth.national_id not in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Sendt, venter på vurdering" in page.content.decode()
    assert b"mentors-assess-form" not in page.content  # the submitter sees the status only
    mine = client.get(reverse("web:mentors_mine"))
    assert scene.youth.full_name in mine.content.decode()


def test_apply_refuses_a_person_the_user_may_not_see_and_writes_nothing(scene, client_for):
    stranger = PersonFactory(birth_date=scene.youth.birth_date, district_id="030112")
    url = reverse("web:mentors_apply", kwargs={"programme_id": scene.programme.pk})
    response = client_for(scene.club_worker).post(url, apply_data(stranger))
    assert response.status_code == 200
    assert "blant personene du har tilgang til" in response.content.decode()
    assert stranger.given_name not in response.content.decode()
    assert not Application.objects.exists()
    assert response["Cache-Control"] == "no-store"


def test_apply_without_consent_is_a_form_error(scene, client_for):
    url = reverse("web:mentors_apply", kwargs={"programme_id": scene.programme.pk})
    client = client_for(scene.club_worker)
    response = client.post(url, apply_data(scene.youth, consent_youth=""))
    assert "Den unge må samtykke selv." in response.content.decode()
    fifteen = PersonFactory(birth_date=clock.today().replace(year=clock.today().year - 15),
                            registered_by_agency=scene.club)
    response = client.post(url, apply_data(fifteen, consent_guardians=""))
    assert "foresatte med foreldreansvar må også samtykke" in response.content.decode()
    response = client.post(url, apply_data(scene.youth, consent_on="", national_id="123"))
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_applications_are_the_programme_staffs_and_the_submitters_only(scene, client_for):
    application = scene.apply()
    desk = reverse("web:mentors_desk", kwargs={"programme_id": scene.programme.pk})
    page = reverse("web:mentors_application", kwargs={"application_id": application.pk})
    staff = client_for(scene.staff).get(desk)
    assert staff.status_code == 200
    assert scene.youth.full_name in staff.content.decode()
    event = views_of(scene.staff)[-1]
    assert list(event.subjects.values_list("person_id", flat=True)) == [scene.youth.pk]
    for outsider in (scene.school_worker,):
        assert client_for(outsider).get(desk).status_code == 404
        assert client_for(outsider).get(page).status_code == 404
        assert views_of(outsider)[-1].outcome == "denied"
    # the submitter sees the status but not the programme's list, and may not assess
    assert client_for(scene.club_worker).get(desk).status_code == 404
    criterion = scene.programme.criteria.first()
    response = client_for(scene.club_worker).post(page, {
        "action": "assess", f"result_{criterion.pk}": "oppfylt"})
    assert response.status_code == 404
    assert not application.assessments.exists()
    # an analyst has no case role: closed
    assert client_for(scene.analyst).get(page).status_code == 403


def test_assess_and_decide_on_the_page(scene, client_for):
    application = scene.apply()
    client = client_for(scene.staff)
    page = reverse("web:mentors_application", kwargs={"application_id": application.pk})
    response = client.get(page)
    assert b"mentors-assess-form" in response.content
    assert "Alle kriteriene må vurderes" in response.content.decode()
    # enrolling before the assessment: a clear message, nothing written
    response = client.post(page, {"action": "decide", "decision": Decision.ENROL})
    assert response.status_code == 200
    assert "Alle kriteriene må vurderes" in response.content.decode()
    data = {"action": "assess"}
    for criterion in scene.programme.criteria.all():
        data[f"result_{criterion.pk}"] = "oppfylt"
        data[f"note_{criterion.pk}"] = "Bekreftet av klubben."
    assert client.post(page, data).status_code == 302
    assert application.assessments.count() == 3
    # rejecting without a reason is a form error
    response = client.post(page, {"action": "decide", "decision": Decision.REJECT})
    assert "Skriv hvorfor søknaden avslås." in response.content.decode()
    assert client.post(page, {"action": "decide", "decision": Decision.ENROL}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ENROLLED
    response = client.get(page)
    assert reverse("web:mentors_mentor", kwargs={"mentor_id": application.mentor.pk}) in (
        response.content.decode())
    # the submitter now sees «Tatt opp»
    assert "Tatt opp" in client_for(scene.club_worker).get(page).content.decode()


@pytest.fixture
def mentor(scene):
    application = scene.apply()
    scene.assess_all(application)
    services.application_decide(actor=scene.staff, application=application,
                                decision=Decision.ENROL)
    return application.mentor


def test_the_mentor_page_with_benefits_and_mentees(scene, mentor, client_for):
    refer = reverse("web:mentors_refer", kwargs={"programme_id": scene.programme.pk})
    response = client_for(scene.club_worker).post(refer, apply_data(scene.child))
    assert response.status_code == 302
    referral = Mentorship.objects.get()
    client = client_for(scene.staff)
    url = reverse("web:mentors_mentor", kwargs={"mentor_id": mentor.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert scene.child.full_name in response.content.decode()  # in the pairing form
    assert client.post(url, {"action": "benefit", "kind": "tur",
                             "given_on": clock.today().isoformat(),
                             "description": "Fjelltur med klubben"}).status_code == 302
    response = client.post(url, {"action": "benefit", "kind": "tur", "given_on": "",
                                 "description": ""})
    assert "Oppgi datoen." in response.content.decode()
    assert Benefit.objects.count() == 1
    assert client.post(url, {"action": "pair", "mentorship": referral.pk}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == MentorshipStatus.ACTIVE
    assert client.post(url, {"action": "update", "mentorship": referral.pk, "meetings": "2",
                             "notes": "Tirsdager."}).status_code == 302
    response = client.post(url, {"action": "update", "mentorship": referral.pk,
                                 "meetings": "1", "notes": ""})
    assert "kan ikke bli lavere" in response.content.decode()
    referral.refresh_from_db()
    assert referral.meetings == 2
    assert client.post(url, {"action": "end", "mentorship": "0" * 32}).status_code == 404
    event = AuditEvent.objects.filter(action="mentors.view", details__view="mentor").latest(
        "occurred_at")
    assert set(event.subjects.values_list("person_id", flat=True)) == {scene.youth.pk,
                                                                        scene.child.pk}
    for outsider in (scene.club_worker, scene.school_worker):
        assert client_for(outsider).get(url).status_code == 404
