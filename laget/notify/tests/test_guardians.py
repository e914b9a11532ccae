"""guardian_notify: one message per guardian with parental responsibility who may be told, in
their language, by SMS or else e-mail, in the caller's transaction; the rest with a reason."""

import datetime as dt

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from laget.accounts.tests.factories import AgencyFactory
from laget.core import clock
from laget.notify.guardians import GuardianNotice, guardian_notify
from laget.notify.models import Channel, Message
from laget.notify.templates import render
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
