"""Webhooks to an agency's own system over real HTTP on loopback: signed so the agency can check
them with its own HMAC code, retried through the outbox like any message, the same delivery id on
every attempt, never a redirect followed, a rotated secret signing beside the old one for the
grace period, ids only in the body — and `manage.py webhook` with exit 2 on bad input."""

import datetime as dt
import io
import json
import uuid

import pytest
from django.core.management import call_command

from laget.accounts.tests.factories import AgencyFactory
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify import webhooks
from laget.notify.models import Channel, Message, MessageStatus, WebhookEndpoint, WebhookEvent
from laget.notify.services import deliver_due

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)


def _at(seconds: float):
    return clock.frozen(T0 + dt.timedelta(seconds=seconds))


@pytest.fixture
def agency():
    return AgencyFactory(type="nav", code="nav-stovner")


@pytest.fixture
def endpoint(agency, webhook_receiver):
    return webhooks.endpoint_create(agency=agency, url=webhook_receiver.url,
                                    events=[WebhookEvent.TASK_CREATED])


def _emit(agency, key="task-1", **data):
    return webhooks.emit(event=WebhookEvent.TASK_CREATED, agencies=[agency],
                         data=data or {"task": str(uuid.uuid4())}, key=key)


def test_a_webhook_is_signed_and_names_things_by_id_only(agency, endpoint, webhook_receiver):
    task_id = str(uuid.uuid4())
    with _at(0):
        [message] = _emit(agency, task=task_id)
        assert deliver_due().sent == [message.pk]
    [delivery] = webhook_receiver.deliveries
    assert webhook_receiver.signed_by(delivery, endpoint.secret())
    assert not webhook_receiver.signed_by(delivery, "another secret")
    assert delivery.headers["Laget-Event"] == "task.created"
    assert delivery.headers["Laget-Delivery"] == message.delivery_key
    assert delivery.headers["Content-Type"].startswith("application/json")
    body = json.loads(delivery.body)
    assert body["event"] == "task.created" and body["agency"] == "nav-stovner"
    assert body["data"] == {"task": task_id}
    assert set(body) == {"id", "event", "occurred_at", "agency", "data"}
    assert message.channel == Channel.WEBHOOK
    # the outcome is audited like any message: channel and attempts, never the address
    sent = AuditEvent.objects.get(action=Action.NOTIFY_SENT)
    assert sent.details == {"channel": "webhook", "attempts": 1}


def test_failures_are_retried_with_the_same_delivery_id_and_the_receiver_acts_once(
        agency, endpoint, webhook_receiver, notify_settings):
    webhook_receiver.script.extend([500, 503])
    with _at(0):
        [message] = _emit(agency)
        assert deliver_due().retrying == [message.pk]
    with _at(31):
        assert deliver_due().retrying == [message.pk]
    with _at(100):
        assert deliver_due().sent == [message.pk]
    assert len(webhook_receiver.deliveries) == 3
    assert {d.headers["Laget-Delivery"] for d in webhook_receiver.deliveries} == {
        message.delivery_key}
    assert len(webhook_receiver.events()) == 1
    # each attempt is signed afresh (a new timestamp), always with the endpoint's secret
    assert all(webhook_receiver.signed_by(d, endpoint.secret())
               for d in webhook_receiver.deliveries)


def test_a_refusal_or_a_redirect_fails_for_good(agency, endpoint, webhook_receiver):
    webhook_receiver.script.append(410)
    with _at(0):
        [gone] = _emit(agency, key="a")
        assert deliver_due().failed == [gone.pk]
    webhook_receiver.redirect_to = "http://127.0.0.1:9/elsewhere"
    with _at(1):
        [moved] = _emit(agency, key="b")
        assert deliver_due().failed == [moved.pk]
    moved.refresh_from_db()
    assert moved.last_error == "HTTP 307" and moved.status == MessageStatus.FAILED
    assert len(webhook_receiver.deliveries) == 2  # the redirect was not followed


def test_only_subscribed_active_endpoints_of_the_agencies_get_it(agency, endpoint,
                                                                 webhook_receiver):
    other = webhooks.endpoint_create(agency=AgencyFactory(), url=webhook_receiver.url,
                                     events=[WebhookEvent.TASK_CREATED])
    concerns_only = webhooks.endpoint_create(agency=agency, url=webhook_receiver.url,
                                             events=[WebhookEvent.CONCERN_RECEIVED])
    assert [m.to_address for m in _emit(agency)] == [f"webhook:{endpoint.pk}"]
    assert other.pk and concerns_only.pk
    # the same occurrence twice is one message
    assert _emit(agency) == []
    # switched off after queueing: the queued message fails for good, nothing is sent
    [queued] = _emit(agency, key="later")
    webhooks.endpoint_deactivate(endpoint=endpoint)
    assert _emit(agency, key="after") == []
    run = deliver_due()
    assert queued.pk in run.failed and webhook_receiver.deliveries == []


def test_a_rotated_secret_signs_beside_the_old_one_for_the_grace_period(agency, endpoint,
                                                                        webhook_receiver):
    old = endpoint.secret()
    with _at(0):
        rotated = webhooks.endpoint_rotate(endpoint=endpoint, grace_hours=2)
        _emit(agency, key="during")
        deliver_due()
    assert rotated.secret() != old
    [during] = webhook_receiver.deliveries
    assert webhook_receiver.signed_by(during, old)
    assert webhook_receiver.signed_by(during, rotated.secret())
    with _at(2 * 3600 + 1):
        _emit(agency, key="after")
        deliver_due()
    after = webhook_receiver.deliveries[1]
    assert webhook_receiver.signed_by(after, rotated.secret())
    assert not webhook_receiver.signed_by(after, old)


def test_the_secret_is_derived_not_stored(agency, endpoint, settings):
    row = WebhookEndpoint.objects.filter(pk=endpoint.pk).values().get()
    assert endpoint.secret() not in json.dumps(row, default=str)
    before = endpoint.secret()
    settings.LAGET_WEBHOOK_KEY = "another deployment's key"
    assert endpoint.secret() != before


def test_bad_endpoints_and_bad_data_are_refused(agency):
    with pytest.raises(DomainError):
        webhooks.endpoint_create(agency=agency, url="http://example.com/hook",
                                 events=[WebhookEvent.TASK_CREATED])
    with pytest.raises(DomainError):
        webhooks.endpoint_create(agency=agency, url="https://example.com/hook",
                                 events=["task.deleted"])
    with pytest.raises(DomainError):
        webhooks.endpoint_create(agency=agency, url="https://example.com/hook", events=[])
    with pytest.raises(ValueError):
        _emit(agency, person="Sara Syntetisk")
    with pytest.raises(ValueError):
        _emit(agency, person="01010112345")
    assert not WebhookEndpoint.objects.exists() and not Message.objects.exists()


def test_the_command_adds_rotates_lists_and_removes(agency, webhook_receiver):
    out = io.StringIO()
    call_command("webhook", "add", "nav-stovner", webhook_receiver.url, "--event",
                 "task.created", "--event", "case.weapon_trigger", stdout=out)
    endpoint_id, secret = out.getvalue().split()
    endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
    assert endpoint.secret() == secret
    assert endpoint.events == ["case.weapon_trigger", "task.created"]
    out = io.StringIO()
    call_command("webhook", "rotate", endpoint_id, stdout=out)
    assert out.getvalue().strip() == WebhookEndpoint.objects.get(pk=endpoint_id).secret() != secret
    out = io.StringIO()
    call_command("webhook", "list", stdout=out)
    assert endpoint_id in out.getvalue() and "queued=0" in out.getvalue()
    call_command("webhook", "remove", endpoint_id)
    assert not WebhookEndpoint.objects.get(pk=endpoint_id).active
    changes = AuditEvent.objects.filter(action=Action.API_CLIENT_CHANGE)
    assert [e.details["change"] for e in changes.order_by("occurred_at", "id")] == [
        "webhook_create", "webhook_rotate", "webhook_deactivate"]


@pytest.mark.parametrize("args", [
    ["add", "no-such-agency", "https://example.com/h", "--event", "task.created"],
    ["add", "nav-stovner", "ftp://example.com/h", "--event", "task.created"],
    ["add", "nav-stovner", "https://example.com/h", "--event", "nope"],
    ["rotate", "not-a-uuid"],
    ["remove", str(uuid.UUID(int=1))],
])
def test_the_command_exits_2_with_one_line_on_bad_input(agency, args, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("webhook", *args)
    assert exit_.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not WebhookEndpoint.objects.exists()
