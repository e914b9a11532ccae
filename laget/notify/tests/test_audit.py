"""Every delivered or finally failed message leaves one audit event, in the transaction that marks
its status: the channel and the number of attempts, the person it concerns, never the address or
the text."""

import datetime as dt
import json
import uuid

import pytest

from laget.audit.actions import Action, Purpose
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.notify import services
from laget.notify.models import Channel, Message, MessageStatus
from laget.notify.services import deliver_due, enqueue

T0 = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
ADDRESS = "+4799999999"
TEXT = "Hei! Ring bydelen på 22 22 22 22."


def _sms(key="sms-audit", **kwargs) -> Message:
    message = enqueue(channel=Channel.SMS, to=ADDRESS, subject="", body=TEXT, key=key, **kwargs)
    assert message is not None
    return message


def _notify_events():
    return list(AuditEvent.objects.filter(action__in=[Action.NOTIFY_SENT, Action.NOTIFY_FAILED])
                .prefetch_related("subjects").order_by("id"))


def _assert_no_address_or_text(event: AuditEvent) -> None:
    dumped = json.dumps(event.details) + bytes(event.payload or b"").decode(errors="replace")
    assert "99999999" not in dumped
    assert "Ring bydelen" not in dumped


@pytest.mark.django_db
def test_a_sent_message_is_audited_once_with_the_person_and_no_address(sms_gateway):
    person_id = uuid.uuid4()
    with clock.frozen(T0):
        message = _sms(person_id=person_id)
        assert deliver_due().sent == [message.pk]
        deliver_due()
    [event] = _notify_events()
    assert event.action == Action.NOTIFY_SENT
    assert event.actor is None
    assert event.purpose == Purpose.OPPFOLGING
    assert (event.object_type, event.object_id) == ("notify.message", str(message.pk))
    assert event.details == {"channel": "sms", "attempts": 1}
    assert [s.person_id for s in event.subjects.all()] == [person_id]
    _assert_no_address_or_text(event)


@pytest.mark.django_db
def test_retries_are_not_audited_and_the_final_failure_is(sms_gateway, notify_settings):
    sms_gateway.script.extend([500] * 10)
    elapsed = 0
    with clock.frozen(T0):
        message = _sms()
    for _attempt in range(4):
        with clock.frozen(T0 + dt.timedelta(seconds=elapsed)):
            deliver_due()
            if _attempt < 3:
                assert _notify_events() == []
        message.refresh_from_db()
        if message.status == MessageStatus.QUEUED:
            elapsed = (message.next_attempt_at - T0).total_seconds()
    assert message.status == MessageStatus.FAILED
    [event] = _notify_events()
    assert event.action == Action.NOTIFY_FAILED
    assert event.details == {"channel": "sms", "attempts": 4}
    assert list(event.subjects.all()) == []
    _assert_no_address_or_text(event)


@pytest.mark.django_db
def test_a_permanent_refusal_is_audited_as_failed_after_one_attempt(sms_gateway):
    sms_gateway.script.append(400)
    person_id = uuid.uuid4()
    with clock.frozen(T0):
        message = _sms(person_id=person_id)
        assert deliver_due().failed == [message.pk]
    [event] = _notify_events()
    assert (event.action, event.details) == (Action.NOTIFY_FAILED,
                                             {"channel": "sms", "attempts": 1})
    assert [s.person_id for s in event.subjects.all()] == [person_id]


@pytest.mark.django_db
def test_the_status_is_not_marked_without_its_audit_event(sms_gateway, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_record", broken)
    with clock.frozen(T0):
        message = _sms()
        with pytest.raises(RuntimeError):
            deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    assert message.sent_at is None
