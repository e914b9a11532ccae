"""/metrics (laget.web.metrics, laget.web.views.metrics): the Prometheus text format, parsed back
with prometheus_client's own parser; the latency histogram by route name, never the path; the
gauges from the database at scrape time; and who may scrape."""

import datetime as dt
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client
from django_tasks_db.models import DBTaskResult
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as openmetrics_families,
)
from prometheus_client.parser import text_string_to_metric_families

from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.audit.services import audit_record
from laget.core import clock
from laget.notify.models import Channel, Message, MessageStatus
from laget.web.metrics import metrics_allowed


def scrape(client: Client, **headers) -> dict[str, list]:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    families = text_string_to_metric_families(response.content.decode())
    return {family.name: family.samples for family in families}


def value(samples: list, name: str, **labels: str) -> float:
    found = [s.value for s in samples if s.name == name and s.labels == labels]
    assert len(found) == 1, (name, labels, samples)
    return found[0]


@pytest.mark.django_db
def test_the_gauges_are_read_from_the_database_at_scrape_time(client):
    metrics = scrape(client)
    assert value(metrics["laget_database_up"], "laget_database_up") == 1
    before = value(metrics["laget_audit_sequencer_lag_events"],
                   "laget_audit_sequencer_lag_events")

    events = [audit_record(action=Action.LOGIN, actor=None) for _ in range(3)]
    AuditEvent.objects.filter(pk=events[0].pk).update(
        occurred_at=clock.now() - dt.timedelta(seconds=120))
    AuditEvent.objects.filter(pk=events[1].pk).update(log_index=41)  # the log holds 0 … 41
    due = clock.now() - dt.timedelta(hours=2)
    Message.objects.bulk_create([
        Message(channel=Channel.SMS, to_address="+4799999999", body="Testmelding.",
                idempotency_key=f"metrics-{i}", status=status, next_attempt_at=due,
                lease_until=due if status == MessageStatus.SENDING else None,
                sent_at=due if status == MessageStatus.SENT else None)
        for i, status in enumerate([MessageStatus.QUEUED] * 3 + [MessageStatus.SENDING]
                                   + [MessageStatus.FAILED] * 2 + [MessageStatus.SENT])])
    ready_before = DBTaskResult.objects.filter(status="READY").count()

    metrics = scrape(client)
    assert value(metrics["laget_audit_sequencer_lag_events"],
                 "laget_audit_sequencer_lag_events") == before + 2
    assert value(metrics["laget_audit_sequencer_lag_oldest_seconds"],
                 "laget_audit_sequencer_lag_oldest_seconds") >= 120
    assert value(metrics["laget_audit_log_size_events"], "laget_audit_log_size_events") == 42
    backlog = metrics["laget_notify_outbox_backlog_messages"]
    assert value(backlog, "laget_notify_outbox_backlog_messages", status="queued") == 3
    assert value(backlog, "laget_notify_outbox_backlog_messages", status="sending") == 1
    assert value(metrics["laget_notify_outbox_overdue_messages"],
                 "laget_notify_outbox_overdue_messages") == 3
    assert value(metrics["laget_notify_failed_messages"], "laget_notify_failed_messages") == 2
    tasks = metrics["laget_task_results"]
    assert {s.labels["status"] for s in tasks} == {"ready", "running", "failed", "successful"}
    assert value(tasks, "laget_task_results", status="ready") == ready_before
    # the exposition holds no row's content
    text = client.get("/metrics").content.decode()
    assert "+4799999999" not in text and "Testmelding" not in text


@pytest.mark.django_db
def test_request_latency_by_route_name_method_and_status_class(client, make_member, login):
    user = make_member("coordinator")
    person_client = login(Client(), user)
    name = "laget_http_request_duration_seconds"

    def count(**labels: str) -> float:
        samples = scrape(client).get(name, [])
        return sum(s.value for s in samples if s.name == f"{name}_count" and s.labels == labels)

    listed = count(route="web:person_list", method="GET", status="2xx")
    missing = count(route="unmatched", method="GET", status="4xx")
    person_client.get("/personer/?q=Ola")
    person_client.get("/personer/?q=Kari")
    person_client.get("/saker/00000000-0000-0000-0000-000000000001/finnes-ikke/")
    assert count(route="web:person_list", method="GET", status="2xx") == listed + 2
    assert count(route="unmatched", method="GET", status="4xx") == missing + 1
    text = client.get("/metrics").content.decode()
    for secret in ("/personer/", "Ola", "00000000-0000-0000-0000-000000000001", user.username):
        assert secret not in text
    # a bucket series for each label set, cumulative up to +Inf
    buckets = [s for s in scrape(client)[name] if s.name == f"{name}_bucket"
               and s.labels.get("route") == "web:person_list" and s.labels["status"] == "2xx"]
    assert buckets[-1].labels["le"] == "+Inf"
    assert buckets[-1].value == listed + 2


@pytest.mark.django_db
def test_openmetrics_when_the_scraper_asks_for_it(client):
    response = client.get("/metrics", HTTP_ACCEPT="application/openmetrics-text; version=1.0.0,"
                                                  "text/plain;version=0.0.4;q=0.5")
    assert response["Content-Type"].startswith("application/openmetrics-text; version=1.0.0")
    names = {family.name for family in openmetrics_families(response.content.decode())}
    assert {"laget_database_up", "laget_task_results"} <= names


@pytest.mark.django_db
def test_the_probes_are_not_observed(client):
    client.get("/healthz")
    client.get("/readyz")
    routes = {s.labels.get("route") for s in
              scrape(client).get("laget_http_request_duration_seconds", [])}
    assert not routes & {"web:healthz", "web:readyz", "web:metrics"}


@pytest.mark.django_db
def test_a_scrape_during_an_outage_says_the_database_is_down(client):
    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with mock.patch.object(connection, "ensure_connection", lost):
        metrics = scrape(client)
    assert value(metrics["laget_database_up"], "laget_database_up") == 0
    assert "laget_audit_sequencer_lag_events" not in metrics


def test_a_scrape_reads_the_database(client):
    # no django_db mark: the gauges' queries are refused, which is not an outage
    with pytest.raises(RuntimeError, match="Database access not allowed"):
        client.get("/metrics")


@pytest.mark.django_db
def test_who_may_scrape(client, settings):
    settings.LAGET_METRICS_TOKEN = "s3cret-token-of-the-scraper"
    elsewhere = {"REMOTE_ADDR": "10.1.2.3"}
    # the loopback, unless a proxy forwarded the request
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    assert client.get("/metrics", HTTP_FORWARDED="for=203.0.113.9").status_code == 404
    # from elsewhere only with the token
    assert client.get("/metrics", **elsewhere).status_code == 404
    refused = client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **elsewhere)
    assert (refused.status_code, refused.content) == (404, b"Not Found")
    assert client.get("/metrics", HTTP_AUTHORIZATION="Basic s3cret-token-of-the-scraper",
                      **elsewhere).status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-of-the-scraper",
                      **elsewhere).status_code == 200
    # a proxied scrape with the token
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-of-the-scraper",
                      HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 200
    # the loopback switched off
    settings.LAGET_METRICS_LOOPBACK = False
    assert client.get("/metrics").status_code == 404
    # no token configured: an empty bearer opens nothing
    settings.LAGET_METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ", **elsewhere).status_code == 404


def test_the_token_is_compared_in_constant_time(rf, settings):
    settings.LAGET_METRICS_TOKEN = "abc"
    settings.LAGET_METRICS_LOOPBACK = False
    request = rf.get("/metrics", HTTP_AUTHORIZATION="Bearer abc", REMOTE_ADDR="10.0.0.1")
    with mock.patch("laget.web.metrics.hmac.compare_digest", return_value=False) as compare:
        assert metrics_allowed(request) is False
    compare.assert_called_once_with(b"abc", b"abc")


@pytest.mark.django_db
def test_metrics_skip_the_login_chain_and_the_host_check(make_member, login):
    client = login(Client(), make_member("coordinator"))
    assert client.get("/metrics", HTTP_HOST="127.0.0.1:9100").status_code == 200
    assert client.post("/metrics").status_code == 405


_WORKER = """
import django, sys
django.setup()
from laget.web.metrics import REQUEST_DURATION, scrape_registry
from prometheus_client import generate_latest
if sys.argv[1] == "serve":
    REQUEST_DURATION.labels("web:start", "GET", "2xx").observe(0.2)
else:
    sys.stdout.write(generate_latest(scrape_registry()).decode())
"""


def test_multiprocess_mode_adds_up_the_workers_histograms(tmp_path):
    """Under gunicorn with PROMETHEUS_MULTIPROC_DIR, a scrape answered by one worker counts the
    requests every worker served."""
    # no database there (port 9 refuses): the gauges say so, the histogram does not need one
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "laget.settings",
           "DATABASE_URL": "postgres://laget:laget@127.0.0.1:9/laget"}

    def run(mode: str) -> str:
        return subprocess.run([sys.executable, "-c", _WORKER, mode], env=env, check=True,
                              capture_output=True, text=True, timeout=120).stdout

    run("serve")
    run("serve")
    samples = {family.name: family.samples for family in text_string_to_metric_families(
        run("scrape"))}
    count = [s.value for s in samples["laget_http_request_duration_seconds"]
             if s.name.endswith("_count") and s.labels["route"] == "web:start"]
    assert count == [2]
    assert samples["laget_database_up"][0].value == 0
