"""Per-request facts (request id, client address) that audit events carry, without threading the
request object through every service call."""

import uuid
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None = None


_current: ContextVar[RequestContext | None] = ContextVar("laget_request_context", default=None)


def current() -> RequestContext | None:
    return _current.get()


def begin(*, ip_address: str | None = None, request_id: str | None = None) -> object:
    """Start a context (a request, a task, a command); returns a token for end()."""
    return _current.set(RequestContext(request_id or uuid.uuid4().hex, ip_address))


def end(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
