"""How much disk a `seed_scale` run needs, and how much there is: checked before anything is
written, so that a full-size seed (several GB) is refused up front rather than failing halfway
with the disk full."""

import shutil
from pathlib import Path

from django.db import DatabaseError, connection, transaction

# Bytes on disk per unit (tables with their indexes and TOAST), measured with
# pg_total_relation_size on PostgreSQL 15 after bench/bench_seed.py at a quarter of the full size
# (2026-11-26: 25 000 persons, 250 000 entries, 2 500 000 audit events; 3.1 GB, rounded up
# here): per person the person, guardians, case, team, markers, police
# registrations (two per person), fast-track cases, school incidents, referrals and the cases'
# workflow; per entry the entry, its consent and grants; per audit event the event row (leaf,
# payload, salt, nine indexes), its person row and the tiles.
BYTES_PER_PERSON = 3_600
BYTES_PER_ENTRY = 470
BYTES_PER_AUDIT_EVENT = 1_150
#: room for the WAL, VACUUM and temporary files while seeding, as a share of the estimate
MARGIN = 0.25


def needed_bytes(*, persons: int, entries: int, audit_events: int) -> int:
    data = (persons * BYTES_PER_PERSON + entries * BYTES_PER_ENTRY
            + audit_events * BYTES_PER_AUDIT_EVENT)
    return int(data * (1 + MARGIN))


def data_directory() -> Path:
    """Where the database's files are: PostgreSQL's data directory (if this role may read it,
    else the usual place of the local cluster, else the root), SQLite's file's directory."""
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            return Path.cwd()
        return Path(name).resolve().parent
    try:
        with transaction.atomic(), connection.cursor() as cursor:  # a savepoint inside a test
            cursor.execute("SHOW data_directory")
            return Path(cursor.fetchone()[0])
    except DatabaseError:  # needs pg_read_all_settings
        pass
    for guess in (Path("/var/lib/postgresql"), Path("/var/lib/pgsql")):
        if guess.exists():
            return guess
    return Path("/")


def free_bytes(path: Path) -> int:
    while not path.exists() and path != path.parent:
        path = path.parent
    return shutil.disk_usage(path).free


def shortfall(needed: int) -> tuple[int, Path] | None:
    """None when there is room for `needed` bytes; otherwise (free bytes, where)."""
    where = data_directory()
    free = free_bytes(where)
    return None if free >= needed else (free, where)
