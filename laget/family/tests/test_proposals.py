"""Consent proposals end to end: the coordinator prepares one on the case's consent page, the
guardians (or the young person) log in through the real OIDC provider process (tests/oidc), read
it in plain words and answer it; the last «yes» registers the consent, «no» declines it."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import NotFound
from laget.family.tests.scene import SCHOOL_TEXT, birth_date_for, family_scene, number
from laget.family.tests.test_family import NO_ACCESS, citizen_login, page, person_url
from laget.notify.models import Message
from laget.people.tests.factories import GuardianFactory
from laget.sharing.models import Consent, ConsentProposal, ConsentProposalAnswer
from laget.sharing.selectors import case_entries_for, entry_get_for
from laget.sharing.services import consent_withdraw

pytestmark = pytest.mark.django_db


def proposal_form(scene, **changes):
    today = clock.today()
    data = {"given_by": "guardian", "categories": ["skole"], "recipients": ["barnevern"],
            "purposes": ["forebygging"], "valid_from": today.isoformat(),
            "valid_to": (today + dt.timedelta(days=60)).isoformat(),
            "youth_view": "Sara synes det er greit."}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def propose(staff_client, scene, **changes) -> ConsentProposal:
    url = reverse("web:consent_proposal_create", kwargs={"case_id": scene.case.pk})
    response = staff_client.post(url, proposal_form(scene, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    return ConsentProposal.objects.get(case=scene.case)


def proposal_url(scene, proposal, person=None):
    return reverse("family:consent_proposal", kwargs={
        "person_id": (person or scene.person).pk, "proposal_id": proposal.pk})


@pytest.fixture
def coordinator_client(scene, login):
    return login(Client(), scene.coordinator.user)


@pytest.fixture
def no_consent(scene):
    """The scene without its paper consent: barnevern has no basis for the school's entry."""
    consent_withdraw(actor=scene.coordinator, consent=scene.consent, withdrawn_by="guardian")
    _page, shown = case_entries_for(actor=scene.barnevern, case=scene.case,
                                    purpose="forebygging")
    assert shown == []
    return scene


def test_both_guardians_accept_and_the_consent_is_in_force(family_on, no_consent,
                                                            coordinator_client):
    scene = no_consent
    consents = reverse("web:consent_list", kwargs={"case_id": scene.case.pk})
    assert "Foreslå samtykke til familien" in page(coordinator_client, consents)
    proposal = propose(coordinator_client, scene)
    assert AuditEvent.objects.get(action="consent.propose").actor == scene.coordinator.user
    assert "Forslag til familien" in page(coordinator_client, consents)

    mother = Client()
    citizen_login(mother, family_on, scene.mother.national_id)
    text = page(mother, person_url(scene))
    assert "Forslag til samtykke" in text and "Les forslaget og svar" in text
    text = page(mother, proposal_url(scene, proposal))
    # exactly what, with whom, for what, until when, who must consent
    assert "Barnevern" in text and "Skole" in text and "Koordinert forebygging" in text
    assert (clock.today() + dt.timedelta(days=60)).strftime("%Y") in text
    assert "Alle foresatte med foreldreansvar" in text and "Kari Koordinator" in text
    assert ConsentProposalAnswer.objects.count() == 0  # reading changes nothing
    response = mother.post(proposal_url(scene, proposal), {"answer": "accept"})
    assert response.status_code == 302 and response["Location"] == person_url(scene)
    proposal.refresh_from_db()
    assert proposal.status == "proposed" and proposal.consent is None  # the father next
    assert "venter på de andre" in page(mother, person_url(scene))
    assert mother.get(proposal_url(scene, proposal)).status_code == 404  # answered already

    father = Client()
    citizen_login(father, family_on, scene.father.national_id)
    assert father.post(proposal_url(scene, proposal), {"answer": "accept"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    consent = proposal.consent
    assert consent.method == "digital" and consent.given_by == "guardian"
    assert set(consent.guardians.values_list("pk", flat=True)) == {scene.mother.pk,
                                                                    scene.father.pk}
    assert consent.registered_by == scene.coordinator.user
    answers = AuditEvent.objects.filter(action="consent.proposal_answer").order_by("occurred_at")
    assert [(e.actor, e.details["guardian"], e.details["accepted"]) for e in answers] == [
        (None, str(scene.mother.pk), True), (None, str(scene.father.pk), True)]
    register = AuditEvent.objects.get(action="consent.register", object_id=str(consent.pk))
    assert register.actor is None and register.details["via"] == "familie"
    assert register.details["proposal"] == str(proposal.pk)
    assert scene.father.national_id not in str(register.details)

    # In force on the very next read by a reader on the team.
    _page, shown = case_entries_for(actor=scene.barnevern, case=scene.case,
                                    purpose="forebygging")
    assert [s.entry.text for s in shown] == [SCHOOL_TEXT]
    # The team is told, without personal data.
    told = Message.objects.filter(idempotency_key__startswith=f"family-consent-given:{proposal.pk}")
    assert {m.recipient_user_id for m in told} >= {scene.coordinator.user.pk,
                                                   scene.school.user.pk, scene.barnevern.user.pk}
    for message in told:
        assert "Sara" not in message.body and scene.person.national_id not in message.body
    # The family now sees it among the consents, given digitally, theirs to withdraw.
    text = page(father, person_url(scene))
    assert "Les forslaget og svar" not in text and "Trekk tilbake samtykket" in text
    # The coordinator sees who answered and the consent it became.
    text = page(coordinator_client, consents)
    assert "Godtatt" in text and "Mona: ja" in text and "Frank: ja" in text


def test_a_guardian_declines(family_on, no_consent, coordinator_client):
    scene = no_consent
    proposal = propose(coordinator_client, scene)
    mother = Client()
    citizen_login(mother, family_on, scene.mother.national_id)
    assert mother.post(proposal_url(scene, proposal), {"answer": "decline"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "declined" and proposal.consent is None
    assert not Consent.objects.filter(case=scene.case, method="digital").exists()
    event = AuditEvent.objects.get(action="consent.proposal_answer")
    assert event.details["accepted"] is False and event.actor is None
    declined = Message.objects.get(idempotency_key=f"family-consent-declined:{proposal.pk}")
    assert declined.recipient_user_id == scene.coordinator.user.pk and "Sara" not in declined.body
    # The proposal is closed for the other guardian too.
    father = Client()
    citizen_login(father, family_on, scene.father.national_id)
    assert "Les forslaget og svar" not in page(father, person_url(scene))
    assert father.post(proposal_url(scene, proposal), {"answer": "accept"}).status_code == 404
    _page, shown = case_entries_for(actor=scene.barnevern, case=scene.case,
                                    purpose="forebygging")
    assert shown == []


def test_no_answer_chosen_writes_nothing(family_on, scene, coordinator_client):
    proposal = propose(coordinator_client, scene)
    mother = Client()
    citizen_login(mother, family_on, scene.mother.national_id)
    response = mother.post(proposal_url(scene, proposal), {"answer": "maybe"}, follow=True)
    assert "Velg om du samtykker eller ikke" in response.content.decode()
    assert ConsentProposalAnswer.objects.count() == 0


@pytest.mark.parametrize("block", ["no_parental_responsibility", "restricted_contact"])
def test_a_guardian_who_may_not_see_the_child_cannot_see_or_accept(family_on, scene,
                                                                   coordinator_client, block):
    if block == "no_parental_responsibility":
        scene.father.parental_responsibility = False
    else:
        scene.father.restricted_contact = True
    scene.father.save()
    proposal = propose(coordinator_client, scene)
    father = Client()
    citizen_login(father, family_on, scene.father.national_id)
    assert NO_ACCESS in page(father, reverse("family:start"))
    for response in (father.get(proposal_url(scene, proposal)),
                     father.post(proposal_url(scene, proposal), {"answer": "accept"})):
        assert response.status_code == 404 and NO_ACCESS in response.content.decode()
        assert "Barnevern" not in response.content.decode()
    assert ConsentProposalAnswer.objects.count() == 0
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_a_proposal_on_another_persons_case_is_not_found(family_on, scene, coordinator_client):
    proposal = propose(coordinator_client, scene)
    # A guardian of another child, who may see that child, asks for this proposal through it.
    other = GuardianFactory(national_id=number(birth_date_for(41)))
    client = Client()
    citizen_login(client, family_on, other.national_id)
    assert other.person.full_name in page(client, reverse("family:start"))
    for url in (proposal_url(scene, proposal, person=other.person),
                proposal_url(scene, proposal)):
        assert client.get(url).status_code == 404
        assert client.post(url, {"answer": "accept"}).status_code == 404
    assert ConsentProposalAnswer.objects.count() == 0
    assert AuditEvent.objects.filter(action="family.access_denied").count() == 4


def test_bad_input_on_the_proposal_form_writes_nothing(scene, coordinator_client):
    url = reverse("web:consent_proposal_create", kwargs={"case_id": scene.case.pk})
    for changes, error in (
            ({"categories": None}, "Velg minst én kategori."),
            ({"recipients": ["ingen"]}, "Ukjent mottaker: ingen."),
            ({"valid_to": (clock.today() - dt.timedelta(days=400)).isoformat()},
             "Sluttdatoen er før startdatoen."),
            ({"given_by": "youth"}, "må samtykket gis av foresatte"),  # at 14, by the rulebook
            ({"youth_view": ""}, "Den unge skal høres fra 12 år")):
        response = coordinator_client.post(url, proposal_form(scene, **changes))
        assert response.status_code == 200, changes
        assert error in response.content.decode(), changes
    assert not ConsentProposal.objects.exists()
    assert not AuditEvent.objects.filter(action="consent.propose").exists()


def test_only_the_bydel_coordinator_proposes(scene, login):
    school = login(Client(), scene.school.user)
    url = reverse("web:consent_proposal_create", kwargs={"case_id": scene.case.pk})
    assert school.get(url).status_code == 403
    assert school.post(url, proposal_form(scene)).status_code == 403
    assert not ConsentProposal.objects.exists()


def test_the_coordinator_takes_a_proposal_back(family_on, scene, coordinator_client):
    proposal = propose(coordinator_client, scene)
    url = reverse("web:consent_proposal_withdraw", kwargs={"case_id": scene.case.pk,
                                                           "proposal_id": proposal.pk})
    assert coordinator_client.post(url).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert AuditEvent.objects.filter(action="consent.proposal_withdraw").count() == 1
    mother = Client()
    citizen_login(mother, family_on, scene.mother.national_id)
    assert "Forslag til samtykke" not in page(mother, person_url(scene))
    assert mother.get(proposal_url(scene, proposal)).status_code == 404


def test_at_16_the_young_person_and_the_guardians_consent(family_on, make_member, rulebook,
                                                          login):
    scene = family_scene(make_member, age=16)
    consent_withdraw(actor=scene.coordinator, consent=scene.consent, withdrawn_by="youth")
    coordinator = login(Client(), scene.coordinator.user)
    proposal = propose(coordinator, scene, given_by="both")
    for pid in (scene.mother.national_id, scene.father.national_id):
        client = Client()
        citizen_login(client, family_on, pid)
        assert client.post(proposal_url(scene, proposal), {"answer": "accept"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "proposed"  # the young person has not said yes yet
    with pytest.raises(NotFound):
        entry_get_for(actor=scene.barnevern, case=scene.case, entry_id=scene.entry.pk,
                      purpose="forebygging")
    youth = Client()
    citizen_login(youth, family_on, scene.person.national_id)
    assert "Den unge og alle foresatte med foreldreansvar" in page(youth,
                                                                   proposal_url(scene, proposal))
    assert youth.post(proposal_url(scene, proposal), {"answer": "accept"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.consent.given_by == "both"
    assert entry_get_for(actor=scene.barnevern, case=scene.case, entry_id=scene.entry.pk,
                         purpose="forebygging").entry.text == SCHOOL_TEXT
