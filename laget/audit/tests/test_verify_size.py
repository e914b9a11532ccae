"""verify() read in chunks (whatever their size, the same report), verify(size=…) of a prefix of
the log, the empty log's checkpoint, and audit_record() failing its caller's transaction."""

import contextlib

import pytest
from django.db import DataError, connection, transaction
from django.db.transaction import TransactionManagementError

from laget.audit import log
from laget.audit.actions import Action
from laget.audit.leaves import seal
from laget.audit.models import AuditEvent, Checkpoint
from laget.audit.services import audit_record
from laget.core import clock

pytestmark = pytest.mark.django_db


def _append(n: int) -> None:
    now = clock.now()
    AuditEvent.objects.bulk_create([
        AuditEvent(action=Action.LOGIN, occurred_at=now,
                   leaf=seal(action=Action.LOGIN, occurred_at=now, fields={"i": i}).leaf)
        for i in range(n)])


def _log(sizes: list[int]) -> None:
    """A log signed at each of `sizes` (ascending), sequenced exactly up to each."""
    for size in sizes:
        _append(size - AuditEvent.objects.count())
        log.sequence(batch=size - log.tiled_size())
        log.checkpoint()


@pytest.mark.parametrize("chunk", [1, 5, 256, 257, 16384])
def test_the_report_does_not_depend_on_the_chunk_size(monkeypatch, chunk):
    _log([1, 255, 256, 300, 513, 700])
    expected = log.verify()
    assert expected.ok and expected.size == 700 and expected.checkpoints == 6
    monkeypatch.setattr(log, "CHUNK", chunk)
    assert log.verify() == expected
    AuditEvent.objects.filter(log_index=513).update(leaf=b"not a leaf")
    malformed = log.verify()
    assert (malformed.first_bad_index, malformed.problem) == (513, "leaf 513 is malformed")
    AuditEvent.objects.filter(log_index=400).delete()
    gap = log.verify()
    assert gap.first_bad_index == 400 and "index 400 is missing" in gap.problem


def test_a_prefix_verifies_alone_and_names_what_is_wrong_inside_it():
    _log([100, 300, 600])
    prefix = log.verify(size=300)
    assert prefix.ok and prefix.size == 300 and prefix.checkpoints == 2
    assert prefix.root == log.root_at(300) == bytes(Checkpoint.objects.get(size=300).root)
    assert log.verify(size=250).checkpoints == 1  # the checkpoints up to the size
    event = AuditEvent.objects.get(log_index=450)
    AuditEvent.objects.filter(pk=event.pk).update(leaf=bytes(event.leaf).replace(b"Z\n", b"Y\n"))
    assert log.verify(size=300).ok  # what comes after the prefix is left alone
    assert log.verify().first_bad_index == 450
    assert log.verify(size=451).first_bad_index == 450
    assert log.verify(payloads=True, size=300).ok


def test_a_prefix_beyond_the_tiles_is_not_verified():
    _log([300])
    _append(10)  # not sequenced yet
    report = log.verify(size=305)
    assert not report.ok and report.first_bad_index == 300
    assert "asked for 305" in report.problem
    with pytest.raises(ValueError):
        log.verify(size=-1)


def test_the_empty_logs_checkpoint_verifies():
    made = log.checkpoint()
    assert made is not None and made.size == 0
    report = log.verify()
    assert report.ok and report.checkpoints == 1 and report.size == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL refuses \\u0000 in jsonb")
def test_an_event_that_cannot_be_written_fails_the_callers_transaction():
    with pytest.raises(TransactionManagementError), transaction.atomic():
        AuditEvent.objects.count()
        with contextlib.suppress(DataError):  # a caller that swallows the error cannot go on
            audit_record(action=Action.LOGIN, actor=None, details={"note": "a\x00b"})
        AuditEvent.objects.count()
