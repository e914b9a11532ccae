"""Delivery receipts: the fake gateway POSTs a signed receipt over real HTTP to Laget's endpoint
after accepting a message, and Laget records the message as delivered (or failed) and audits it.
Unsigned, wrongly signed, stale and malformed receipts are refused with problem+json and change
nothing."""

import datetime as dt
import hashlib
import hmac
import json
import time
import uuid

import pytest
from django.urls import reverse

from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.notify import services
from laget.notify.models import Channel, Message, MessageStatus
from laget.notify.services import deliver_due, enqueue

SECRET = "receipt-secret-for-tests"
URL = "/api/v1/notify/sms/receipts"


def _sms(key: str = "sms-receipt", person_id: uuid.UUID | None = None) -> Message:
    message = enqueue(channel=Channel.SMS, to="+4799999999", subject="", body="Hei!", key=key,
                      person_id=person_id)
    assert message is not None
    return message


def _signed(payload: dict, *, secret: str = SECRET, stamp: int | None = None) -> tuple[bytes, str]:
    body = json.dumps(payload).encode()
    stamp = int(time.time()) if stamp is None else stamp
    mac = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={stamp},v1={mac}"


def _post(client, payload: dict | bytes, header: str | None = None, **kwargs):
    if isinstance(payload, bytes):
        body = payload
    else:
        body, signed = _signed(payload, **kwargs)
        header = signed if header is None else header
    headers = {"Laget-Signature": header} if header is not None else {}
    return client.post(URL, data=body, content_type="application/json", headers=headers)


@pytest.fixture
def receipts_on(settings):
    settings.LAGET_NOTIFY_SMS_RECEIPT_SECRET = SECRET
    return settings


def _status(message: Message) -> str:
    return Message.objects.get(pk=message.pk).status


@pytest.mark.django_db(transaction=True)
def test_the_gateway_receipt_over_http_marks_the_message_delivered_and_audits_it(
        live_server, sms_gateway, receipts_on):
    receipts_on.LAGET_NOTIFY_SMS_RECEIPT_URL = live_server.url + URL
    sms_gateway.receipt_secret = SECRET
    person_id = uuid.uuid4()
    message = _sms(person_id=person_id)
    assert deliver_due().sent == [message.pk]
    assert sms_gateway.requests[0].payload["receipt_url"] == live_server.url + URL
    assert sms_gateway.wait_for_receipts(1) == [200]
    stored = Message.objects.get(pk=message.pk)
    assert stored.status == MessageStatus.DELIVERED
    assert stored.delivered_at is not None and stored.sent_at is not None
    event = AuditEvent.objects.get(action=Action.NOTIFY_DELIVERED)
    assert [s.person_id for s in event.subjects.all()] == [person_id]
    assert event.details == {"channel": "sms", "receipt": "delivered"}


@pytest.mark.django_db(transaction=True)
def test_a_failure_receipt_over_http_fails_the_message_for_a_human(
        live_server, sms_gateway, receipts_on):
    receipts_on.LAGET_NOTIFY_SMS_RECEIPT_URL = live_server.url + URL
    sms_gateway.receipt_secret = SECRET
    sms_gateway.receipt_status = "undeliverable"
    message = _sms()
    deliver_due()
    assert sms_gateway.wait_for_receipts(1) == [200]
    stored = Message.objects.get(pk=message.pk)
    assert (stored.status, stored.last_error) == (MessageStatus.FAILED, "receipt undeliverable")
    assert AuditEvent.objects.filter(action=Action.NOTIFY_FAILED).count() == 1


@pytest.mark.django_db
def test_a_repeated_receipt_changes_nothing_more(client, sms_gateway, receipts_on):
    message = _sms()
    deliver_due()
    for _ in range(2):
        response = _post(client, {"reference": str(message.pk), "status": "delivered"})
        assert response.status_code == 200
        assert response.json() == {"status": "delivered"}
    assert AuditEvent.objects.filter(action=Action.NOTIFY_DELIVERED).count() == 1


@pytest.mark.django_db
def test_interim_states_change_nothing(client, sms_gateway, receipts_on):
    message = _sms()
    deliver_due()
    response = _post(client, {"reference": str(message.pk), "status": "buffered"})
    assert (response.status_code, response.json()) == (200, {"status": "sent"})
    assert _status(message) == MessageStatus.SENT


@pytest.mark.django_db
def test_a_receipt_before_the_worker_recorded_the_send_is_not_undone(client, sms_gateway,
                                                                    receipts_on, monkeypatch):
    """The gateway's receipt can overtake the worker's own bookkeeping: the worker must not turn
    a delivered message back into sent."""
    message = _sms()
    real_send = services.channels.send

    def send_then_receipt(msg):
        real_send(msg)
        response = _post(client, {"reference": str(msg.pk), "status": "delivered"})
        assert response.status_code == 200

    monkeypatch.setattr(services.channels, "send", send_then_receipt)
    deliver_due()
    stored = Message.objects.get(pk=message.pk)
    assert stored.status == MessageStatus.DELIVERED and stored.lease_until is None


@pytest.mark.django_db
def test_a_failure_receipt_before_the_worker_recorded_the_send_stays_failed(
        client, sms_gateway, receipts_on, monkeypatch):
    message = _sms()
    real_send = services.channels.send

    def send_then_receipt(msg):
        real_send(msg)
        assert _post(client, {"reference": str(msg.pk), "status": "expired"}).status_code == 200

    monkeypatch.setattr(services.channels, "send", send_then_receipt)
    deliver_due()
    assert _status(message) == MessageStatus.FAILED


@pytest.mark.django_db
def test_delivered_wins_over_a_message_given_up_after_timeouts(client, receipts_on):
    message = _sms()
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED,
                                                 last_error="HTTP TimeoutError")
    assert _post(client, {"reference": str(message.pk), "status": "delivered"}).json() == {
        "status": "delivered"}


@pytest.mark.parametrize("header", [None, "", "t=abc,v1=00", "v1=00", "t=1"])
@pytest.mark.django_db
def test_unsigned_receipts_are_refused(client, receipts_on, header):
    message = _sms()
    body = json.dumps({"reference": str(message.pk), "status": "delivered"}).encode()
    response = _post(client, body, header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Signature"
    assert _status(message) == MessageStatus.QUEUED


@pytest.mark.django_db
def test_a_wrong_secret_or_a_changed_body_is_refused(client, receipts_on):
    message = _sms()
    payload = {"reference": str(message.pk), "status": "delivered"}
    assert _post(client, payload, secret="someone-else").status_code == 401
    _body, header = _signed(payload)
    tampered = json.dumps({**payload, "status": "failed"}).encode()
    assert _post(client, tampered, header).status_code == 401
    assert _status(message) == MessageStatus.QUEUED


@pytest.mark.parametrize("age", [-400, 400])
@pytest.mark.django_db
def test_a_stale_or_future_timestamp_is_refused(client, receipts_on, age):
    message = _sms()
    response = _post(client, {"reference": str(message.pk), "status": "delivered"},
                     stamp=int(time.time()) - age)
    assert response.status_code == 401


@pytest.mark.django_db
def test_two_signatures_during_a_secret_rotation(client, receipts_on):
    message = _sms()
    payload = {"reference": str(message.pk), "status": "delivered"}
    body, good = _signed(payload)
    stamp = good.split(",")[0]
    header = f"{stamp},v1={'0' * 64},{good.split(',')[1]}"
    assert _post(client, body, header).status_code == 200


@pytest.mark.django_db
def test_without_a_configured_secret_no_receipt_is_accepted(client, settings):
    settings.LAGET_NOTIFY_SMS_RECEIPT_SECRET = ""
    message = _sms()
    response = _post(client, {"reference": str(message.pk), "status": "delivered"}, secret="")
    assert response.status_code == 401


@pytest.mark.parametrize(("payload", "status"), [
    (b"not json", 400),
    (b"[1, 2]", 400),
    ({"reference": "not-a-uuid", "status": "delivered"}, 400),
    ({"reference": str(uuid.UUID(int=7)), "status": "delivered"}, 404),
    ({"reference": "{pk}", "status": "teleported"}, 400),
    ({"reference": "{pk}", "status": "delivered", "timestamp": "yesterday"}, 400),
    ({"reference": "{pk}", "status": "delivered", "timestamp": "2026-11-26T08:00:00"}, 400),
])
@pytest.mark.django_db
def test_malformed_receipts_get_a_problem_and_change_nothing(client, receipts_on, payload,
                                                             status):
    message = _sms()
    if isinstance(payload, dict):
        payload = {k: v.replace("{pk}", str(message.pk)) for k, v in payload.items()}
        body, header = _signed(payload)
    else:
        body, header = payload, _signed_raw(payload)
    response = _post(client, body, header)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert _status(message) == MessageStatus.QUEUED


def _signed_raw(body: bytes) -> str:
    stamp = int(time.time())
    mac = hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={mac}"


@pytest.mark.django_db
def test_the_network_time_is_kept_but_never_later_than_now(client, receipts_on):
    message = _sms()
    earlier = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    _post(client, {"reference": str(message.pk), "status": "delivered",
                   "timestamp": earlier.isoformat()})
    assert Message.objects.get(pk=message.pk).delivered_at == earlier
    other = _sms(key="later")
    _post(client, {"reference": str(other.pk), "status": "delivered",
                   "timestamp": "2999-01-01T00:00:00+00:00"})
    assert Message.objects.get(pk=other.pk).delivered_at.year < 2999


@pytest.mark.django_db
def test_the_endpoint_is_in_the_openapi_document(client):
    schema = client.get(reverse("api:openapi-json")).json()
    assert "/api/v1/notify/sms/receipts" in schema["paths"]
