"""The stored tiles, roots and proofs against the in-memory tree, and tampering found by verify
with the right first bad index (hypothesis property tests)."""

import base64
import datetime as dt

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laget.audit import log, merkle
from laget.audit.actions import Action
from laget.audit.leaves import seal
from laget.audit.models import AuditEvent, Checkpoint, Tile
from laget.core import clock

pytestmark = pytest.mark.django_db

_DB = settings(max_examples=20, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


class _Rollback(Exception):
    pass


def _append(n: int) -> None:
    """n events as audit_record writes them (sealed), in one insert."""
    now = clock.now()
    events = []
    for i in range(n):
        fields = {"action": Action.LOGIN, "occurred_at": now.isoformat(), "details": {"i": i},
                  "outcome": "ok", "actor": None, "actor_label": "", "agency": None, "role": "",
                  "object_type": "", "object_id": "", "basis": "", "purpose": "",
                  "request_id": "", "ip_address": None, "persons": []}
        sealed = seal(action=Action.LOGIN, occurred_at=now, fields=fields)
        events.append(AuditEvent(action=Action.LOGIN, occurred_at=now, details={"i": i},
                                 leaf=sealed.leaf, payload=sealed.payload, salt=sealed.salt))
    AuditEvent.objects.bulk_create(events)


def _leaf_hashes() -> list[bytes]:
    return [merkle.leaf_hash(bytes(leaf)) for leaf in AuditEvent.objects.filter(
        log_index__isnull=False).order_by("log_index").values_list("leaf", flat=True)]


def _in_rollback(body):
    try:
        with transaction.atomic():
            body()
            raise _Rollback
    except _Rollback:
        pass


@_DB
@given(batches=st.lists(st.integers(1, 300), min_size=1, max_size=3), data=st.data())
def test_tiles_roots_and_proofs_match_the_tree_in_memory(batches, data):
    def body() -> None:
        sizes = []
        for n in batches:
            _append(n)
            log.sequence(batch=data.draw(st.sampled_from([37, 256, 5000])))
            while AuditEvent.objects.filter(log_index__isnull=True).exists():
                log.sequence()
            sizes.append(log.tiled_size())
        hashes = _leaf_hashes()
        assert log.tiled_size() == len(hashes) == sum(batches)
        for tile in Tile.objects.all():
            assert bytes(tile.hashes) == merkle.tile_hashes(
                hashes, level=tile.level, index=tile.index, width=tile.width)
        for size in sizes:
            assert log.root_at(size) == merkle.root(hashes[:size])
        second = data.draw(st.integers(1, len(hashes)))
        first = data.draw(st.integers(0, second))
        index = data.draw(st.integers(0, second - 1))
        proof = log.inclusion_proof(index=index, tree_size=second)
        assert proof == merkle.inclusion_proof(hashes, index=index, tree_size=second)
        assert merkle.verify_inclusion(hashes[index], index=index, tree_size=second, proof=proof,
                                       root=log.root_at(second))
        consistency = log.consistency_proof(first=first, second=second)
        assert merkle.verify_consistency(first=first, second=second, first_root=log.root_at(first),
                                         second_root=log.root_at(second), proof=consistency)
    _in_rollback(body)


def _flip(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    changed[position % len(changed)] ^= 0x01
    return bytes(changed)


def _rebuild_tiles() -> None:
    """What a careful forger does after rewriting leaves: recompute every tile."""
    Tile.objects.all().delete()
    log.sequence()


TAMPERING = ["leaf", "tile", "delete", "reorder", "checkpoint_note", "checkpoint_root",
             "payload", "row", "rewrite"]


@_DB
@given(size=st.integers(2, 600), kind=st.sampled_from(TAMPERING), data=st.data())
def test_any_tampering_is_found_with_the_first_bad_index(size, kind, data):
    def body() -> None:
        _append(size)
        checkpoint_sizes = sorted(set(data.draw(st.lists(st.integers(1, size), max_size=3))))
        for cut in [*checkpoint_sizes, size]:
            log.sequence(batch=cut - log.tiled_size()) if cut > log.tiled_size() else None
            log.checkpoint()
        assert log.verify(payloads=True).ok
        index = data.draw(st.integers(0, size - 1))
        event = AuditEvent.objects.get(log_index=index)
        expected, payload_bad = index, None
        if kind == "leaf":
            AuditEvent.objects.filter(pk=event.pk).update(
                leaf=_flip(bytes(event.leaf), data.draw(st.integers(0, 200))))
        elif kind == "tile":
            tile = data.draw(st.sampled_from(list(Tile.objects.order_by("level", "index"))))
            position = data.draw(st.integers(0, len(tile.hashes) - 1))
            Tile.objects.filter(pk=tile.pk).update(hashes=_flip(bytes(tile.hashes), position))
            expected = (tile.index * 256 + position // 32) * 256 ** tile.level
        elif kind == "delete":
            event.delete()
        elif kind == "reorder":
            other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index))
            first, second = sorted([index, other])
            a = AuditEvent.objects.get(log_index=first)
            b = AuditEvent.objects.get(log_index=second)
            AuditEvent.objects.filter(pk=a.pk).update(log_index=-1)
            AuditEvent.objects.filter(pk=b.pk).update(log_index=first)
            AuditEvent.objects.filter(pk=a.pk).update(log_index=second)
            expected = first
        elif kind in ("checkpoint_note", "checkpoint_root"):
            stored = data.draw(st.sampled_from(list(Checkpoint.objects.order_by("size"))))
            if kind == "checkpoint_note":
                note = stored.note
                position = data.draw(st.integers(0, len(note) - 1))
                replacement = "A" if note[position] != "A" else "B"
                Checkpoint.objects.filter(pk=stored.pk).update(
                    note=note[:position] + replacement + note[position + 1:])
            else:
                Checkpoint.objects.filter(pk=stored.pk).update(
                    root=_flip(bytes(stored.root), data.draw(st.integers(0, 31))))
            expected = None
        elif kind == "payload":
            AuditEvent.objects.filter(pk=event.pk).update(
                payload=_flip(bytes(event.payload), data.draw(st.integers(0, 50))))
            expected, payload_bad = None, index
        elif kind == "row":
            AuditEvent.objects.filter(pk=event.pk).update(action=Action.LOGOUT)
            expected, payload_bad = None, index
        elif kind == "rewrite":
            leaf = bytearray(bytes(event.leaf))
            position = leaf.index(b"Z\n") + 2 + data.draw(st.integers(0, 40))  # in the base64
            leaf[position] = ord("A") if leaf[position] != ord("A") else ord("B")
            AuditEvent.objects.filter(pk=event.pk).update(leaf=bytes(leaf))
            _rebuild_tiles()
            expected = max([0, *[s for s in Checkpoint.objects.values_list("size", flat=True)
                                 if s <= index]])
        report = log.verify(payloads=True)
        assert not report.ok
        assert report.first_bad_index == expected, report
        if expected is None and payload_bad is None:
            assert "checkpoint" in report.problem
        if payload_bad is not None:
            assert report.first_bad_payload == payload_bad, report
    _in_rollback(body)


def test_proofs_and_tiles_are_served(client, settings):
    settings.LAGET_LOG_PUBLIC = True
    _append(700)
    made = log.checkpoint()
    hashes = _leaf_hashes()
    full = client.get("/log/tile/0/001")
    assert full.status_code == 200 and full.content == b"".join(hashes[256:512])
    assert "immutable" in full["Cache-Control"]
    partial = client.get("/log/tile/0/002.p/188")
    assert partial.content == b"".join(hashes[512:700])
    assert client.get("/log/tile/0/002.p/189").status_code == 404  # not that wide yet
    assert client.get("/log/tile/0/002").status_code == 404  # not full yet
    assert client.get("/log/tile/1/000.p/2").content == merkle.tile_hashes(
        hashes, level=1, index=0, width=2)
    bundle = client.get("/log/tile/entries/000").content
    leaves, position = [], 0
    while position < len(bundle):
        length = int.from_bytes(bundle[position:position + 2], "big")
        leaves.append(bundle[position + 2:position + 2 + length])
        position += 2 + length
    assert [merkle.leaf_hash(leaf) for leaf in leaves] == hashes[:256]
    for bad in ("/log/tile/0/1", "/log/tile/0/x000/001", "/log/tile/0/001.p/0",
                "/log/tile/0/001.p/256", "/log/tile/99/000", "/log/tile/entries/abc"):
        assert client.get(bad).status_code == 404, bad
    assert client.get("/log/checkpoint").content.decode() == made.note
    answer = client.get("/api/v1/audit/proof/inclusion", {"leaf_index": 300, "tree_size": 700})
    proof = [base64.b64decode(p) for p in answer.json()["proof"]]
    assert merkle.verify_inclusion(hashes[300], index=300, tree_size=700, proof=proof,
                                   root=bytes(made.root))
    problem = client.get("/api/v1/audit/proof/inclusion", {"leaf_index": 700, "tree_size": 700})
    assert problem.status_code == 400 and problem["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/audit/proof/consistency",
                      {"first": 5, "second": 701}).status_code == 400
    assert client.get("/api/v1/audit/proof/inclusion",
                      {"leaf_index": "x", "tree_size": 1}).status_code == 400


def test_the_log_is_closed_unless_public_token_or_auditor(client, settings, make_member):
    settings.LAGET_LOG_PUBLIC = False
    settings.LAGET_LOG_WITNESS_TOKENS = ["witness-secret"]
    _append(3)
    log.checkpoint()
    assert client.get("/log/key").status_code == 200  # the key is always public
    for path in ("/log/checkpoint", "/log/tile/0/000.p/3", "/log/tile/entries/000.p/3",
                 "/api/v1/audit/proof/inclusion?leaf_index=0&tree_size=3"):
        refused = client.get(path)
        assert refused.status_code == 401, path
        assert client.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get(path, headers={"Authorization": "Bearer witness-secret"}
                          ).status_code == 200, path


def _append_raw(n: int) -> None:
    """n events with erased payloads, inserted without the ORM (fast enough for 66 000)."""
    now = clock.now()
    table = AuditEvent._meta.db_table
    rows = [(now, Action.LOGIN, "ok", "", "", "", "", "", "", "", "{}",
             seal(action=Action.LOGIN, occurred_at=now, fields={"i": i}).leaf)
            for i in range(n)]
    columns = ("occurred_at, action, outcome, actor_label, role, object_type, object_id, basis, "
               "purpose, request_id, details, leaf")
    marks = ", ".join(["%s"] * 12)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (our own table)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def test_verify_streams_a_log_spanning_several_tile_levels():
    """Over 65 536 leaves a level-2 tile exists; verify compares every level and names a
    tampered level-1 node by the first leaf under it."""
    _append_raw(66_000)
    log.checkpoint()
    report = log.verify()
    assert report.ok and report.size == 66_000
    assert Tile.objects.filter(level=2).exists()
    tile = Tile.objects.get(level=1, index=0)
    Tile.objects.filter(pk=tile.pk).update(hashes=_flip(bytes(tile.hashes), 32 * 200 + 5))
    assert log.verify().first_bad_index == 200 * 256


def test_events_sequenced_before_tiles_existed_are_tiled_by_the_next_round():
    _append(300)
    AuditEvent.objects.update(log_index=None)
    for index, pk in enumerate(AuditEvent.objects.order_by("id").values_list("pk", flat=True)):
        AuditEvent.objects.filter(pk=pk).update(log_index=index)
    assert log.tiled_size() == 0
    _append(5)
    log.checkpoint()
    assert log.tiled_size() == 305 and log.verify().ok


def test_the_sequencer_command_stops_on_a_signal():
    import signal
    import threading

    from django.core.management import call_command

    _append(2)
    timer = threading.Timer(0.3, lambda: signal.raise_signal(signal.SIGTERM))
    timer.start()
    call_command("audit", "sequencer", "--interval", "0.1")
    assert Checkpoint.objects.get().size == 2
    assert dt.timedelta(0) < clock.now() - Checkpoint.objects.get().signed_at < dt.timedelta(5)
