"""What the operations endpoints read (laget.web.views.operations): whether the database answers
and its migrations are applied, how far the audit sequencer lags, the notify outbox's backlog and
the task queue — counts and ages only, never a row's content, so these reads concern no person
and are not audited."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Max, Min
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.outage import database_unavailable
from laget.notify.models import Message, MessageStatus

#: set once the migrations were found applied; a process does not check again (a migration is
#: applied before the new code starts, never under a running process)
_migrations_applied = False


@dataclass(frozen=True)
class SequencerLag:
    #: audit events not yet numbered into the transparency log
    waiting: int
    #: seconds since the oldest of them occurred (0 when none waits)
    oldest_seconds: float


@dataclass(frozen=True)
class OutboxBacklog:
    #: messages by status, for the statuses still on their way (queued, sending) and failed
    by_status: dict[str, int]
    #: queued messages due more than `LAGET_READY_OUTBOX_OVERDUE_SECONDS` ago
    overdue: int


def database_ping() -> None:
    """One round trip; raises the driver's error (an outage, laget.core.outage) if the database
    does not answer."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def migration_plan() -> list[str]:
    """The migrations not yet applied, as `app.name`."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def migrations_applied() -> bool:
    """Whether every migration is applied; after the first yes the process takes it as known."""
    global _migrations_applied
    if not _migrations_applied:
        _migrations_applied = not migration_plan()
    return _migrations_applied


def sequencer_lag() -> SequencerLag:
    # The partial index on id WHERE log_index IS NULL holds only the waiting events.
    row = AuditEvent.objects.filter(log_index__isnull=True).aggregate(
        waiting=Count("id"), oldest=Min("occurred_at"))
    oldest: dt.datetime | None = row["oldest"]
    age = max(0.0, (clock.now() - oldest).total_seconds()) if oldest is not None else 0.0
    return SequencerLag(waiting=row["waiting"], oldest_seconds=age)


def audit_log_size() -> int:
    """Events in the transparency log (indexes 0 … size-1)."""
    top = AuditEvent.objects.aggregate(top=Max("log_index"))["top"]
    return 0 if top is None else top + 1


def outbox_overdue() -> int:
    """Queued messages due more than `LAGET_READY_OUTBOX_OVERDUE_SECONDS` ago: what the workers
    and the minute sweep should have taken by now (the partial index on queued messages)."""
    before = clock.now() - dt.timedelta(seconds=settings.LAGET_READY_OUTBOX_OVERDUE_SECONDS)
    return Message.objects.filter(status=MessageStatus.QUEUED,
                                  next_attempt_at__lte=before).count()


def outbox_backlog() -> OutboxBacklog:
    statuses = [MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.FAILED]
    counts = dict.fromkeys((str(s) for s in statuses), 0)
    for row in (Message.objects.filter(status__in=statuses).order_by()
                .values("status").annotate(n=Count("id"))):
        counts[row["status"]] = row["n"]
    return OutboxBacklog(by_status=counts, overdue=outbox_overdue())


def task_counts() -> dict[str, int]:
    """django_tasks_db's task results by status, every status present (READY is the queue's
    depth; finished results stay `LAGET_TASK_RESULT_RETENTION_DAYS`)."""
    counts = dict.fromkeys((str(s.value) for s in TaskResultStatus), 0)
    for row in DBTaskResult.objects.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


@dataclass(frozen=True)
class Check:
    """One readiness check: its name and, when it failed, a short reason (no numbers, no data)."""
    name: str
    ok: bool
    reason: str = ""


def _over(value: float, limit: int) -> bool:
    # A limit of 0 switches the check off.
    return limit > 0 and value > limit


CHECKS = ("database", "migrations", "audit_sequencer", "notify_outbox")


def _sequencer_check() -> Check:
    lag = sequencer_lag()
    if _over(lag.waiting, settings.LAGET_READY_MAX_SEQUENCER_LAG):
        return Check("audit_sequencer", False, "too_many_waiting")
    if _over(lag.oldest_seconds, settings.LAGET_READY_MAX_SEQUENCER_AGE_SECONDS):
        return Check("audit_sequencer", False, "oldest_too_old")
    return Check("audit_sequencer", True)


def _outbox_check() -> Check:
    if _over(outbox_overdue(), settings.LAGET_READY_MAX_OUTBOX_BACKLOG):
        return Check("notify_outbox", False, "too_many_overdue")
    return Check("notify_outbox", True)


def readiness() -> list[Check]:
    """The checks of /readyz, in the order of CHECKS. Those after a failed database or migrations
    check are skipped (the tables they read may not be there)."""
    results: list[Check] = []
    try:
        database_ping()
        results.append(Check("database", True))
        if migrations_applied():
            results += [Check("migrations", True), _sequencer_check(), _outbox_check()]
        else:
            results.append(Check("migrations", False, "unapplied"))
    except DatabaseError as error:
        # The first round trip failing in any way means no database; later, only an outage
        # does (another database error is ours and stays one).
        if results and not database_unavailable(error):
            raise
        results = [Check("database", False, "unreachable")]
    done = {check.name for check in results}
    return results + [Check(name, False, "skipped") for name in CHECKS if name not in done]
