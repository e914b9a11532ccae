"""The family's message thread with the coordinator, end to end: a guardian logs in at a real
OIDC provider process and writes; the case's coordinators are told without personal data; the
coordinator reads and replies on the case page; the guardian gets an SMS at a real HTTP gateway
on loopback saying only that there is a new message, in the guardian's language."""

import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from laget.audit.models import AuditEvent
from laget.core.errors import DomainError, NotFound
from laget.family import thread
from laget.family.models import TEXT_MAX_LENGTH, AuthorKind, FamilyMessage
from laget.family.selectors import FamilyAccess
from laget.family.tests.scene import actor_of, family_scene
from laget.family.tests.test_family import NO_ACCESS, citizen_login, page, person_url
from laget.notify.models import Channel, Message
from laget.notify.services import deliver_due
from laget.notify.templates import render
from laget.notify.tests.fakes import SmsGateway
from laget.records.services import team_member_add
from tests.oidc.harness import oidc_provider_fixture  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
CALLBACK = "http://testserver/familie/logg-inn/tilbake/"
QUESTION = "Kan vi flytte møtet til tirsdag? Sara har tannlege på mandag."
ANSWER = "Ja, tirsdag klokka 14 passer fint. Hilsen Kari."


@pytest.fixture
def family_on(settings, oidc_provider):
    oidc_provider.allow_redirect(CALLBACK)
    settings.LAGET_FAMILY_OIDC_ISSUER = oidc_provider.issuer
    settings.LAGET_FAMILY_OIDC_CLIENT_ID = oidc_provider.client_id
    settings.LAGET_FAMILY_OIDC_CLIENT_SECRET = oidc_provider.client_secret
    return oidc_provider


@pytest.fixture
def gateway(settings):
    sms = SmsGateway().start()
    settings.LAGET_NOTIFY_SMS_URL = sms.url
    settings.LAGET_NOTIFY_SMS_TOKEN = "test-token-13"
    yield sms
    sms.stop()


@pytest.fixture
def scene(make_member, rulebook):
    """The family scene: the mother reads Arabic and has a mobile; the father has neither phone
    nor e-mail (someone must call him)."""
    built = family_scene(make_member)
    built.mother.phone, built.mother.preferred_language = "912 34 567", "ar"
    built.mother.save()
    return built


def messages_url(scene):
    return reverse("family:messages", kwargs={"person_id": scene.person.pk})


def staff_url(scene):
    return reverse("web:family_messages", kwargs={"case_id": scene.case.pk})


def case_url(scene):
    return reverse("web:case_detail", kwargs={"case_id": scene.case.pk})


def personal_data(scene) -> list[str]:
    """What must never be in a notification: names, numbers, the texts themselves."""
    return [scene.person.given_name, scene.person.family_name, scene.mother.given_name,
            scene.father.given_name, scene.person.national_id, scene.mother.national_id,
            "tirsdag", "tannlege", QUESTION, ANSWER]


def test_family_writes_coordinator_replies_and_the_guardian_gets_an_sms_in_arabic(
        client, family_on, scene, gateway, login, settings):
    citizen_login(client, family_on, scene.mother.national_id)
    text = page(client, person_url(scene))
    assert "Meldinger med koordinatoren" in text and 'data-testid="family-message-form"' in text

    response = client.post(messages_url(scene), {"text": f"  {QUESTION}\r\n"})
    assert response.status_code == 302
    assert response["Location"] == person_url(scene) + "#meldinger"
    message = FamilyMessage.objects.get()
    assert (message.author_kind, message.text, message.author_user) == (
        AuthorKind.FAMILY, QUESTION, None)
    assert message.details == {"citizen": "guardian", "guardian": str(scene.mother.pk)}
    written = AuditEvent.objects.get(action="family.message")
    assert written.actor is None and written.details["direction"] == "to_coordinator"
    assert written.details["guardian"] == str(scene.mother.pk)
    assert list(written.subjects.values_list("person_id", flat=True)) == [scene.person.pk]

    # The coordinator (the only bydel coordinator on the team) is told, with no personal data.
    [told] = Message.objects.filter(recipient_user=scene.coordinator.user)
    assert told.subject == "Ny melding fra familien"
    assert "Familien har sendt en melding i en sak" in told.body
    assert str(scene.case.pk) in told.body and "#familiemeldinger" in told.body
    for secret in personal_data(scene):
        assert secret not in told.body and secret not in told.subject, secret
    # The school and barnevern on the team are not coordinators: they are not told.
    assert not Message.objects.filter(recipient_user__in=[scene.school.user,
                                                          scene.barnevern.user]).exists()

    # The coordinator sees it, marked new, on the case page; reading marks it read.
    coordinator = login(Client(), scene.coordinator.user)
    case_page = page(coordinator, case_url(scene))
    assert QUESTION in case_page and 'data-testid="family-reply-form"' in case_page
    assert "Mona Syntetisk (Mor)" in case_page
    message.refresh_from_db()
    assert message.read_by_staff_at is not None
    read = AuditEvent.objects.filter(action="case.view", actor=scene.coordinator.user,
                                     details__view="family_messages")
    assert read.count() == 1 and read.get().details["new"] == 1

    response = coordinator.post(staff_url(scene), {"text": ANSWER})
    assert response.status_code == 302
    assert response["Location"] == case_url(scene) + "#familiemeldinger"
    reply = FamilyMessage.objects.get(author_kind=AuthorKind.STAFF)
    assert reply.author_user == scene.coordinator.user and reply.text == ANSWER
    assert AuditEvent.objects.filter(action="family.message", actor=scene.coordinator.user,
                                     details__direction="to_family").count() == 1

    # The mother gets the SMS, in Arabic, saying only that there is a new message; the father
    # has no phone or e-mail and no message.
    link = settings.LAGET_NOTIFY_LINK_BASE_URL.rstrip("/") + "/familie/"
    expected = render("family.new_message", "ar", {"link": link}).body
    [sms] = Message.objects.filter(channel=Channel.SMS)
    assert sms.body == expected and sms.to_address == "+4791234567"
    assert sms.person_id == scene.person.pk
    deliver_due()
    [request] = gateway.requests
    assert request.payload["to"] == "+4791234567" and request.payload["text"] == expected
    for secret in personal_data(scene):
        assert secret not in request.payload["text"], secret
    # The coordinator's e-mail carries the same no-personal-data text.
    [email] = [m for m in mail.outbox if m.to == [scene.coordinator.user.email]]
    for secret in personal_data(scene):
        assert secret not in email.body and secret not in email.subject, secret

    # The mother reads the reply, marked new once.
    first = page(client, person_url(scene))
    assert ANSWER in first and "Kari Koordinator, koordinator" in first
    reply.refresh_from_db()
    assert reply.read_by_family_at is not None
    views = AuditEvent.objects.filter(action="family.view", details__view="messages")
    assert views.filter(details__new=1).count() == 1


def test_the_reply_reaches_each_guardian_in_their_own_language(scene, make_member):
    scene.father.phone, scene.father.preferred_language = "+47 98765432", "pl"
    scene.father.save()
    reply = thread.staff_reply_post(actor=scene.coordinator, case=scene.case, text=ANSWER)
    assert {n.guardian_id for n in reply.notices if n.message_id} == {scene.mother.pk,
                                                                       scene.father.pk}
    bodies = {m.to_address: m.body for m in Message.objects.filter(channel=Channel.SMS)}
    assert bodies["+4798765432"].startswith("Masz nową wiadomość w Laget.")
    assert bodies["+4791234567"].startswith("لديك رسالة جديدة")


def test_guardians_the_family_pages_would_not_show_the_person_are_not_told(scene):
    # The father has a phone but restricted contact: the family pages show him nothing, so he is
    # not told. A guardian without a number of their own cannot log in: not told either.
    scene.father.phone, scene.father.restricted_contact = "+4798765432", True
    scene.father.save()
    reply = thread.staff_reply_post(actor=scene.coordinator, case=scene.case, text=ANSWER)
    assert [n.guardian_id for n in reply.notices] == [scene.mother.pk]
    assert list(Message.objects.filter(channel=Channel.SMS).values_list(
        "to_address", flat=True)) == ["+4791234567"]
    scene.mother.national_id = None
    scene.mother.save()
    reply = thread.staff_reply_post(actor=scene.coordinator, case=scene.case, text="Igjen.")
    assert reply.notices == []
    assert Message.objects.filter(channel=Channel.SMS).count() == 1


def test_another_bydels_coordinator_and_the_team_cannot_read_or_reply(scene, make_member,
                                                                       login):
    thread.family_message_post(access=FamilyAccess(scene.person, "guardian", scene.mother),
                               text=QUESTION)
    elsewhere = make_member("coordinator", district="030112")
    school = login(Client(), scene.school.user)
    # A coordinator of another agency on the team sees the case but not the family's thread.
    school_coordinator = make_member("coordinator", agency_type="skole")
    team_member_add(actor=scene.coordinator, case=scene.case, user=school_coordinator,
                    agency=actor_of(school_coordinator).agency)
    for user in (elsewhere, scene.school.user, scene.barnevern.user, school_coordinator):
        staff = login(Client(), user)
        assert staff.get(staff_url(scene)).status_code == 404
        assert staff.post(staff_url(scene), {"text": ANSWER}).status_code == 404
    for user in (scene.school.user, school_coordinator):
        case_page = page(login(Client(), user), case_url(scene))
        assert QUESTION not in case_page and "Meldinger med familien" not in case_page
    assert page(school, case_url(scene))  # the school still has its case page
    assert not FamilyMessage.objects.filter(author_kind=AuthorKind.STAFF).exists()
    assert FamilyMessage.objects.get().read_by_staff_at is None
    refused = AuditEvent.objects.filter(action="case.access_denied",
                                        details__view="family_messages")
    assert refused.count() == 6  # the three on the team, GET and POST each
    assert not Message.objects.filter(channel=Channel.SMS).exists()
    with pytest.raises(NotFound):
        thread.staff_thread_for(actor=scene.school, case=scene.case)


@pytest.mark.parametrize("block", ["restricted_contact", "no_parental_responsibility"])
def test_a_guardian_who_may_not_see_the_case_cannot_post(client, family_on, scene, block):
    if block == "restricted_contact":
        scene.father.restricted_contact = True
    else:
        scene.father.parental_responsibility = False
    scene.father.save()
    citizen_login(client, family_on, scene.father.national_id)
    response = client.post(messages_url(scene), {"text": QUESTION})
    assert response.status_code == 404 and NO_ACCESS in response.content.decode()
    assert client.get(messages_url(scene)).status_code == 404
    assert not FamilyMessage.objects.exists()
    assert not Message.objects.exists()
    assert AuditEvent.objects.filter(action="family.access_denied",
                                     details__view="messages").count() == 2


def test_access_lost_after_the_page_was_opened_is_checked_again_when_writing(scene):
    access = FamilyAccess(scene.person, "guardian", scene.father)
    scene.father.restricted_contact = True
    scene.father.save()
    with pytest.raises(NotFound):
        thread.family_message_post(access=access, text=QUESTION)
    assert not FamilyMessage.objects.exists() and not Message.objects.exists()
    assert AuditEvent.objects.filter(action="family.access_denied").count() == 1


@pytest.mark.parametrize(("text", "error"), [
    ("", "Skriv en melding før du sender."),
    ("   \r\n  ", "Skriv en melding før du sender."),
    ("x" * (TEXT_MAX_LENGTH + 1), "Meldingen er for lang. Den kan ha høyst 2000 tegn, og den "
                                  "har 2001."),
])
def test_empty_or_too_long_is_a_clear_error_and_nothing_is_written(client, family_on, scene,
                                                                    login, text, error):
    logged_in = citizen_login(client, family_on, scene.mother.national_id)
    assert logged_in.status_code == 302, logged_in.content.decode()[:500]
    response = client.post(messages_url(scene), {"text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html and 'data-testid="message-error"' in html
    if text.strip():
        assert text in html  # the text is kept for the citizen to shorten
    coordinator = login(Client(), scene.coordinator.user)
    response = coordinator.post(staff_url(scene), {"text": text})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not FamilyMessage.objects.exists()
    assert not Message.objects.exists()
    assert not AuditEvent.objects.filter(action="family.message").exists()


def test_the_longest_message_is_accepted(scene):
    message = thread.family_message_post(
        access=FamilyAccess(scene.person, "guardian", scene.mother), text="x" * TEXT_MAX_LENGTH)
    assert len(message.text) == TEXT_MAX_LENGTH


def test_a_young_person_with_own_access_writes_and_is_not_told_by_sms(client, family_on,
                                                                       make_member, rulebook):
    scene = family_scene(make_member, age=16)
    scene.mother.phone = "+4791234567"
    scene.mother.save()
    citizen_login(client, family_on, scene.person.national_id)
    assert client.post(messages_url(scene), {"text": QUESTION}).status_code == 302
    assert FamilyMessage.objects.get().details == {"citizen": "self"}
    reply = thread.staff_reply_post(actor=scene.coordinator, case=scene.case, text=ANSWER)
    # The person has no phone or e-mail in Laget: only the guardian (who still sees the case
    # at 16) is told.
    assert [n.guardian_id for n in reply.notices if n.message_id] == [scene.mother.pk]
    assert Message.objects.filter(channel=Channel.SMS).count() == 1
    text = page(client, person_url(scene))
    assert ANSWER in text and "Sara Syntetisk" in text


def test_a_closed_case_takes_no_messages(scene):
    from laget.records.models import Case, CaseStatus

    Case.objects.filter(pk=scene.case.pk).update(status=CaseStatus.CLOSED)
    scene.case.refresh_from_db()
    with pytest.raises(DomainError):
        thread.family_message_post(access=FamilyAccess(scene.person, "guardian", scene.mother),
                                   text=QUESTION)
    with pytest.raises(DomainError):
        thread.staff_reply_post(actor=scene.coordinator, case=scene.case, text=ANSWER)
    assert not FamilyMessage.objects.exists()


def test_the_thread_page_is_not_found_for_a_person_the_citizen_may_not_see(client, family_on,
                                                                            scene):
    citizen_login(client, family_on, scene.mother.national_id)
    url = reverse("family:messages", kwargs={"person_id": uuid.uuid4()})
    assert client.post(url, {"text": QUESTION}).status_code == 404
    assert not FamilyMessage.objects.exists()
