"""Bulk writes of synthetic entries for seed commands (`seed_scale`), which may not hold the key to
the entries table themselves. For seeding synthetic data only: nothing here is audited per entry
or checked against a team, so no request path may call it."""

from collections.abc import Iterable

from laget.core.bulk import copy_insert
from laget.records.access import entries_opened
from laget.records.models import Entry


def entries_bulk_create(entries: Iterable[Entry], *, batch_size: int = 5000) -> int:
    """Insert entries built by a seed command in batches; returns how many were written. The
    caller owns the transaction and the audit event for the whole seed."""
    rows = list(entries)
    with entries_opened():
        copy_insert(Entry, rows, batch_size=batch_size)  # COPY on PostgreSQL
    return len(rows)


def entries_count(*, source_agency_code_prefix: str = "") -> int:
    """How many entries exist (from agencies whose code starts with the prefix): for a seed
    command's summary and its idempotence check, never shown to a user."""
    with entries_opened():
        entries = Entry.objects.all()
        if source_agency_code_prefix:
            entries = entries.filter(source_agency__code__startswith=source_agency_code_prefix)
        return entries.count()
