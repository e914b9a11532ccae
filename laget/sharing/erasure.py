"""The erasure path to the entries table, for the retention schedule (laget.lifecycle.erasure).

Erasing a case, concern or person past its retention period deletes every row that hangs from
it — the case's entries and their attachments among them, which no one reads except through the
sharing engine. So the deletion runs here, with the entries opened, and only for the caller's
confirmed erasure: it reads nothing (no text, no category leaves this module), it deletes.

`delete_graph` walks the reverse relations from the root rows and deletes, children first,
every row that refers to them, transitively, whatever the foreign key's `on_delete` says (a
PROTECT protects a record against a stray delete, not against its erasure). Two kinds of
reference are not followed: models in `keep` (rows that must outlive the erasure and refer by a
key without a constraint), and nullable references from apps in `detach` — another agency's own
records (police, fast track, reentry, schools, mentors) — which are set to NULL: the link goes,
their record stays theirs. Files of deleted `FileField`s are returned for the caller to remove
once the transaction has committed."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from laget.records.access import entries_opened


@dataclass
class Deleted:
    counts: Counter[str] = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)


def delete_graph(*, model: type[models.Model], pks: list[object], keep: frozenset[str],
                 detach: frozenset[str]) -> Deleted:
    """Delete the rows `pks` of `model` and everything that refers to them (see the module's
    docstring). Run inside the caller's transaction."""
    done = Deleted()
    with entries_opened():
        _delete(model, list(pks), keep=keep, detach=detach, seen={}, done=done)
    return done


def reverse_relations(model: type[models.Model]) -> list[Any]:
    """Every relation that points at `model`, those without a reverse accessor (`related_name`
    "+") included — as Django's own deletion collects them."""
    return [field for field in model._meta.get_fields(include_hidden=True)
            if field.auto_created and not field.concrete
            and (field.one_to_one or field.one_to_many or field.many_to_many)]


def _delete(model: type[models.Model], pks: list[object], *, keep: frozenset[str],
            detach: frozenset[str], seen: dict[str, set[object]], done: Deleted) -> None:
    label = model._meta.label
    visited = seen.setdefault(label, set())
    pks = [pk for pk in pks if pk not in visited]
    if not pks:
        return
    visited.update(pks)
    for relation in reverse_relations(model):
        child = relation.related_model
        if relation.many_to_many:  # the rows of the through table that name ours
            through = relation.through
            through._base_manager.filter(
                **{f"{relation.field.m2m_reverse_field_name()}__in": pks})._raw_delete(
                    through._base_manager.db)
            continue
        if child._meta.label in keep:
            continue
        reference = relation.field
        on_delete = reference.remote_field.on_delete
        rows = child._base_manager.filter(**{f"{reference.name}__in": pks})
        if on_delete is models.DO_NOTHING:
            continue
        if child._meta.app_label in detach or on_delete is models.SET_NULL:
            if not reference.null and rows.exists():
                raise ValueError(f"{child._meta.label}.{reference.name} cannot be detached")
            if not reference.null:
                continue
            rows.update(**{reference.name: None})
            continue
        _delete(child, list(rows.values_list("pk", flat=True)), keep=keep, detach=detach,
                seen=seen, done=done)
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        through._base_manager.filter(**{f"{m2m.m2m_field_name()}__in": pks})._raw_delete(
            through._base_manager.db)
    rows = model._base_manager.filter(pk__in=pks)
    for name in (f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)):
        done.files += [value for value in rows.values_list(name, flat=True) if value]
    # Every reference to these rows is gone or ours to delete in this statement (a self-reference,
    # as a correction's to the entry it corrects): the constraints are checked at commit.
    deleted = rows._raw_delete(rows.db)
    if deleted:
        done.counts[label] += deleted


def file_names() -> list[str]:
    """The stored names of every entry attachment's file (for the demo wipe, which removes the
    files after flushing the tables; it reads nothing else)."""
    from laget.records.models import EntryAttachment

    with entries_opened():
        return [name for name in EntryAttachment.objects.values_list("file", flat=True) if name]
