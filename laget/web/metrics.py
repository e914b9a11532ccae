"""Prometheus metrics (prometheus_client), served at /metrics (laget.web.views.metrics):

- `laget_http_request_duration_seconds`, a histogram by route name (the URL pattern's name, never
  the path, which may hold ids), method and status class, observed by `RequestMetricsMiddleware`;
- gauges read from the database at scrape time (laget.web.selectors.operations): the audit
  sequencer's lag (events waiting, the oldest one's age), the transparency log's size, the notify
  outbox's backlog by status, its overdue and failed messages, the task results by status (READY
  is the queue's depth), and `laget_database_up`.

The gauges come from the database, so any process answers them alike. The histogram lives in the
process that served the request: under gunicorn each worker has its own, and a scrape sees one
worker's — unless `PROMETHEUS_MULTIPROC_DIR` names an empty folder shared by the workers (set
before they start, emptied at each start), when prometheus_client's multiprocess mode adds up
every worker's files on each scrape.
"""

import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from laget.core.outage import database_unavailable
from laget.core.requestlog import method_name, route_name
from laget.web.selectors.operations import (
    audit_log_size,
    outbox_backlog,
    sequencer_lag,
    task_counts,
)

REQUEST_DURATION = Histogram(
    "laget_http_request_duration_seconds",
    "Time from the request reaching Laget's middleware to the response, by route name, method "
    "and status class.",
    ["route", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def status_class(status: int) -> str:
    return f"{status // 100}xx"


class RequestMetricsMiddleware:
    """Observes each request's duration; put after `RequestContextMiddleware` (the probes,
    answered before it by laget.web.probes, are not observed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        REQUEST_DURATION.labels(route_name(request), method_name(request),
                                status_class(response.status_code)).observe(
            time.perf_counter() - started)
        return response


def _families() -> dict[str, GaugeMetricFamily]:
    return {
        "up": GaugeMetricFamily(
            "laget_database_up",
            "1 if the database answered this scrape's queries; 0 if not (the other database "
            "gauges are then left out)."),
        "waiting": GaugeMetricFamily(
            "laget_audit_sequencer_lag_events",
            "Audit events not yet numbered into the transparency log."),
        "oldest": GaugeMetricFamily(
            "laget_audit_sequencer_lag_oldest_seconds",
            "Age of the oldest audit event waiting for the sequencer (0 if none waits)."),
        "size": GaugeMetricFamily(
            "laget_audit_log_size_events", "Events in the transparency log."),
        "backlog": GaugeMetricFamily(
            "laget_notify_outbox_backlog_messages",
            "Outbox messages on their way, by status (queued, sending).", labels=["status"]),
        "overdue": GaugeMetricFamily(
            "laget_notify_outbox_overdue_messages",
            "Queued messages due longer ago than LAGET_READY_OUTBOX_OVERDUE_SECONDS."),
        "failed": GaugeMetricFamily(
            "laget_notify_failed_messages",
            "Outbox messages given up on (someone must call instead)."),
        "tasks": GaugeMetricFamily(
            "laget_task_results",
            "Task results by status (ready = the queue's depth; finished ones are kept "
            "LAGET_TASK_RESULT_RETENTION_DAYS).", labels=["status"]),
    }


class DatabaseCollector(Collector):
    """The gauges, read from the database at each scrape (a handful of counts over indexed
    columns; the task and failed counts scan their tables)."""

    def describe(self) -> Iterator[Metric]:
        # Registering calls this instead of collect(), so that no query runs at import.
        yield from _families().values()

    def collect(self) -> Iterator[Metric]:
        families = _families()
        try:
            lag, size, backlog, tasks = (sequencer_lag(), audit_log_size(), outbox_backlog(),
                                         task_counts())
        except DatabaseError as error:
            if not database_unavailable(error):
                raise
            families["up"].add_metric([], 0)
            yield families["up"]
            return
        families["up"].add_metric([], 1)
        families["waiting"].add_metric([], lag.waiting)
        families["oldest"].add_metric([], lag.oldest_seconds)
        families["size"].add_metric([], size)
        for status in ("queued", "sending"):
            families["backlog"].add_metric([status], backlog.by_status[status])
        families["overdue"].add_metric([], backlog.overdue)
        families["failed"].add_metric([], backlog.by_status["failed"])
        for status, count in sorted(tasks.items()):
            families["tasks"].add_metric([status.lower()], count)
        yield from families.values()


_DATABASE_COLLECTOR = DatabaseCollector()
REGISTRY.register(_DATABASE_COLLECTOR)


def scrape_registry() -> CollectorRegistry:
    """What a scrape exposes: this process's registry (the histogram, the process's own metrics,
    the gauges), or in multiprocess mode every worker's files and the gauges."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    registry.register(_DATABASE_COLLECTOR)
    return registry


#: headers a reverse proxy adds: a request with one came from elsewhere through the loopback
_FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def _from_loopback(request: HttpRequest) -> bool:
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return address.is_loopback and not any(request.META.get(h) for h in _FORWARDED)


def _has_token(request: HttpRequest) -> bool:
    token = settings.LAGET_METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode())


def metrics_allowed(request: HttpRequest) -> bool:
    """A scrape from this machine's loopback that no proxy forwarded (unless
    LAGET_METRICS_LOOPBACK is off), or one with the bearer token LAGET_METRICS_TOKEN."""
    return _has_token(request) or (settings.LAGET_METRICS_LOOPBACK and _from_loopback(request))
