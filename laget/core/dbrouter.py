"""Reads of the analytics pages and the exports from a streaming replica, when there is one.

With `DATABASE_REPLICA_URL` set, settings define the alias `replica`. A view wrapped in
`reads_from_replica` sends its reads there (the router's `db_for_read`); every write — the audit
event an export leaves included — and every read outside such a view go to `default`. Routing is
by page, not by model: the same table is read from the primary by a case page, which must see a
write it has just made, and from the replica by an aggregate page, which may be a moment behind.
Without the alias, or while the replica is further behind than `LAGET_REPLICA_MAX_LAG_S` or cannot
be reached, the view reads from the primary (docs/DEPLOYMENT.md, «For a city»)."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from laget.core.outage import database_unavailable

REPLICA = "replica"
logger = logging.getLogger(__name__)

_reading_from: ContextVar[str | None] = ContextVar("laget_reading_from", default=None)

# Seconds the replica is behind: 0 when it has replayed all it received (an idle primary sends
# nothing, and the last replayed transaction's time grows old without the replica being behind).
_LAG_SQL = """
SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
       END
"""


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_lag_seconds() -> float | None:
    """How far the replica is behind (0 for a database that is no standby); None if it cannot be
    reached."""
    replica = connections[REPLICA]
    try:
        with replica.cursor() as cursor:
            if replica.vendor != "postgresql":
                return 0.0
            cursor.execute("SELECT pg_is_in_recovery()")
            if not cursor.fetchone()[0]:
                return 0.0
            cursor.execute(_LAG_SQL)
            return float(cursor.fetchone()[0])
    except Exception as error:
        if not database_unavailable(error):
            raise
        replica.close()
        return None


def _replica_usable() -> bool:
    if not replica_configured():
        return False
    limit = settings.LAGET_REPLICA_MAX_LAG_S
    if limit <= 0:
        return True
    lag = replica_lag_seconds()
    if lag is None:
        logger.warning("replica unreachable; reading from the primary")
        return False
    if lag > limit:
        logger.warning("replica %.1f s behind (limit %s s); reading from the primary", lag, limit)
        return False
    return True


@contextmanager
def replica_reads() -> Iterator[str]:
    """Within the block, reads go to the replica if it is usable; yields the alias they go to."""
    alias = REPLICA if _replica_usable() else DEFAULT_DB_ALIAS
    token = _reading_from.set(alias)
    try:
        yield alias
    finally:
        _reading_from.reset(token)


def reads_from_replica(view: Callable[..., Any]) -> Callable[..., Any]:
    """View decorator: the view's reads from the replica (see the module). Put it below
    `actor_required`, so that who may see the page is decided on the primary."""
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    """`settings.DATABASE_ROUTERS`: reads inside `replica_reads` to the replica; every other read,
    every write and every migration to `default` — also for an object read from the replica, which
    Django would otherwise write back, or follow its relations, where it came from."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return REPLICA if _reading_from.get() == REPLICA else DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # the replica holds the primary's rows: an object read there may relate to one from here
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA
