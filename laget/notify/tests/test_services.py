"""Queueing: in the caller's transaction, idempotent on the key, delivery scheduled only after
the commit; staff notifications by e-mail or console and without personal data."""

import uuid

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from laget.accounts.tests.factories import UserFactory
from laget.core.errors import DomainError
from laget.notify.models import Channel, Message, MessageStatus
from laget.notify.services import enqueue, normalize_phone, notify_user


def _sms(key: str = "k1", **kwargs):
    return enqueue(channel=Channel.SMS, to="999 99 999", subject="", body="Hei", key=key,
                   **kwargs)


@pytest.mark.django_db
def test_enqueue_writes_a_queued_message_and_schedules_delivery_after_commit(
        django_capture_on_commit_callbacks):
    person_id = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _sms(person_id=person_id)
        assert DBTaskResult.objects.count() == 0  # nothing before the commit
    assert message is not None and len(callbacks) == 1
    stored = Message.objects.get()
    assert (stored.status, stored.attempts, stored.to_address, stored.person_id) == (
        MessageStatus.QUEUED, 0, "+4799999999", person_id)
    task = DBTaskResult.objects.get()
    assert task.task_path == "laget.notify.tasks.deliver_message"
    assert task.args_kwargs["args"] == [str(message.pk)]


@pytest.mark.django_db
def test_the_same_key_twice_gives_one_message_and_the_transaction_goes_on(
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        first = _sms("same")
        second = _sms("same")
        # The caller's transaction is intact (on PostgreSQL a failed INSERT would abort it).
        third = _sms("other")
        assert Message.objects.count() == 2
    assert first is not None and second is None and third is not None
    assert len(callbacks) == 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_message_and_no_task():
    with pytest.raises(RuntimeError), transaction.atomic():
        assert _sms() is not None
        raise RuntimeError("the event failed")
    assert Message.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_committed_message_gets_its_delivery_task():
    with transaction.atomic():
        message = _sms()
    assert DBTaskResult.objects.filter(args_kwargs__args=[str(message.pk)]).count() == 1
    # A duplicate after the commit neither adds a row nor a task.
    with transaction.atomic():
        assert _sms() is None
    assert Message.objects.count() == 1 and DBTaskResult.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("channel", "to", "code"), [
    (Channel.EMAIL, "ikke-en-adresse", "bad_address"),
    (Channel.SMS, "12345", "bad_address"),
    (Channel.CONSOLE, "", "bad_address"),
])
def test_bad_addresses_are_refused_with_a_message_that_does_not_repeat_them(channel, to, code):
    with pytest.raises(DomainError) as error:
        enqueue(channel=channel, to=to, subject="", body="Hei", key="k")
    assert error.value.code == code
    assert not to or to not in error.value.message
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_programming_errors_are_not_domain_errors():
    with pytest.raises(ValueError, match="unknown channel"):
        enqueue(channel="fax", to="x", subject="", body="Hei", key="k")
    with pytest.raises(ValueError, match="key"):
        enqueue(channel=Channel.SMS, to="99999999", subject="", body="Hei", key="")
    with pytest.raises(ValueError, match="body"):
        enqueue(channel=Channel.SMS, to="99999999", subject="", body="", key="k")
    with pytest.raises(ValueError, match="one line"):
        enqueue(channel=Channel.EMAIL, to="a@b.example", subject="S\nBcc: x@y.example",
                body="B", key="k")


@pytest.mark.parametrize(("raw", "e164"), [
    ("99999999", "+4799999999"), ("+47 999 99 999", "+4799999999"),
    ("0047 99999999", "+4799999999"), ("+46 70-123 45 67", "+46701234567"),
])
def test_phone_numbers_are_normalized(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.django_db
def test_notify_user_mails_a_user_with_an_address_and_appends_an_absolute_link(settings):
    settings.LAGET_NOTIFY_LINK_BASE_URL = "https://laget.example/"
    user = UserFactory()
    message = notify_user(user=user, key="u1", subject="Forfalte oppgaver",
                          body="Du har 2 forfalte oppgaver i Laget.", link="/saker/")
    assert message is not None
    assert (message.channel, message.to_address, message.recipient_user) == (
        Channel.EMAIL, user.email, user)
    assert "https://laget.example/saker/" in message.body
    assert "sendt automatisk fra Laget" in message.body


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["", "ikke en adresse"])
def test_notify_user_without_an_address_uses_the_console_channel_and_no_name(email):
    user = UserFactory(email=email)
    message = notify_user(user=user, key="u2", subject="S", body="Du har 1 forfalt oppgave.")
    assert message is not None
    assert (message.channel, message.to_address) == (Channel.CONSOLE, f"user:{user.pk}")
    assert user.last_name not in message.to_address


@pytest.mark.django_db
def test_notify_user_skips_an_inactive_user_and_refuses_a_national_id():
    assert notify_user(user=UserFactory(is_active=False), key="u3", subject="S", body="B") is None
    with pytest.raises(ValueError, match="national identity"):
        notify_user(user=UserFactory(), key="u4", subject="S", body="Gjelder 010110 12345")
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_a_uuid_in_a_link_is_not_taken_for_a_national_id():
    # a UUID's last group can end in eleven digits after a letter
    link = "/saker/0b9c7f2e-5d1a-4c3b-8e2f-c75345459583/moter/"
    assert notify_user(user=UserFactory(), key="u5", subject="S", body="B", link=link)
    with pytest.raises(ValueError, match="national identity"):
        notify_user(user=UserFactory(), key="u6", subject="S", body="fnr:01011012345")


@pytest.mark.django_db
def test_the_delivery_key_is_stable_and_hides_the_callers_key():
    message = _sms("cases.overdue:some-user:2026-11-26")
    again = Message.objects.get(pk=message.pk)
    assert message.delivery_key == again.delivery_key
    assert len(message.delivery_key) == 40 and "overdue" not in message.delivery_key


@pytest.mark.django_db
def test_the_delivery_query_can_use_the_partial_indexes_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Message.objects.due().explain()
    assert "notify_msg_queued_idx" in plan and "notify_msg_lease_idx" in plan, plan
