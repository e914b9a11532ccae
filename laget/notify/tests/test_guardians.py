"""guardian_notify: one message per guardian with parental responsibility who may be told, in
their language, by SMS or else e-mail, in the caller's transaction; the rest with a reason.
With KRR (a KRR on loopback): reservations respected, KRR's details preferred, one lookup per
call, the record used and the notice flagged when KRR cannot be asked; protected addresses."""

import datetime as dt
import random

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from laget.accounts.tests.factories import AgencyFactory
from laget.core import clock
from laget.notify.guardians import GuardianNotice, guardian_notify
from laget.notify.models import Channel, Message
from laget.notify.templates import render
from laget.notify.tests.fakes import KrrServer
from laget.people.identifiers import synthetic_national_id
from laget.people.models import AddressProtection
from laget.people.tests.factories import GuardianFactory, PersonFactory

CONTEXT = {"unit": "Politiet Stovner", "phone": "22 66 99 00"}


def _notify(person, key_prefix="stop:1", **kwargs):
    return guardian_notify(person=person, template_key="police.stop_search", context=CONTEXT,
                           key_prefix=key_prefix, **kwargs)


@pytest.fixture
def person(db):
    return PersonFactory(given_name="Amal", birth_date=clock.today() - dt.timedelta(days=15 * 365))


@pytest.mark.django_db
def test_each_guardian_gets_one_message_in_their_language(
        person, django_capture_on_commit_callbacks):
    agency = AgencyFactory()
    mother = GuardianFactory(person=person, family_name="A", phone="999 99 999",
                             email="mor@example.no", preferred_language="ar")
    father = GuardianFactory(person=person, family_name="B", email="far@example.no",
                             preferred_language="fa")  # no text in Persian: bokmål
    GuardianFactory(person=person, family_name="C", phone="99999998",
                    parental_responsibility=False)
    with django_capture_on_commit_callbacks() as callbacks:
        notices = _notify(person, follow_up_agency=agency)
    by_guardian = {notice.guardian_id: notice for notice in notices}
    assert set(by_guardian) == {mother.pk, father.pk}
    assert len(callbacks) == 2
    sms = Message.objects.get(pk=by_guardian[mother.pk].message_id)
    assert by_guardian[mother.pk] == GuardianNotice(mother.pk, sms.pk, "sms", "")
    assert (sms.channel, sms.to_address, sms.idempotency_key, sms.person_id,
            sms.follow_up_agency) == (Channel.SMS, "+4799999999", f"stop:1:{mother.pk}",
                                      person.pk, agency)
    assert sms.body == render("police.stop_search", "ar",
                              {"first_name": "Amal", **CONTEXT}).body
    assert "Amal" in sms.body and person.family_name not in sms.body
    mail = Message.objects.get(pk=by_guardian[father.pk].message_id)
    assert (mail.channel, mail.to_address, by_guardian[father.pk].channel) == (
        Channel.EMAIL, "far@example.no", "email")
    assert mail.subject == "Melding fra politiet"
    assert mail.body.startswith("Barnet ditt, Amal, ble stanset")


@pytest.mark.django_db
def test_restricted_contact_and_no_contact_are_called_instead(person):
    restricted = GuardianFactory(person=person, phone="99999999", restricted_contact=True)
    nothing = GuardianFactory(person=person, phone="", email="")
    bad_phone = GuardianFactory(person=person, phone="123")
    bad_phone_mail = GuardianFactory(person=person, phone="123", email="x@example.no")
    notices = {notice.guardian_id: notice for notice in _notify(person)}
    assert notices[restricted.pk].message_id is None and notices[restricted.pk].channel == ""
    assert "Begrenset kontakt" in notices[restricted.pk].manual_reason
    assert notices[nothing.pk].manual_reason == "Mangler telefon og e-post."
    assert "SMS" in notices[bad_phone.pk].manual_reason
    assert notices[bad_phone_mail.pk].channel == "email"
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_no_guardian_is_told_once_the_person_is_18(person):
    guardian = GuardianFactory(person=person, phone="99999999")
    with clock.frozen(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)):
        person.birth_date = dt.date(2008, 6, 1)  # 18 today
        [notice] = _notify(person)
        assert notice.guardian_id == guardian.pk and notice.message_id is None
        assert "18" in notice.manual_reason
        assert not Message.objects.exists()
        person.birth_date = dt.date(2008, 6, 2)  # 18 tomorrow: still told
        assert _notify(person)[0].channel == "sms"


@pytest.mark.django_db
def test_a_repeat_queues_nothing_new_and_returns_the_same_messages(
        person, django_capture_on_commit_callbacks):
    GuardianFactory(person=person, phone="99999999")
    GuardianFactory(person=person, email="b@example.no")
    with django_capture_on_commit_callbacks() as callbacks:
        first = _notify(person)
        second = _notify(person)
    assert first == second and all(notice.message_id for notice in first)
    assert Message.objects.count() == 2 and len(callbacks) == 2
    _notify(person, key_prefix="stop:2")
    assert Message.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_event_leaves_nothing_queued():
    person = PersonFactory(birth_date=clock.today() - dt.timedelta(days=15 * 365))
    GuardianFactory(person=person, phone="99999999")
    with pytest.raises(RuntimeError, match="event"), transaction.atomic():
        assert _notify(person)[0].message_id is not None
        raise RuntimeError("the event failed")
    assert not Message.objects.exists() and not DBTaskResult.objects.exists()
    with transaction.atomic():
        _notify(person)
    assert Message.objects.count() == 1 and DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses():
    person = PersonFactory()
    with pytest.raises(RuntimeError, match="transaction"):
        _notify(person)


@pytest.mark.django_db
def test_a_bad_key_or_context_fails_even_with_no_guardian_to_tell(person):
    with pytest.raises(KeyError):
        guardian_notify(person=person, template_key="police.nope", context=CONTEXT,
                        key_prefix="x")
    with pytest.raises(ValueError, match="unit"):
        guardian_notify(person=person, template_key="police.weapon", context={"phone": "1"},
                        key_prefix="x")


# --- KRR and protected addresses --------------------------------------------------------------

KRR_TOKEN = "krr-guardians-token-9a2"
RESERVED = "Reservert mot digital kontakt i Kontakt- og reservasjonsregisteret."
PROTECTED = "Adressebeskyttelse er registrert; ingen automatisk melding."
_rng = random.Random(5150)


def _number() -> str:
    return synthetic_national_id(birth_date=dt.date(1979, 9, 2), rng=_rng)


@pytest.fixture
def krr(settings):
    server = KrrServer(token=KRR_TOKEN).start()
    settings.LAGET_KRR_URL = server.url
    settings.LAGET_KRR_TOKEN = KRR_TOKEN
    settings.LAGET_KRR_TIMEOUT_SECONDS = 3
    yield server
    server.stop()


def _by_guardian(notices):
    return {notice.guardian_id: notice for notice in notices}


def _message(notice):
    return Message.objects.get(pk=notice.message_id)


@pytest.mark.django_db
def test_without_a_krr_url_the_guardian_record_is_used_and_krr_not_asked(person, krr, settings):
    settings.LAGET_KRR_URL = ""  # the demo
    guardian = GuardianFactory(person=person, national_id=_number(), phone="99999999")
    krr.add(guardian.national_id, reserved=True)
    [notice] = _notify(person)
    assert notice.channel == "sms" and not notice.krr_unavailable
    assert _message(notice).to_address == "+4799999999"
    assert krr.requests == []


@pytest.mark.django_db
def test_a_guardian_reserved_in_krr_gets_no_message(person, krr):
    guardian = GuardianFactory(person=person, national_id=_number(), phone="99999999",
                               email="mor@example.no")
    krr.add(guardian.national_id, reserved=True, mobile="+4798888888")
    [notice] = _notify(person)
    assert notice == GuardianNotice(guardian.pk, None, "", RESERVED)
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_krrs_mobile_is_used_over_the_records_and_email_when_krr_has_no_mobile(person, krr):
    mobile = GuardianFactory(person=person, family_name="A", national_id=_number(),
                             phone="99999999", email="gammel@example.no")
    mail = GuardianFactory(person=person, family_name="B", national_id=_number(),
                           phone="97777777")
    krr.add(mobile.national_id, mobile="+47 988 88 888", email="ny@example.no")
    krr.add(mail.national_id, email="krr@example.no")
    notices = _by_guardian(_notify(person))
    assert notices[mobile.pk].channel == "sms"
    assert _message(notices[mobile.pk]).to_address == "+4798888888"
    assert notices[mail.pk].channel == "email"
    assert _message(notices[mail.pk]).to_address == "krr@example.no"
    assert not any(notice.krr_unavailable for notice in notices.values())


@pytest.mark.django_db
def test_the_record_is_used_when_krr_has_nothing_that_may_be_used(person, krr):
    unknown = GuardianFactory(person=person, family_name="A", national_id=_number(),
                              phone="91111111")
    deleted = GuardianFactory(person=person, family_name="B", national_id=_number(),
                              phone="92222222")
    expired = GuardianFactory(person=person, family_name="C", national_id=_number(),
                              phone="93333333")
    no_details = GuardianFactory(person=person, family_name="D", national_id=_number(),
                                 email="d@example.no")
    no_number = GuardianFactory(person=person, family_name="E", phone="95555555")
    krr.add(deleted.national_id, status="SLETTET")
    krr.add(expired.national_id, mobile="+4790000000", expired=True)  # 18 months unconfirmed
    krr.add(no_details.national_id)
    notices = _by_guardian(_notify(person))
    assert {_message(notices[g.pk]).to_address for g in (unknown, deleted, expired)} == {
        "+4791111111", "+4792222222", "+4793333333"}
    assert _message(notices[no_details.pk]).to_address == "d@example.no"
    assert _message(notices[no_number.pk]).to_address == "+4795555555"
    assert krr.asked() == [[unknown.national_id, deleted.national_id, expired.national_id,
                            no_details.national_id]]


@pytest.mark.django_db
def test_one_krr_request_for_all_guardians_and_only_those_who_may_be_told(person, krr):
    told = [GuardianFactory(person=person, family_name=name, national_id=_number(),
                            phone="99999999") for name in ("A", "B", "C")]
    restricted = GuardianFactory(person=person, family_name="D", national_id=_number(),
                                 phone="99999999", restricted_contact=True)
    protected = GuardianFactory(person=person, family_name="E", national_id=_number(),
                                phone="99999999",
                                address_protection=AddressProtection.STRENGT_FORTROLIG)
    GuardianFactory(person=person, family_name="F", national_id=_number(), phone="99999999",
                    parental_responsibility=False)
    for guardian in told:
        krr.add(guardian.national_id, mobile="+4798888888")
    notices = _notify(person)
    assert len(notices) == 5 and Message.objects.count() == 3
    assert krr.asked() == [[guardian.national_id for guardian in told]]
    assert restricted.national_id not in krr.asked()[0]
    assert protected.national_id not in krr.asked()[0]
    _notify(person)  # a repeat: one more lookup, nothing new queued
    assert len(krr.requests) == 2 and Message.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("trouble", ["500", "timeout", "bad json"])
def test_when_krr_cannot_be_asked_the_record_is_used_and_the_notice_flagged(
        person, krr, settings, trouble):
    with_number = GuardianFactory(person=person, family_name="A", national_id=_number(),
                                  phone="99999999")
    nothing = GuardianFactory(person=person, family_name="B", national_id=_number())
    without_number = GuardianFactory(person=person, family_name="C", email="c@example.no")
    krr.add(with_number.national_id, reserved=True)  # not learnt: KRR does not answer
    if trouble == "500":
        krr.script.append(500)
    elif trouble == "timeout":
        settings.LAGET_KRR_TIMEOUT_SECONDS = 1
        krr.delay = 2
    else:
        krr.raw = b"<html>502 Bad Gateway</html>"
    notices = _by_guardian(_notify(person))
    assert len(krr.requests) == 1
    sent = notices[with_number.pk]
    assert (sent.channel, sent.manual_reason, sent.krr_unavailable) == ("sms", "", True)
    assert _message(sent).to_address == "+4799999999"
    assert notices[nothing.pk].manual_reason == "Mangler telefon og e-post."
    assert notices[nothing.pk].krr_unavailable
    assert notices[without_number.pk].channel == "email"
    assert not notices[without_number.pk].krr_unavailable  # KRR had nothing to say about them


@pytest.mark.django_db
@pytest.mark.parametrize("protection", [AddressProtection.FORTROLIG,
                                        AddressProtection.STRENGT_FORTROLIG])
def test_a_guardian_with_a_protected_address_is_never_messaged(person, krr, protection):
    protected = GuardianFactory(person=person, family_name="A", national_id=_number(),
                                phone="99999999", address_protection=protection)
    other = GuardianFactory(person=person, family_name="B", phone="98888888")
    notices = _by_guardian(_notify(person))
    assert notices[protected.pk] == GuardianNotice(protected.pk, None, "", PROTECTED)
    assert notices[other.pk].channel == "sms"
    assert Message.objects.count() == 1 and krr.requests == []


@pytest.mark.django_db
@pytest.mark.parametrize("protection", [AddressProtection.FORTROLIG,
                                        AddressProtection.STRENGT_FORTROLIG])
def test_no_guardian_is_messaged_when_the_young_person_has_a_protected_address(
        person, krr, protection):
    person.address_protection = protection
    person.save()
    guardians = [GuardianFactory(person=person, national_id=_number(), phone="99999999"),
                 GuardianFactory(person=person, email="b@example.no")]
    notices = _notify(person)
    assert {notice.guardian_id for notice in notices} == {g.pk for g in guardians}
    assert all(notice.manual_reason == PROTECTED and notice.message_id is None
               for notice in notices)
    assert not Message.objects.exists() and krr.requests == []
