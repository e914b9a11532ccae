"""The key to the entries table. Only `laget.sharing` may use it (an import-linter contract and a
test enforce that): everyone else reads entries through `sharing.visible_to()` / `explain()`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_open: ContextVar[bool] = ContextVar("laget_entry_access", default=False)


class EntryAccessError(RuntimeError):
    """Code outside the sharing engine tried to query entries directly."""


@contextmanager
def entries_opened() -> Iterator[None]:
    token = _open.set(True)
    try:
        yield
    finally:
        _open.reset(token)


def is_open() -> bool:
    return _open.get()
