"""Delivery over the real protocols on loopback: e-mail to an aiosmtpd server, SMS to a fake
JSON gateway. Retries with exponential backoff, permanent refusals, the final failure, and a
redelivery after a worker's lease ran out that carries the same key."""

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from laget.accounts.actor import Actor
from laget.accounts.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from laget.core import clock
from laget.notify import services
from laget.notify.channels import message_id
from laget.notify.models import Channel, Message, MessageStatus
from laget.notify.selectors import failed_messages_for
from laget.notify.services import backoff, deliver_due, enqueue, message_deliver, notify_user
from laget.notify.tasks import deliver_due_messages, deliver_message

T0 = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)


def _sms(key="sms-1", **kwargs) -> Message:
    message = enqueue(channel=Channel.SMS, to="+47 999 99 999", subject="",
                      body="Hei! Ring bydelen på 22 22 22 22.", key=key, **kwargs)
    assert message is not None
    return message


def _at(seconds: float):
    return clock.frozen(T0 + dt.timedelta(seconds=seconds))


@pytest.mark.django_db
def test_an_email_reaches_the_smtp_server_with_a_message_id_from_the_key(smtp_server):
    with _at(0):
        user = UserFactory(email="koordinator@bydel.example")
        message = notify_user(user=user, key="mail-1", subject="Forfalte oppgaver i Laget",
                              body="Du har 2 forfalte oppgaver i Laget.", link="/")
        run = deliver_due()
    assert run.sent == [message.pk]
    [(recipients, email)] = smtp_server.received
    assert recipients == ["koordinator@bydel.example"]
    assert email["Subject"] == "Forfalte oppgaver i Laget"
    assert email["Message-ID"] == message_id(message) == (
        f"<{message.delivery_key}@laget.invalid>")
    assert email["Auto-Submitted"] == "auto-generated"
    assert "Du har 2 forfalte oppgaver i Laget." in email.get_content()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at) == (MessageStatus.SENT, 1, T0)


@pytest.mark.django_db
def test_smtp_temporary_refusal_is_retried_and_permanent_refusal_fails(smtp_server,
                                                                       notify_settings):
    smtp_server.replies.extend(["451 4.3.0 Try again later", "550 5.1.1 No such user"])
    with _at(0):
        message = enqueue(channel=Channel.EMAIL, to="a@b.example", subject="S", body="B",
                          key="mail-2")
        assert deliver_due().retrying == [message.pk]
    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.QUEUED,
                                                    "SMTP recipient refused 451")
    with _at(30):
        assert deliver_due().failed == [message.pk]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 2)
    assert "a@b.example" not in message.last_error
    assert smtp_server.received == []


@pytest.mark.django_db
def test_an_sms_reaches_the_gateway_with_token_key_and_reference(sms_gateway):
    with _at(0):
        message = _sms()
        deliver_due()
    [request] = sms_gateway.requests
    assert request.headers["Authorization"] == "Bearer test-token-123"
    assert request.headers["Idempotency-Key"] == message.delivery_key
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.payload == {"to": "+4799999999", "text": "Hei! Ring bydelen på 22 22 22 22.",
                               "reference": str(message.pk)}
    assert Message.objects.get().status == MessageStatus.SENT


@pytest.mark.django_db
def test_gateway_500s_are_retried_with_backoff_until_it_recovers(sms_gateway, notify_settings):
    sms_gateway.script.extend([500, 503])
    with _at(0):
        message = _sms()
        assert deliver_due().retrying == [message.pk]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        MessageStatus.QUEUED, 1, "HTTP 500")
    assert message.next_attempt_at == T0 + dt.timedelta(seconds=30)
    # The retry has its own task, due at the retry's time.
    retry_task = DBTaskResult.objects.get(args_kwargs__args=[str(message.pk)])
    assert retry_task.run_after == T0 + dt.timedelta(seconds=30)
    with _at(29):
        assert deliver_due().as_dict() == {"sent": 0, "retrying": 0, "failed": 0}
    with _at(30):
        assert deliver_due().retrying == [message.pk]
    message.refresh_from_db()
    assert message.next_attempt_at == T0 + dt.timedelta(seconds=30 + 60)
    with _at(90):
        assert deliver_due().sent == [message.pk]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 3, "")
    assert sms_gateway.keys() == [message.delivery_key] * 3
    assert len(sms_gateway.delivered()) == 1


def test_the_backoff_doubles_up_to_the_maximum(notify_settings):
    assert [backoff(n).total_seconds() for n in range(1, 6)] == [30, 60, 100, 100, 100]


@pytest.mark.django_db
def test_a_gateway_down_past_the_last_attempt_fails_the_message_for_a_human(
        sms_gateway, notify_settings):
    sms_gateway.script.extend([500] * 10)
    agency = AgencyFactory(type="politi", district_id=None)
    police = Actor(UserFactory(), MembershipFactory(agency=agency))
    other = Actor(UserFactory(), MembershipFactory())
    with _at(0):
        message = _sms(follow_up_agency=agency)
    elapsed, waits = 0, []
    for _attempt in range(4):
        with _at(elapsed):
            run = deliver_due()
        message.refresh_from_db()
        if message.status == MessageStatus.QUEUED:
            wait = (message.next_attempt_at - (T0 + dt.timedelta(seconds=elapsed)))
            waits.append(wait.total_seconds())
            elapsed += wait.total_seconds()
    assert waits == [30, 60, 100]
    assert run.failed == [message.pk]
    assert (message.status, message.attempts, message.last_error) == (
        MessageStatus.FAILED, 4, "HTTP 500")
    assert message.failed_at == T0 + dt.timedelta(seconds=190)
    assert len(sms_gateway.requests) == 4
    with _at(10_000):
        assert deliver_due().as_dict() == {"sent": 0, "retrying": 0, "failed": 0}
    assert list(failed_messages_for(actor=police)) == [message]
    assert list(failed_messages_for(actor=other)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "outcome"), [
    (400, MessageStatus.FAILED), (401, MessageStatus.FAILED), (422, MessageStatus.FAILED),
    (429, MessageStatus.QUEUED), (408, MessageStatus.QUEUED), (502, MessageStatus.QUEUED),
])
def test_4xx_is_permanent_except_the_retryable_ones(sms_gateway, status, outcome):
    sms_gateway.script.append(status)
    with _at(0):
        message = _sms()
        deliver_due()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        outcome, 1, f"HTTP {status}")


@pytest.mark.django_db
def test_a_gateway_that_does_not_answer_is_retried(settings):
    settings.LAGET_NOTIFY_SMS_URL = "http://127.0.0.1:9/v1/sms"  # discard port: refused
    with _at(0):
        message = _sms()
        assert deliver_due().retrying == [message.pk]
    message.refresh_from_db()
    assert message.last_error.startswith("HTTP ")
    assert "99999999" not in message.last_error


@pytest.mark.django_db
def test_a_plain_http_gateway_elsewhere_than_loopback_is_refused(settings):
    settings.LAGET_NOTIFY_SMS_URL = "http://sms.example/v1"
    with _at(0):
        message = _sms()
        deliver_due()
    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.QUEUED,
                                                    "SMS gateway URL must be https")


@pytest.mark.django_db
def test_a_worker_that_died_mid_delivery_is_replaced_after_its_lease_with_the_same_key(
        sms_gateway, notify_settings):
    with _at(0):
        message = _sms()
        # A worker takes the message, sends it, and dies before recording that it did.
        [taken] = services._claim(limit=10)
        services.channels.send(taken)
    taken.refresh_from_db()
    assert (taken.status, taken.attempts) == (MessageStatus.SENDING, 1)
    assert taken.lease_until == T0 + dt.timedelta(seconds=120)
    with _at(119):  # still leased: nobody else takes it
        assert deliver_due().sent == []
        assert message_deliver(message_id=message.pk).sent == []
    with _at(120):
        assert deliver_due().sent == [message.pk]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert sms_gateway.keys() == [message.delivery_key, message.delivery_key]
    assert [r.payload["reference"] for r in sms_gateway.requests] == [str(message.pk)] * 2
    assert len(sms_gateway.delivered()) == 1  # the gateway drops the duplicate


@pytest.mark.django_db
def test_a_stale_worker_cannot_undo_a_newer_attempt(sms_gateway, notify_settings):
    with _at(0):
        message = _sms()
        [stale] = services._claim(limit=1)
    with _at(200):
        [fresh] = services._claim(limit=1)
        assert fresh.attempts == 2
        # The stale worker's failure is ignored; the fresh worker's success counts.
        assert services._mark_failed_attempt(stale, "HTTP 500", permanent=True) == ""
        services._mark_sent(fresh)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)


@pytest.mark.django_db
def test_a_message_whose_lease_was_taken_over_mid_batch_is_left_to_its_new_worker(
        sms_gateway, notify_settings):
    with _at(0):
        first = _sms("a")
    with _at(1):
        second = _sms("b")
        batch = services._claim(limit=10)
        assert [m.pk for m in batch] == [first.pk, second.pk]
    # While the first message was being sent, the second's lease ran out and another worker
    # took it.
    with _at(200):
        [taken] = services._claim(limit=10, message_id=second.pk)
        assert taken.attempts == 2
        run = services.DeliveryRun()
        services._deliver(batch, run)
    assert run.sent == [first.pk]
    assert [r.payload["reference"] for r in sms_gateway.requests] == [str(first.pk)]
    second.refresh_from_db()
    assert (second.status, second.attempts) == (MessageStatus.SENDING, 2)


@pytest.mark.django_db
def test_the_console_channel_appends_to_its_file(console_file):
    user = UserFactory(email="")
    with _at(0):
        message = notify_user(user=user, key="c1", subject="Forfalte oppgaver i Laget",
                              body="Du har 1 forfalt oppgave i Laget.")
        deliver_due()
    text = console_file.read_text(encoding="utf-8")
    assert f"Til: user:{user.pk}" in text and "Du har 1 forfalt oppgave i Laget." in text
    assert f"key={message.delivery_key}" in text
    assert Message.objects.get().status == MessageStatus.SENT


@pytest.mark.django_db
def test_one_broken_message_does_not_stop_the_others(sms_gateway, monkeypatch, caplog):
    def broken(message):
        raise RuntimeError(f"boom for {message.to_address}")

    monkeypatch.setitem(services.channels.SENDERS, Channel.EMAIL, broken)
    with _at(0):
        mail = enqueue(channel=Channel.EMAIL, to="privat@example.no", subject="S", body="B",
                       key="m")
        sms = _sms()
        run = deliver_due()
    assert run.retrying == [mail.pk] and run.sent == [sms.pk]
    mail.refresh_from_db()
    assert mail.last_error == "unexpected RuntimeError"
    assert "privat@example.no" not in caplog.text and "99999999" not in caplog.text


@pytest.mark.django_db
def test_the_tasks_deliver(sms_gateway):
    with _at(0):
        first, second = _sms("a"), _sms("b")
        # the first message's task takes the second along (a batch of what is due)
        assert deliver_message.call(str(first.pk)) == {"sent": 2, "retrying": 0, "failed": 0}
        assert deliver_message.call(str(second.pk)) == {"sent": 0, "retrying": 0, "failed": 0}
        third = _sms("c")
        assert deliver_due_messages.call() == {"sent": 1, "retrying": 0, "failed": 0}
    assert {r.payload["reference"] for r in sms_gateway.requests} == {
        str(first.pk), str(second.pk), str(third.pk)}


@pytest.mark.django_db
def test_a_message_task_takes_a_batch_of_what_else_is_due(sms_gateway, settings):
    """Under a burst, the first task drains a batch and the tasks behind it have nothing left."""
    settings.LAGET_NOTIFY_BATCH_SIZE = 3
    with _at(0):
        messages = [_sms(f"burst-{n}") for n in range(5)]
        assert deliver_message.call(str(messages[0].pk)) == {
            "sent": 3, "retrying": 0, "failed": 0}
        assert deliver_message.call(str(messages[1].pk)) == {
            "sent": 2, "retrying": 0, "failed": 0}
        assert deliver_message.call(str(messages[4].pk)) == {
            "sent": 0, "retrying": 0, "failed": 0}
    assert sorted(sms_gateway.keys()) == sorted(m.delivery_key for m in messages)


@pytest.mark.django_db
def test_old_messages_lose_address_and_text_but_keep_their_key(sms_gateway, settings):
    settings.LAGET_NOTIFY_RETENTION_DAYS = 30
    with _at(0):
        message = _sms()
        deliver_due()
    with _at(29 * 86400):
        assert services.messages_scrub() == 0
    with _at(31 * 86400):
        assert services.messages_scrub() == 1
        # The key still stops a second message.
        assert enqueue(channel=Channel.SMS, to="99999999", subject="", body="B",
                       key="sms-1") is None
    message.refresh_from_db()
    assert (message.to_address, message.body, message.status) == ("", "", MessageStatus.SENT)
