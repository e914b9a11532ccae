"""Cursor (keyset) pagination, newest first: a page is the rows after the last one the caller saw,
ordered by (created_at, id) descending. Unlike page numbers, a cursor never skips or repeats a
row when rows are added meanwhile, and the database seeks to it through the index instead of
counting past the rows before it.

The cursor is opaque to the caller: URL-safe base64 of the last row's time and id. It reveals
nothing a caller did not already receive in that row."""

import base64
import binascii
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from laget.core.errors import DomainError

#: the most rows one page may ask for
MAX_LIMIT = 100
DEFAULT_LIMIT = 25


@dataclass(frozen=True)
class Cursor:
    created_at: dt.datetime
    id: uuid.UUID

    def encode(self) -> str:
        raw = json.dumps([self.created_at.isoformat(), str(self.id)], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> "Cursor":
        """The cursor in `value`; a DomainError (400 in the API) for anything else."""
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            created_at, row_id = json.loads(raw)
            when = dt.datetime.fromisoformat(created_at)
            if when.tzinfo is None:
                raise ValueError("naive time")
            return cls(when, uuid.UUID(row_id))
        except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
            raise DomainError(_("Ugyldig markør (cursor)."), code="cursor") from None


@dataclass(frozen=True)
class KeysetPage[T]:
    items: list[T]
    #: the cursor for the next page, or None on the last page
    next_cursor: str | None


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise DomainError(_("Antall per side må være mellom 1 og %(max)s.") % {"max": MAX_LIMIT},
                          code="limit")
    return limit


def keyset_page[M: Model](queryset: QuerySet[M], *, cursor: str | None,
                          limit: int) -> KeysetPage[M]:
    """The rows of `queryset` (any filter; this orders it) after `cursor`, at most `limit`."""
    limit = check_limit(limit)
    rows = queryset.order_by("-created_at", "-id")
    if cursor:
        after = Cursor.decode(cursor)
        rows = rows.filter(Q(created_at__lt=after.created_at)
                           | Q(created_at=after.created_at, id__lt=after.id))
    items: list[Any] = list(rows[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    last = items[-1] if items and more else None
    return KeysetPage(items, Cursor(last.created_at, last.pk).encode() if last else None)
