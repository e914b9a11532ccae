"""Many processes appending to the log at once on PostgreSQL (the notoritet issue's concurrency
test): separate OS processes, one event per transaction, while two sequencer processes sequence
and sign in a loop. Afterwards: no gaps, no duplicates, nothing lost, every writer's events in
the order it wrote them, every checkpoint a prefix of the final tree, and `audit verify` passes."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from laget.audit import log
from laget.audit.models import AuditEvent, Checkpoint, Tile
from tests.interop import tlogclient

ROOT = Path(__file__).resolve().parents[3]
WRITERS = 8
EVENTS_PER_WRITER = 150
SEQUENCERS = 2
DEADLINE_S = 30

# Each writer says it is ready once Django is loaded, then waits for the start signal, so that
# all of them write at the same time.
WRITER = """
import os, sys, time, django
django.setup()
from django.db import transaction
from laget.audit.actions import Action
from laget.audit.services import audit_record
writer, count, ready, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
open(os.path.join(ready, writer), "w").close()
while not os.path.exists(go):
    time.sleep(0.005)
for i in range(count):
    with transaction.atomic():
        audit_record(action=Action.PERSON_VIEW, actor=None, details={"writer": writer, "i": i})
"""

# A sequencer is already running when the first event arrives (as on a fresh installation):
# it says it is ready after its first round.
SEQUENCER = """
import os, sys, time, django
django.setup()
from laget.audit import log
name, stop, ready = sys.argv[1], sys.argv[2], sys.argv[3]
rounds = 0
while not os.path.exists(stop):
    log.checkpoint()
    rounds += 1
    if rounds == 1:
        open(os.path.join(ready, name), "w").close()
    time.sleep(0.01)
log.checkpoint()
print(rounds)
"""


def _env() -> dict[str, str]:
    """This test's database for the child processes (they inherit the test environment, so
    also the same signing key under LAGET_VAR_DIR)."""
    s = connection.settings_dict
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "laget.settings"
    env["DATABASE_URL"] = (f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:"
                           f"{s['PORT'] or 5432}/{s['NAME']}")
    return env


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_many_processes_append_at_once_without_gaps_or_duplicates(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency across processes is tested on PostgreSQL")
    before = AuditEvent.objects.count()
    run = uuid.uuid4().hex[:8]
    env, stop, ready, go = _env(), tmp_path / "stop", tmp_path / "ready", tmp_path / "go"
    ready.mkdir()
    sequencers = [
        subprocess.Popen([sys.executable, "-c", SEQUENCER, f"s{n}", str(stop), str(ready)],
                         env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for n in range(SEQUENCERS)
    ]
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, f"{run}-w{n}", str(EVENTS_PER_WRITER),
                          str(ready), str(go)], env=env, cwd=ROOT)
        for n in range(WRITERS)
    ]
    try:
        loading = time.monotonic() + 2 * DEADLINE_S
        while len(list(ready.iterdir())) < WRITERS + SEQUENCERS and time.monotonic() < loading:
            assert all(p.poll() is None for p in writers + sequencers), "a process died early"
            time.sleep(0.05)
        go.touch()
        started = time.monotonic()
        writer_codes = [w.wait(timeout=DEADLINE_S) for w in writers]
        writing = time.monotonic() - started
    finally:
        go.touch()
        stop.touch()
        try:
            outputs = [s.communicate(timeout=DEADLINE_S)[0] for s in sequencers]
        finally:
            for process in writers + sequencers:  # none left behind if something hung
                if process.poll() is None:
                    process.kill()
    assert writer_codes == [0] * WRITERS
    assert [s.returncode for s in sequencers] == [0] * SEQUENCERS
    assert all(int(out) > 0 for out in outputs)
    assert writing < DEADLINE_S
    log.checkpoint()

    total = before + WRITERS * EVENTS_PER_WRITER
    assert AuditEvent.objects.count() == total
    assert not AuditEvent.objects.filter(log_index__isnull=True).exists()
    indexes = sorted(AuditEvent.objects.values_list("log_index", flat=True))
    assert indexes == list(range(total)), "no gaps, no duplicates"

    # each writer's events appear in the log in the order it committed them
    for n in range(WRITERS):
        order = list(AuditEvent.objects.filter(details__writer=f"{run}-w{n}").order_by("log_index")
                     .values_list("details__i", flat=True))
        assert order == list(range(EVENTS_PER_WRITER))

    # Checkpoints were signed while the writers wrote, each at a new size, and every one of them
    # is the root of a prefix of the final tree (no fork), checked independently of Laget's code.
    checkpoints = list(Checkpoint.objects.order_by("size"))
    assert len(checkpoints) >= 2 and checkpoints[-1].size == total
    leaves = [bytes(leaf) for leaf in AuditEvent.objects.order_by("log_index")
              .values_list("leaf", flat=True)]
    tree = tlogclient.Tree([tlogclient.leaf_hash(leaf) for leaf in leaves])
    verifier = tlogclient.parse_verifier_key(log.verifier_key())
    for cp in checkpoints:
        body = tlogclient.parse_checkpoint(tlogclient.open_note(cp.note, verifier), cp.note)
        assert body.size == cp.size and body.root == tree.mth(0, cp.size)

    # the stored tiles are the tree's (C2SP tlog-tiles: tile n at level l holds
    # MTH(D[(256n + i)·256^l : (256n + i + 1)·256^l]) for the i that fit)
    stored = {(tile.level, tile.index): bytes(tile.hashes) for tile in Tile.objects.all()}
    expected = {}
    for level, n, width in tlogclient.tiles_for(total):
        span = 256**level
        expected[(level, n)] = b"".join(
            tree.mth((256 * n + i) * span, (256 * n + i + 1) * span) for i in range(width))
    assert {key: stored.get(key, b"")[:len(value)] for key, value in expected.items()} == expected

    report = log.verify()
    assert report.ok, report.problem
    assert report.size == total and report.checkpoints == len(checkpoints)
