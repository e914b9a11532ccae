"""Wiping the demo database (`manage.py demo_wipe`, which then builds the demo again).

Everything Laget holds goes — staff, persons, cases, the audit log, sessions, queued tasks — in
one flush (`TRUNCATE` on PostgreSQL, `DELETE` on SQLite, as `manage.py flush` does), except what
the migrations loaded and the demo needs: the bydeler and delbydeler (`areas`), content types and
permissions. The files the rows pointed at (attachments, archive extracts) are removed after the
flush has committed.

Refused — never a partial wipe — unless this is a demo: `LAGET_DEMO` on (which settings allow
only with `DEBUG` and synthetic identifiers) and not one person or guardian in the database who is
not synthetic (a production database has real people; a demo has none)."""

import shutil
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction

from laget.lifecycle.models import ArchiveExtract
from laget.lifecycle.services import archive_root
from laget.people.models import Guardian, Person

#: the apps whose rows survive a wipe (loaded by migrations, no personal data)
KEPT_APPS = frozenset({"areas", "contenttypes"})
KEPT_MODELS = frozenset({"auth.Permission", "auth.Group", "auth.Group_permissions"})


class WipeRefused(Exception):
    """One line saying why this database may not be wiped."""


def refusal() -> str | None:
    """Why this database may not be wiped (None: it may)."""
    if not (settings.LAGET_DEMO and settings.DEBUG and settings.LAGET_ALLOW_SYNTHETIC_IDS):
        return ("demo_wipe: only in demo mode (LAGET_DEMO=1 with DEBUG=1 and "
                "LAGET_ALLOW_SYNTHETIC_IDS=1); never in production")
    if (Person.objects.filter(is_synthetic=False).exists()
            or Guardian.objects.filter(is_synthetic=False).exists()):
        return "demo_wipe: the database holds persons who are not synthetic: refused"
    return None


def wiped_tables() -> list[str]:
    tables = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in KEPT_APPS or meta.label in KEPT_MODELS:
            continue
        if not meta.managed or meta.proxy or meta.swapped:
            continue
        tables.append(meta.db_table)
    existing = set(connection.introspection.table_names())
    return sorted(set(tables) & existing)


def wipe() -> int:
    """Flush the demo database (see the module's docstring). Returns how many tables."""
    reason = refusal()
    if reason:
        raise WipeRefused(reason)
    with transaction.atomic():
        files, paths = _files_with_entries_opened()
        tables = wiped_tables()
        if connection.vendor == "postgresql":
            # PostgreSQL refuses to TRUNCATE a table with deferred checks still pending in this
            # transaction: run them now.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True,
                                              allow_cascade=False)
        connection.ops.execute_sql_flush(statements)
        transaction.on_commit(lambda: _remove(files, paths))
    return len(tables)


def _files_with_entries_opened() -> tuple[list[str], list[Path]]:
    # EntryAttachment's default manager is guarded (entries are read through the sharing
    # engine); its file names are listed through the sharing module's erasure path.
    from laget.sharing.erasure import file_names

    names, paths = _files_without_guarded()
    return names + file_names(), paths


def _files_without_guarded() -> tuple[list[str], list[Path]]:
    names: list[str] = []
    for model in apps.get_models():
        if model._meta.label in ("records.Entry", "records.EntryAttachment"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names += [n for n in model._base_manager.values_list(field.name, flat=True) if n]
    paths: list[Path] = []
    root = archive_root()
    for directory, zip_name in ArchiveExtract.objects.values_list("directory", "zip_name"):
        for path in (Path(directory), root / zip_name):
            if directory and path.resolve().is_relative_to(root.resolve()):
                paths.append(path)
    return names, paths


def _remove(files: list[str], paths: list[Path]) -> None:
    for name in files:
        default_storage.delete(name)
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
