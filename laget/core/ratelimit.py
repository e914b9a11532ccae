"""Rate limits on what an attacker would repeat: the login steps, searches and the API.

Counted in the database, in fixed windows: one row per (bucket, slot), raised by one atomic
`INSERT … ON CONFLICT DO UPDATE … RETURNING` on PostgreSQL and SQLite alike. Laget's processes
already share the database, so every web process counts against the same limit without a cache
server (a cache-based limiter such as django-ratelimit needs memcached or Redis for that, which
Laget does not otherwise need). The bucket names its subject by a keyed hash, never the address
or user id itself, and rows are pruned daily.

A view asks `check(group, subject)` or wears `@rate_limited(group, by=…)`; over the limit it
raises `RateLimited`, which the web answers with a 429 page and the API with a 429 problem, both
with `Retry-After`. The first refusal in a window is signalled (`rate_limited`) for the audit log;
the rest are not, so a flood does not flood the log too."""

import functools
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.dispatch import Signal
from django.http import HttpRequest

from laget.core import clock
from laget.core.models import RateCounter

#: sender=None; kwargs: group, request
rate_limited = Signal()


class RateLimited(Exception):
    def __init__(self, group: str, retry_after: int) -> None:
        super().__init__(group)
        self.group = group
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limit:
    count: int
    period: int


def limit_for(group: str) -> Limit:
    count, period = settings.LAGET_RATE_LIMITS[group]
    return Limit(int(count), int(period))


def _bucket(group: str, subject: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{group}\0{subject}".encode(),
                      hashlib.sha256).hexdigest()
    return f"{group}:{digest[:40]}"


def hit(group: str, subject: str) -> int:
    """Count one more in the subject's current window; the count so far, this one included."""
    limit = limit_for(group)
    now = int(clock.now().timestamp())
    slot = now // limit.period
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, slot, count, expires) VALUES (%s, %s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (bucket, slot) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [_bucket(group, subject), slot, (slot + 1) * limit.period])
        return int(cursor.fetchone()[0])


def check(group: str, subject: str, *, request: HttpRequest | None = None) -> None:
    """Count the attempt; RateLimited when it is over the group's limit in this window."""
    limit = limit_for(group)
    count = hit(group, subject)
    if count > limit.count:
        if count == limit.count + 1:
            rate_limited.send(None, group=group, request=request)
        now = int(clock.now().timestamp())
        raise RateLimited(group, retry_after=limit.period - now % limit.period)


def client_address(request: HttpRequest) -> str:
    """The address the request came from (REMOTE_ADDR: behind a proxy, the proxy must set it)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def by_address(request: HttpRequest) -> str:
    return client_address(request)


def by_user(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{client_address(request)}"


def rate_limited_view[**P, R](group: str, *, by: Callable[[HttpRequest], str] = by_address,
                              methods: frozenset[str] = frozenset({"POST"})
                              ) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Limit a view's requests of these methods (default POST: the attempts) per subject."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            request = args[0]
            assert isinstance(request, HttpRequest)
            if request.method in methods:
                check(group, by(request), request=request)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def prune() -> int:
    """Delete the counters of windows that are over; how many went."""
    deleted, _ = RateCounter.objects.filter(
        expires__lt=int(clock.now().timestamp())).delete()
    return deleted
