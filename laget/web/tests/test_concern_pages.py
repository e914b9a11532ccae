"""The concern pages: submitting (the receipt never says what became of the concern), the
submitter's own list, and the coordinator's assessment — opening a case with or without a
registered person, no basis, and the clear refusals."""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from laget.accounts.models import User
from laget.accounts.tests.factories import AgencyFactory
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.cases.models import Concern, ConcernStatus
from laget.cases.services import case_open
from laget.core import clock
from laget.people.models import Person
from laget.people.tests.factories import PersonFactory
from laget.records.access import entries_opened
from laget.records.models import Case, CaseStatus, Entry
from laget.web.tests.conftest import actor_of

pytestmark = pytest.mark.django_db

STOVNER = "030111"


@dataclass
class Scene:
    coordinator: User
    leader: User
    caseworker: User
    teacher: User
    colleague: User  # same school, same name as the teacher
    other_coordinator: User
    case: Case


def born(years: int) -> dt.date:
    return clock.today() - dt.timedelta(days=int(years * 365.25) + 40)


@pytest.fixture
def scene(make_member, rulebook) -> Scene:
    def member(role, **kwargs):
        return make_member(role, password=None, **kwargs)

    bydel = AgencyFactory(type="bydel", name="Bydel Stovner", district_id=STOVNER)
    school = AgencyFactory(type="skole", name="Haugen skole", district_id=STOVNER)
    coordinator = member("coordinator", agency=bydel)
    case = case_open(actor=actor_of(coordinator),
                     person=PersonFactory(district_id=STOVNER, birth_date=born(14),
                                          given_name="Sara"))
    return Scene(
        coordinator=coordinator, leader=member("leader", agency=bydel),
        caseworker=member("caseworker", agency=bydel),
        teacher=member("caseworker", agency=school, first_name="Kari", last_name="Lærer"),
        colleague=member("caseworker", agency=school, first_name="Kari", last_name="Lærer"),
        other_coordinator=member("coordinator", district="030112"), case=case)


def client_for(login, user) -> Client:
    return login(Client(), user)


def form(**overrides):
    data = {"national_id": "", "given_name": "Ola", "family_name": "Syntetisk",
            "birth_date": born(13).isoformat(), "district": STOVNER,
            "text": "Har fått nye, eldre venner og skulker."}
    data.update(overrides)
    return data


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def normalized(html: str) -> str:
    """The page without what differs between any two requests (tokens and nonces)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", html)
    return re.sub(r'nonce="[^"]+"', "NONCE", html)


# --- submitting ----------------------------------------------------------------------------------

def test_the_form_preselects_the_agency_bydel_and_explains_the_silence(scene, login):
    page = client_for(login, scene.teacher).get(reverse("web:concern_create")).content.decode()
    assert f'<option value="{STOVNER}" selected>' in page
    assert "ikke svar på hva koordinatoren gjør" in page


def test_the_submitter_cannot_tell_a_person_with_a_case_from_one_without(scene, login):
    """The same user-facing bytes whether the number belongs to a person with an open case or to
    no one registered: the POST's answer, the receipt and the list of my concerns."""
    teacher, colleague = client_for(login, scene.teacher), client_for(login, scene.colleague)
    person = scene.case.person
    with clock.frozen(clock.now()):
        landed = teacher.post(reverse("web:concern_create"), form(
            national_id=person.national_id, birth_date="", given_name=person.given_name,
            family_name=person.family_name), follow=True)
        unknown = colleague.post(reverse("web:concern_create"), form(
            given_name=person.given_name, family_name=person.family_name,
            birth_date=person.birth_date.isoformat()), follow=True)
        mine = [c.get(reverse("web:concern_mine")).content.decode()
                for c in (teacher, colleague)]
    assert [c.status for c in Concern.objects.order_by("submitted_by_id")] in (
        [ConcernStatus.ON_CASE, ConcernStatus.NEW], [ConcernStatus.NEW, ConcernStatus.ON_CASE])
    assert landed.redirect_chain == unknown.redirect_chain == [(reverse("web:concern_mine"), 302)]
    assert normalized(landed.content.decode()) == normalized(unknown.content.decode())
    assert normalized(mine[0]) == normalized(mine[1])
    assert "Bekymringen er sendt til SaLTo-koordinatoren i bydel Stovner." in \
        landed.content.decode()
    assert person.national_id not in landed.content.decode()
    assert "sendt" in mine[0] and "Sara" not in mine[0]


def test_the_receipt_names_the_chosen_bydel_even_when_the_person_lives_elsewhere(scene, login):
    elsewhere = PersonFactory(district_id="030112", birth_date=born(12))
    response = client_for(login, scene.teacher).post(
        reverse("web:concern_create"),
        form(national_id=elsewhere.national_id, birth_date=""), follow=True)
    assert "SaLTo-koordinatoren i bydel Stovner." in response.content.decode()
    assert Concern.objects.get().person == elsewhere


def test_outside_the_age_range_is_a_clear_refusal(scene, login):
    response = client_for(login, scene.teacher).post(reverse("web:concern_create"),
                                                     form(birth_date=born(8).isoformat()))
    assert response.status_code == 200
    assert "Personen er 8 år. SaLTo gjelder barn og unge fra 10 til 22 år" in \
        response.content.decode()
    assert not Concern.objects.exists()


@pytest.mark.parametrize("overrides, message", [
    ({"national_id": "12345678901"}, "Kontrollsifrene stemmer ikke"),
    ({"birth_date": ""}, "Oppgi fødselsdato når du ikke har fødselsnummeret."),
    ({"district": "030116"}, "Ukjent bydel."),
    ({"text": ""}, "Beskriv bekymringen."),
    ({"birth_date": "2099-01-01"}, "fram i tid"),
])
def test_bad_input_is_a_form_error_and_writes_nothing(scene, login, overrides, message):
    response = client_for(login, scene.teacher).post(reverse("web:concern_create"),
                                                     form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Concern.objects.exists()


def test_the_number_never_reaches_a_url(scene, login):
    person = scene.case.person
    response = client_for(login, scene.teacher).post(
        reverse("web:concern_create"), form(national_id=person.national_id, birth_date=""))
    assert response.status_code == 302 and person.national_id not in response["Location"]


# --- assessing -----------------------------------------------------------------------------------

def submitted(scene, login, **overrides) -> Concern:
    client_for(login, scene.teacher).post(reverse("web:concern_create"), form(**overrides))
    return Concern.objects.latest("submitted_at")


def detail_url(concern: Concern, name: str = "web:concern_detail") -> str:
    return reverse(name, kwargs={"concern_id": concern.pk})


def test_the_coordinator_reads_the_concern_from_the_desk(scene, login):
    concern = submitted(scene, login, text="Sett med kniv.")
    coordinator = client_for(login, scene.coordinator)
    desk = coordinator.get(reverse("web:desk")).content.decode()
    assert detail_url(concern) in desk and "Haugen skole" in desk
    page = coordinator.get(detail_url(concern)).content.decode()
    assert "Sett med kniv." in page and "Åpne sak" in page and "Ikke grunnlag" in page
    assert AuditEvent.objects.filter(action=Action.CONCERN_VIEW, outcome="ok").count() == 1
    for outsider in (scene.caseworker, scene.teacher, scene.other_coordinator):
        assert client_for(login, outsider).get(detail_url(concern)).status_code == 404


def test_no_basis_with_a_written_assessment(scene, login):
    concern = submitted(scene, login)
    coordinator = client_for(login, scene.coordinator)
    empty = coordinator.post(detail_url(concern, "web:concern_dismiss"), {"assessment": ""})
    assert empty.status_code == 200
    assert "Skriv hvorfor det ikke er grunnlag for en sak." in empty.content.decode()
    done = coordinator.post(detail_url(concern, "web:concern_dismiss"),
                            {"assessment": "Skolen følger opp selv."})
    assert done.status_code == 302 and done["Location"] == reverse("web:desk")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.DISMISSED
    assert concern.assessment == "Skolen følger opp selv."
    again = coordinator.post(detail_url(concern, "web:concern_dismiss"), {"assessment": "X."})
    assert any("allerede vurdert" in t for t in texts(again))
    page = coordinator.get(detail_url(concern)).content.decode()
    assert "Skolen følger opp selv." in page and "concern-open-form" not in page
    # the submitter sees nothing of it
    mine = client_for(login, scene.teacher).get(reverse("web:concern_mine")).content.decode()
    assert "Skolen følger opp selv." not in mine and "Ikke grunnlag" not in mine


def test_opening_a_case_registers_an_unregistered_person_from_the_concern(scene, login):
    concern = submitted(scene, login, given_name="Nora", family_name="Ny",
                        text="Rømmer hjemmefra.")
    response = client_for(login, scene.coordinator).post(
        detail_url(concern, "web:concern_case_open"))
    concern.refresh_from_db()
    person = Person.objects.get(given_name="Nora")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:case_detail", kwargs={"case_id": concern.case_id})
    assert concern.status == ConcernStatus.CASE_OPENED and concern.person == person
    assert (person.family_name, person.birth_date, person.district_id) == (
        "Ny", concern.birth_date, STOVNER)
    assert person.national_id is None
    assert concern.case.status == CaseStatus.ASSESSMENT and concern.case.person == person
    assert AuditEvent.objects.filter(action=Action.PERSON_CREATE).count() == 1
    with entries_opened():
        entry = Entry.objects.get(pk=concern.entry_id)
    assert entry.text == "Rømmer hjemmefra." and entry.source_agency.name == "Haugen skole"
    # the text is the case's now: read there, as the sharing rules allow
    page = client_for(login, scene.coordinator).get(detail_url(concern)).content.decode()
    assert 'data-testid="concern-on-case"' in page and "Rømmer hjemmefra." not in page
    # the school that sent it is not on the team: the case does not exist for it
    teacher = client_for(login, scene.teacher)
    assert teacher.get(reverse("web:case_detail",
                               kwargs={"case_id": concern.case_id})).status_code == 404


def test_opening_a_case_for_a_registered_person_registers_no_one(scene, login):
    person = PersonFactory(district_id=STOVNER, birth_date=born(16))
    concern = submitted(scene, login, national_id=person.national_id, birth_date="")
    before = Person.objects.count()
    client_for(login, scene.leader).post(detail_url(concern, "web:concern_case_open"))
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CASE_OPENED and concern.case.person == person
    assert Person.objects.count() == before
    assert not AuditEvent.objects.filter(action=Action.PERSON_CREATE).exists()


def test_a_case_opened_meanwhile_receives_the_concern(scene, login):
    person = PersonFactory(district_id=STOVNER, birth_date=born(16))
    concern = submitted(scene, login, national_id=person.national_id, birth_date="")
    coordinator = client_for(login, scene.coordinator)
    assert 'data-testid="concern-open-case"' not in coordinator.get(
        detail_url(concern)).content.decode()
    case = case_open(actor=actor_of(scene.coordinator), person=person)
    page = coordinator.get(detail_url(concern)).content.decode()
    assert reverse("web:case_detail", kwargs={"case_id": case.pk}) in page
    response = coordinator.post(detail_url(concern, "web:concern_case_open"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:case_detail", kwargs={"case_id": case.pk})
    assert any("står nå på saken" in t for t in texts(response))
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ON_CASE and concern.case == case


def test_a_person_who_aged_out_is_refused_and_not_registered(scene, login):
    concern = submitted(scene, login, birth_date=(born(22) - dt.timedelta(days=300)).isoformat())
    coordinator = client_for(login, scene.coordinator)
    with clock.frozen(clock.now() + dt.timedelta(days=120)):
        page = coordinator.get(detail_url(concern)).content.decode()
        assert 'data-testid="concern-age"' in page
        response = coordinator.post(detail_url(concern, "web:concern_case_open"))
    assert any("23 år" in t for t in texts(response))
    assert not Person.objects.filter(given_name="Ola").exists()
    assert Concern.objects.get().status == ConcernStatus.NEW


def test_only_the_bydel_coordinator_assesses(scene, login):
    concern = submitted(scene, login)
    for outsider in (scene.caseworker, scene.teacher, scene.other_coordinator):
        client = client_for(login, outsider)
        assert client.post(detail_url(concern, "web:concern_case_open")).status_code == 404
        assert client.post(detail_url(concern, "web:concern_dismiss"),
                           {"assessment": "Nei."}).status_code == 404
    assert Concern.objects.get().status == ConcernStatus.NEW
