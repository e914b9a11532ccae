"""/healthz and /readyz (laget.web.views.operations, laget.web.probes): the liveness probe reads
no database and answers during an outage, past the login, the host check and a logged-in session;
the readiness probe names each failing check and nothing else."""

import datetime as dt
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.audit.services import audit_record
from laget.core import clock
from laget.notify.models import Channel, Message, MessageStatus
from laget.web.selectors import operations

ALL_OK = {"database": "ok", "migrations": "ok", "audit_sequencer": "ok", "notify_outbox": "ok"}


@pytest.fixture(autouse=True)
def _fresh_migration_memo(monkeypatch):
    # Each test starts as a fresh process that has not yet seen its migrations applied.
    monkeypatch.setattr(operations, "_migrations_applied", False)


@contextmanager
def database_down():
    """Every query fails as when PostgreSQL has gone away under a running process."""
    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with mock.patch.object(connection, "ensure_connection", lost):
        yield


def test_healthz_answers_ok_without_a_database(client):
    # no django_db mark: pytest-django refuses any query
    response = client.get(reverse("web:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"


def test_healthz_is_at_its_fixed_address():
    assert (reverse("web:healthz"), reverse("web:readyz")) == ("/healthz", "/readyz")


@pytest.mark.django_db
def test_healthz_makes_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/healthz").content == b"ok"


@pytest.mark.django_db
def test_healthz_in_a_session_reads_nothing_and_skips_the_login_chain(
        make_member, login, django_assert_num_queries):
    """A logged-in session would have the session, the user and the idle timeout read and
    written; the probe passes by them all."""
    client = login(Client(), make_member("coordinator"))
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200


def test_healthz_answers_a_probe_by_address_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    # the same request to a page is refused (host check) before anything else
    assert client.get("/tilgjengelighet/", HTTP_HOST="10.0.0.7:8000").status_code == 400


@pytest.mark.django_db
def test_during_an_outage_healthz_is_200_readyz_503_and_pages_503(make_member, login):
    client = login(Client(raise_request_exception=False), make_member("coordinator"))
    with database_down():
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
        page = client.get("/")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unready", "checks": {
        "database": "unreachable", "migrations": "skipped", "audit_sequencer": "skipped",
        "notify_outbox": "skipped"}}
    assert page.status_code == 503


def test_healthz_takes_only_safe_methods(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200


@pytest.mark.django_db
def test_readyz_when_all_is_well(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": ALL_OK}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_with_a_migration_not_applied(client, monkeypatch):
    monkeypatch.setattr(operations, "migration_plan", lambda: ["audit.9999_not_yet"])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok", "migrations": "unapplied", "audit_sequencer": "skipped",
        "notify_outbox": "skipped"}


@pytest.mark.django_db
def test_the_migrations_are_checked_once_per_process(client, monkeypatch):
    calls = []
    real = operations.migration_plan

    def counted():
        calls.append(1)
        return real()

    monkeypatch.setattr(operations, "migration_plan", counted)
    assert client.get("/readyz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert len(calls) == 1
    # an unapplied migration is looked at again on the next probe
    monkeypatch.setattr(operations, "_migrations_applied", False)
    monkeypatch.setattr(operations, "migration_plan", lambda: ["x.0001"])
    assert client.get("/readyz").status_code == 503
    assert client.get("/readyz").status_code == 503


def test_the_migration_plan_of_the_test_database_is_empty(db):
    assert operations.migration_plan() == []


def _unsequenced(count: int) -> list[AuditEvent]:
    return [audit_record(action=Action.LOGIN, actor=None) for _ in range(count)]


@pytest.mark.django_db
def test_readyz_with_too_many_events_waiting_for_the_sequencer(client, settings):
    settings.LAGET_READY_MAX_SEQUENCER_LAG = 2
    _unsequenced(2)
    assert client.get("/readyz").status_code == 200
    _unsequenced(1)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unready",
                               "checks": {**ALL_OK, "audit_sequencer": "too_many_waiting"}}
    settings.LAGET_READY_MAX_SEQUENCER_LAG = 0  # off
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_with_an_event_waiting_too_long(client, settings):
    settings.LAGET_READY_MAX_SEQUENCER_AGE_SECONDS = 300
    event, = _unsequenced(1)
    AuditEvent.objects.filter(pk=event.pk).update(
        occurred_at=clock.now() - dt.timedelta(seconds=290))
    assert client.get("/readyz").status_code == 200
    AuditEvent.objects.filter(pk=event.pk).update(
        occurred_at=clock.now() - dt.timedelta(seconds=310))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["audit_sequencer"] == "oldest_too_old"
    # once the sequencer has numbered it, the log is caught up
    AuditEvent.objects.filter(pk=event.pk).update(log_index=10_000_000)
    assert client.get("/readyz").status_code == 200


def _queued(count: int, *, due_seconds_ago: int, status: str = MessageStatus.QUEUED) -> None:
    due = clock.now() - dt.timedelta(seconds=due_seconds_ago)
    start = Message.objects.count()
    Message.objects.bulk_create(
        Message(channel=Channel.SMS, to_address="+4799999999", body="Testmelding.",
                idempotency_key=f"ops-test-{start + i}", status=status, next_attempt_at=due)
        for i in range(count))


@pytest.mark.django_db
def test_readyz_with_the_outbox_behind(client, settings):
    settings.LAGET_READY_MAX_OUTBOX_BACKLOG = 2
    settings.LAGET_READY_OUTBOX_OVERDUE_SECONDS = 600
    _queued(2, due_seconds_ago=700)
    # due but not yet overdue, or not waiting at all, does not count
    _queued(5, due_seconds_ago=10)
    _queued(5, due_seconds_ago=700, status=MessageStatus.FAILED)
    assert client.get("/readyz").status_code == 200
    _queued(1, due_seconds_ago=700)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unready",
                               "checks": {**ALL_OK, "notify_outbox": "too_many_overdue"}}


@pytest.mark.django_db
def test_readyz_says_no_numbers_and_no_data(client, settings):
    settings.LAGET_READY_MAX_SEQUENCER_LAG = 1
    _unsequenced(3)
    _queued(200, due_seconds_ago=7200)
    body = client.get("/readyz").content.decode()
    assert not any(ch.isdigit() for ch in body)
    assert "+47" not in body and "Testmelding" not in body
