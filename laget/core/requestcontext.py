"""Per-request facts (request id, client address) that audit events carry, without threading the
request object through every service call; and a memo for facts that a read-only request (GET,
HEAD) may compute once and reuse — the rules in force, a case's sharing facts — since such a
request changes nothing they depend on."""

import uuid
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None = None
    #: set for read-only requests only
    memo: dict[Hashable, Any] | None = None


_current: ContextVar[RequestContext | None] = ContextVar("laget_request_context", default=None)


def current() -> RequestContext | None:
    return _current.get()


def begin(*, ip_address: str | None = None, request_id: str | None = None,
          read_only: bool = False) -> object:
    """Start a context (a request, a task, a command); returns a token for end()."""
    return _current.set(RequestContext(request_id or uuid.uuid4().hex, ip_address,
                                       {} if read_only else None))


def memoized[T](key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per read-only request for `key`; outside one, every time."""
    context = _current.get()
    if context is None or context.memo is None:
        return compute()
    if key not in context.memo:
        context.memo[key] = compute()
    return context.memo[key]  # type: ignore[no-any-return]


def end(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
