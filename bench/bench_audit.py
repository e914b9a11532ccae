"""The audit log at scale: appends with durable commits, verification of 1 M and 10 M events, and
inclusion proofs.

On PostgreSQL (the `laget_bench` database of `make bench`):
- **appends**: 16 writer processes, one event per transaction (`audit_record()`, the real write
  path: seal + the event row + its person rows, committed with the default synchronous_commit),
  while `manage.py audit sequencer` integrates them into the tree every second; side by side,
  alternating, the same writers inserting the same rows without the log (no seal, no log
  columns; the sequencer has nothing to do) into plain copies of the two tables; then the same
  two statements sent by pgbench, for what the database alone sustains. At the end every event
  must be sequenced and `log.verify()` must pass on the whole log.
- **verify**: `log.verify(size=…)` over the first 1 000 000 and 10 000 000 leaves, against
  hashlib's SHA-256 over the same number of hashes of the same sizes (a leaf hash and a node hash
  per leaf) in the same run.
- **proofs**: `log.inclusion_proof()` for random leaves in the tree of 10 000 000, in process and
  over HTTP (`/api/v1/audit/proof/inclusion`, `manage.py runserver`).

The log is seeded once to 10 000 000 leaves (`seed_log`: laget.demo.scale_audit, as `seed_scale
--audit-events` seeds it; idempotent: it adds only what is missing), tiled as the sequencer tiles
them; on a database cloned from `laget_bench_template` it is already there. Writes the figures
to bench/results.json; see bench/README.md.
"""

import argparse
import base64
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

from benchenv import django_setup  # noqa: E402

# The audit log is signed with this benchmark's own key (benchenv).
django_setup()  # signs as the city log (benchenv.CITY_LOG)

from benchlib import git_commit, machine, merge_results, parse_arguments, print_figures, summary  # noqa: E402
from django.db import connection, connections, models, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from laget.accounts.actor import Actor  # noqa: E402
from laget.accounts.models import Agency, AgencyType, Membership, Role, User  # noqa: E402
from laget.audit import log, merkle  # noqa: E402
from laget.audit.actions import Action, Purpose  # noqa: E402
from laget.audit.models import AuditEvent, AuditEventPerson, Checkpoint, Tile  # noqa: E402
from laget.audit.services import audit_record, event_fields, insert  # noqa: E402
from laget.core import requestcontext  # noqa: E402
from laget.demo.progress import Progress  # noqa: E402
from laget.demo.scale_audit import CHUNK, seed_audit_log  # noqa: E402

TARGET_APPEND_PER_S = 5000
TARGET_APPEND_RATIO = 0.5
TARGET_VERIFY_10M_S = 60.0
LOG_SIZE = 10_000_000
SMALL_SIZE = 1_000_000

# --- machine and run facts -----------------------------------------------------------------------


def say(text: str) -> None:
    print(f"bench audit: {text}", flush=True)


# --- seeding the log -----------------------------------------------------------------------------

def seed_log(target: int, *, chunk: int = CHUNK) -> int:
    """Fill the log to `target` leaves (none if it holds as many) with the events `seed_scale
    --audit-events` writes (laget.demo.scale_audit: sealed events of the scale seed's staff
    about its persons, each chunk one transaction under the sequencer's lock, by COPY, its leaf
    hashes extending the tiles, a checkpoint signed after it). Returns how many were added."""
    try:
        return seed_audit_log(target, chunk=chunk, progress=Progress(), say=say)
    except log.LogCorrupt as exc:
        raise SystemExit(f"bench: {exc}") from exc


# --- verifying -----------------------------------------------------------------------------------

def time_verify(size: int | None) -> dict[str, Any]:
    """log.verify() of the tree of the first `size` leaves, or of the whole log (every leaf
    read, hashed and compared with the tiles; every checkpoint up to it checked)."""
    started = time.perf_counter()
    report = log.verify(size=size)
    seconds = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(f"bench: the log does not verify (size {size}): index "
                         f"{report.first_bad_index}: {report.problem}")
    return {"size": report.size, "seconds": round(seconds, 3),
            "leaves_per_s": round(report.size / seconds), "checkpoints": report.checkpoints,
            "unsequenced": report.unsequenced, "root": report.root.hex()}


def time_hashing(size: int, sample: list[bytes]) -> dict[str, Any]:
    """hashlib's SHA-256 alone over as many hashes as verifying `size` leaves computes, of the
    same sizes: a leaf hash of 0x00 ‖ leaf for each leaf (the log's own leaves, cycled), and
    size − 1 node hashes of 0x01 ‖ left ‖ right (65 bytes). Inputs are built beforehand; the
    loop is the leanest Python has (a list comprehension calling sha256().digest())."""
    sha256 = hashlib.sha256
    leaf_inputs = [b"\x00" + leaf for leaf in sample]
    node_inputs = [b"\x01" + random.Random(n).randbytes(64) for n in range(len(sample))]
    started = time.perf_counter()
    for inputs, count in ((leaf_inputs, size), (node_inputs, size - 1)):
        while count > 0:
            block = inputs[:count]
            [sha256(data).digest() for data in block]
            count -= len(block)
    seconds = time.perf_counter() - started
    return {"hashes": 2 * size - 1, "seconds": round(seconds, 3),
            "hashes_per_s": round((2 * size - 1) / seconds),
            "mean_leaf_bytes": round(statistics.fmean(map(len, sample)), 1)}


def leaf_sample(count: int = 65536) -> list[bytes]:
    return [bytes(leaf) for leaf in AuditEvent.objects.filter(log_index__lt=count)
            .order_by("log_index").values_list("leaf", flat=True)]


# --- inclusion proofs ----------------------------------------------------------------------------

def time_proofs(tree_size: int, count: int, rng: random.Random) -> dict[str, Any]:
    """log.inclusion_proof() for random leaves in the tree of `tree_size` (each from the stored
    tiles, as the API computes it); every proof is checked against the root afterwards."""
    root = log.root_at(tree_size)
    indexes = [rng.randrange(tree_size) for _ in range(count + count // 10)]
    timings, proofs = [], []
    for number, index in enumerate(indexes):
        started = time.perf_counter()
        proof = log.inclusion_proof(index=index, tree_size=tree_size)
        elapsed = (time.perf_counter() - started) * 1000
        if number >= count // 10:  # the first tenth warms up
            timings.append(elapsed)
            proofs.append((index, proof))
    check_proofs(proofs, tree_size, root)
    return {"tree_size": tree_size, "proofs": len(timings), **summary(timings)}


def check_proofs(proofs: list[tuple[int, list[bytes]]], tree_size: int, root: bytes) -> None:
    leaves = dict(AuditEvent.objects.filter(log_index__in=[i for i, _p in proofs])
                  .values_list("log_index", "leaf"))
    for index, proof in proofs:
        if not merkle.verify_inclusion(merkle.leaf_hash(bytes(leaves[index])), index=index,
                                       tree_size=tree_size, proof=proof, root=root):
            raise SystemExit(f"bench: the inclusion proof of {index} does not verify")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def time_http_proofs(tree_size: int, count: int, rng: random.Random) -> dict[str, Any]:
    """GET /api/v1/audit/proof/inclusion from `manage.py runserver` on the loopback (one request
    at a time, a witness token, DEBUG off, a persistent database connection; plain HTTP, as
    behind a proxy that terminates TLS)."""
    port, token = free_port(), "bench-witness-token"
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "LAGET_LOG_WITNESS_TOKENS": token,
           "DATABASE_CONN_MAX_AGE": "600", "SECURE_SSL_REDIRECT": "0"}
    server = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload",
         "--nothreading", "--skip-checks"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api/v1/audit/proof/inclusion"
    root = log.root_at(tree_size)

    def get(index: int) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 (the loopback)
            f"{base}?leaf_index={index}&tree_size={tree_size}",
            headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.loads(response.read())

    try:
        for _ in range(100):
            try:
                get(0)
                break
            except OSError:
                time.sleep(0.1)
        indexes = [rng.randrange(tree_size) for _ in range(count + count // 10)]
        timings, proofs = [], []
        for number, index in enumerate(indexes):
            started = time.perf_counter()
            body = get(index)
            elapsed = (time.perf_counter() - started) * 1000
            if number >= count // 10:
                timings.append(elapsed)
                proofs.append((index, [base64.b64decode(p) for p in body["proof"]]))
                if base64.b64decode(body["root"]) != root:
                    raise SystemExit("bench: the API's root differs from log.root_at()")
    finally:
        server.terminate()
        server.wait(timeout=30)
    check_proofs(proofs, tree_size, root)
    return {"tree_size": tree_size, "proofs": len(timings), **summary(timings)}


# --- appends -------------------------------------------------------------------------------------

PLAIN_EVENT = "bench_plain_event"
PLAIN_PERSON = "bench_plain_event_person"


class PlainEvent(models.Model):
    """The baseline's event: an audit event's columns without the log's (leaf, log index,
    payload, salt, erasure time)."""

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField()
    action = models.CharField(max_length=60)
    outcome = models.CharField(max_length=10)
    actor = models.ForeignKey("accounts.User", on_delete=models.DO_NOTHING, null=True,
                              related_name="+")
    actor_label = models.CharField(max_length=150)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.DO_NOTHING, null=True,
                               related_name="+")
    role = models.CharField(max_length=20)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    basis = models.CharField(max_length=200)
    purpose = models.CharField(max_length=30)
    request_id = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True)
    details = models.JSONField(default=dict)

    class Meta:
        app_label = "audit"
        managed = False
        db_table = PLAIN_EVENT

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"


class PlainEventPerson(models.Model):
    event = models.ForeignKey(PlainEvent, on_delete=models.DO_NOTHING, related_name="+")
    person_id = models.UUIDField()

    class Meta:
        app_label = "audit"
        managed = False
        db_table = PLAIN_PERSON

    def __str__(self) -> str:
        return f"#{self.event_id} → {self.person_id}"


def create_plain_tables() -> None:
    """Empty copies of the two tables without the log's columns (dropping a column drops the
    indexes on it: the log index's unique index and the unsequenced events' partial index), with
    the other indexes, constraints and foreign keys, as an audit table without a log would be."""
    event, person = AuditEvent._meta.db_table, AuditEventPerson._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PLAIN_PERSON}, {PLAIN_EVENT}")
        cursor.execute(f"CREATE TABLE {PLAIN_EVENT} (LIKE {event} INCLUDING ALL)")
        cursor.execute(f"ALTER TABLE {PLAIN_EVENT} DROP COLUMN leaf, DROP COLUMN log_index, "
                       "DROP COLUMN payload, DROP COLUMN salt, DROP COLUMN erased_at, "
                       "ADD FOREIGN KEY (actor_id) REFERENCES accounts_user (id) "
                       "DEFERRABLE INITIALLY DEFERRED, "
                       "ADD FOREIGN KEY (agency_id) REFERENCES accounts_agency (id) "
                       "DEFERRABLE INITIALLY DEFERRED")
        cursor.execute(f"CREATE TABLE {PLAIN_PERSON} (LIKE {person} INCLUDING ALL)")
        cursor.execute(f"ALTER TABLE {PLAIN_PERSON} ADD FOREIGN KEY (event_id) "
                       f"REFERENCES {PLAIN_EVENT} (id) DEFERRABLE INITIALLY DEFERRED")


def plain_record(**kwargs: Any) -> PlainEvent:
    """audit_record() without the log: the same columns and persons (event_fields()) written by
    the same statement (insert()), into the plain tables; no seal, no leaf, payload or salt."""
    fields, person_ids = event_fields(**kwargs)
    event = PlainEvent(**fields)
    insert(event, PlainEventPerson, person_ids)
    return event


def bench_actor_ids() -> tuple[int, Any]:
    """A user and an agency of the benchmark's own (no membership row, so no seed counts them)."""
    agency, _ = Agency.objects.get_or_create(
        code="bench-audit", defaults={"name": "Benchmark (audit log)", "type": AgencyType.BYDEL})
    user, created = User.objects.get_or_create(username="bench-audit-writer")
    if created:
        user.set_unusable_password()
        user.save()
    return user.pk, agency.pk


def write_events(variant: str, actor: Actor, until: float, rng: random.Random
                 ) -> tuple[int, float, list[float]]:
    """Events one per transaction until `until` (time.time()), as a request reading a page of
    entries about one to three persons would: how many, when the last committed, and each
    transaction's time in ms."""
    record = audit_record if variant == "audit" else plain_record
    count, last, timings = 0, time.time(), []
    while last < until:
        persons = [uuid.UUID(int=rng.getrandbits(128), version=4)
                   for _ in range(rng.choice((1, 1, 1, 2, 3)))]
        token = requestcontext.begin(ip_address="10.20.30.40")
        started = time.perf_counter()
        try:  # autocommit: the event is its own transaction
            record(action=Action.ENTRY_LIST, actor=actor, persons=persons,
                   purpose=Purpose.OPPFOLGING, basis="helsepersonelloven § 45",
                   details={"page": 1, "count": 25})
        finally:
            requestcontext.end(token)
        timings.append((time.perf_counter() - started) * 1000)
        count += 1
        last = time.time()
    return count, last, timings


def writer_main(number: int, actor_ids: tuple[int, Any], commands: Any, results: Any) -> None:
    """A writer process: for each round (variant, start, end) it is sent, writes and reports."""
    rng = random.Random(number)
    user = User.objects.get(pk=actor_ids[0])
    actor = Actor(user, Membership(user=user, agency=Agency.objects.get(pk=actor_ids[1]),
                                   role=Role.CASEWORKER))
    while (command := commands.get()) is not None:
        variant, start, until = command
        time.sleep(max(0.0, start - time.time()))
        results.put((number, variant, *write_events(variant, actor, until, rng)))
    connection.close()


class Writers:
    """Writer processes, each with its own database connection, kept across rounds."""

    def __init__(self, count: int) -> None:
        actor_ids = bench_actor_ids()
        connections.close_all()  # the children must not share the parent's connection
        context = multiprocessing.get_context("fork")
        self.results = context.Queue()
        self.commands = [context.Queue() for _ in range(count)]
        self.processes = [
            context.Process(target=writer_main, args=(n, actor_ids, queue, self.results),
                            daemon=True)
            for n, queue in enumerate(self.commands)]
        for process in self.processes:
            process.start()

    def round(self, variant: str, seconds: float) -> dict[str, Any]:
        start = time.time() + 0.5
        for queue in self.commands:
            queue.put((variant, start, start + seconds))
        reports = [self.results.get(timeout=seconds + 120) for _ in self.processes]
        events = sum(report[2] for report in reports)
        elapsed = max(report[3] for report in reports) - start
        timings = [t for report in reports for t in report[4]]
        return {"variant": variant, "events": events, "seconds": round(elapsed, 3),
                "per_s": round(events / elapsed, 1), "transaction": summary(timings)}

    def close(self) -> None:
        for queue in self.commands:
            queue.put(None)
        for process in self.processes:
            process.join(timeout=30)
        self.commands = []


def unsequenced() -> int:
    return AuditEvent.objects.filter(log_index__isnull=True).count()


def catch_up(timeout: float = 120) -> float:
    """Seconds until the running sequencer has sequenced everything waiting."""
    started = time.perf_counter()
    while unsequenced():
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"bench: the sequencer left {unsequenced()} events waiting")
        time.sleep(0.05)
    return round(time.perf_counter() - started, 3)


def start_sequencer() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "audit", "sequencer", "--interval", "1"],
        cwd=ROOT, env=dict(os.environ))


def stop_sequencer(sequencer: subprocess.Popen) -> None:
    sequencer.send_signal(signal.SIGTERM)
    sequencer.wait(timeout=120)


def bench_appends(writers_count: int, seconds: float, rounds: int) -> dict[str, Any]:
    """Audit and plain rounds alternating (A B, B A, …) after a warm-up of each; the sequencer
    runs throughout (with nothing to do in plain rounds). After each audit round, the time until
    the sequencer has integrated every event (the next round starts only then)."""
    create_plain_tables()
    sequencer = start_sequencer()
    writers = Writers(writers_count)
    try:
        writers.round("audit", min(3.0, seconds))
        catch_up()
        writers.round("plain", min(3.0, seconds))
        pairs = []
        for number in range(rounds):
            order = ("audit", "plain") if number % 2 == 0 else ("plain", "audit")
            pair = {}
            for variant in order:
                pair[variant] = writers.round(variant, seconds)
                if variant == "audit":
                    pair["audit"]["waiting_at_end"] = unsequenced()
                    pair["audit"]["sequenced_after_s"] = catch_up()
            pair["ratio"] = round(pair["audit"]["per_s"] / pair["plain"]["per_s"], 3)
            pairs.append(pair)
            say(f"appends {pair['audit']['per_s']:,.0f}/s with the log, "
                f"{pair['plain']['per_s']:,.0f}/s plain (ratio {pair['ratio']})")
        writers.close()
        ceiling = database_ceiling(writers_count, seconds)
    finally:
        writers.close()
        stop_sequencer(sequencer)
    audit_events = sum(pair["audit"]["events"] for pair in pairs)
    audit_seconds = sum(pair["audit"]["seconds"] for pair in pairs)
    plain_events = sum(pair["plain"]["events"] for pair in pairs)
    plain_seconds = sum(pair["plain"]["seconds"] for pair in pairs)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PLAIN_PERSON}, {PLAIN_EVENT}")
    return {
        "writers": writers_count, "seconds_per_round": seconds, "rounds": rounds,
        "audit_per_s": round(audit_events / audit_seconds, 1),
        "plain_per_s": round(plain_events / plain_seconds, 1),
        "ratio": round((audit_events / audit_seconds) / (plain_events / plain_seconds), 3),
        "ratio_median_pair": round(statistics.median(p["ratio"] for p in pairs), 3),
        "sequenced_after_s_max": max(p["audit"]["sequenced_after_s"] for p in pairs),
        "pairs": pairs,
        "database_ceiling": ceiling,
    }


def pgbench() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))
    return str(installed[-1]) if installed else None


def sent_statement(record: Any, actor: Actor) -> str:
    """The statement `record` sends for one event, with its values in (as Django's client-side
    binding sends it), taken from a call that is rolled back."""
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        record(action=Action.ENTRY_LIST, actor=actor, persons=[uuid.uuid4()],
               purpose=Purpose.OPPFOLGING, basis="helsepersonelloven § 45",
               details={"page": 1, "count": 25})
        transaction.set_rollback(True)
    (query,) = [query["sql"] for query in captured.captured_queries
                if query["sql"] not in ("BEGIN", "ROLLBACK")]
    return query.replace("\n", " ") + ";\n"


def database_ceiling(clients: int, seconds: float) -> dict[str, Any] | None:
    """What the database alone sustains: pgbench (a C client) sending the very statements of
    audit_record() and plain_record() from as many connections, one per transaction, durable
    commits, the sequencer running; alternating A B B A. Shows whether the database or the
    writers' Python is the limit. None without pgbench."""
    program = pgbench()
    if program is None:
        return None
    user_id, agency_id = bench_actor_ids()
    user = User.objects.get(pk=user_id)
    actor = Actor(user, Membership(user=user, agency=Agency.objects.get(pk=agency_id),
                                   role=Role.CASEWORKER))
    database = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(database["PASSWORD"] or "")}
    rates: dict[str, list[float]] = {"audit": [], "plain": []}
    rounds = []
    with tempfile.TemporaryDirectory() as folder:
        scripts = {}
        for variant, record in (("audit", audit_record), ("plain", plain_record)):
            scripts[variant] = Path(folder) / f"{variant}.sql"
            scripts[variant].write_text(sent_statement(record, actor), encoding="utf-8")
        for variant in ("audit", "plain", "plain", "audit"):
            done = subprocess.run(  # noqa: S603 (pgbench on our own database)
                [program, "-n", "-c", str(clients), "-j", "2", "-T", str(round(seconds)),
                 "-h", str(database["HOST"] or "127.0.0.1"), "-p", str(database["PORT"] or 5432),
                 "-U", str(database["USER"]), "-f", str(scripts[variant]), str(database["NAME"])],
                env=env, capture_output=True, text=True, check=True)
            tps = next(line for line in done.stdout.splitlines() if line.startswith("tps = "))
            rates[variant].append(float(tps.split()[2]))
            rounds.append({"variant": variant, "per_s": float(tps.split()[2])})
            if variant == "audit":
                rounds[-1]["waiting_at_end"] = unsequenced()
                rounds[-1]["sequenced_after_s"] = catch_up()
    audit, plain = statistics.fmean(rates["audit"]), statistics.fmean(rates["plain"])
    say(f"the database alone (pgbench, the same statements): {audit:,.0f}/s with the log, "
        f"{plain:,.0f}/s plain")
    return {"client": "pgbench", "clients": clients, "seconds_per_round": round(seconds),
            "audit_per_s": round(audit, 1), "plain_per_s": round(plain, 1),
            "ratio": round(audit / plain, 3), "rounds": rounds}


# --- the run -------------------------------------------------------------------------------------

def metrics_of(block: dict[str, Any]) -> dict[str, float]:
    append, small, large = block["append"], block["verify"]["small"], block["verify"]["large"]
    ceiling = append["database_ceiling"] or {}
    return {
        "audit.append_per_s": append["audit_per_s"],
        "audit.append_plain_per_s": append["plain_per_s"],
        "audit.append_ratio": append["ratio"],
        "audit.append_ratio_median_pair": append["ratio_median_pair"],
        "audit.append_p50_ms": block["append_transaction"]["p50_ms"],
        "audit.append_p95_ms": block["append_transaction"]["p95_ms"],
        "audit.sequenced_after_s_max": append["sequenced_after_s_max"],
        **({"audit.append_db_per_s": ceiling["audit_per_s"],
            "audit.append_db_plain_per_s": ceiling["plain_per_s"],
            "audit.append_db_ratio": ceiling["ratio"]} if ceiling else {}),
        "audit.verify_1m_s": small["verify"]["seconds"],
        "audit.hash_1m_s": small["hashing"]["seconds"],
        "audit.hash_ratio_1m": small["hash_ratio"],
        "audit.verify_10m_s": large["verify"]["seconds"],
        "audit.hash_10m_s": large["hashing"]["seconds"],
        "audit.hash_ratio": large["hash_ratio"],
        "audit.proof_p50_ms": block["proofs"]["p50_ms"],
        "audit.proof_p95_ms": block["proofs"]["p95_ms"],
        "audit.proof_http_p50_ms": block["proofs_http"]["p50_ms"],
        "audit.proof_http_p95_ms": block["proofs_http"]["p95_ms"],
        "audit.verify_all_s": block["verify_all"]["seconds"],
    }


def targets_of(metrics: dict[str, float]) -> dict[str, bool]:
    return {
        f"audit.append_per_s >= {TARGET_APPEND_PER_S}":
            metrics["audit.append_per_s"] >= TARGET_APPEND_PER_S,
        f"audit.append_ratio >= {TARGET_APPEND_RATIO}":
            metrics["audit.append_ratio"] >= TARGET_APPEND_RATIO,
        f"audit.verify_10m_s <= {TARGET_VERIFY_10M_S:g}":
            metrics["audit.verify_10m_s"] <= TARGET_VERIFY_10M_S,
    }


def verify_pair(size: int, sample: list[bytes]) -> dict[str, Any]:
    verified = time_verify(size)
    hashing = time_hashing(size, sample)
    say(f"verified {size:,} leaves in {verified['seconds']:.1f} s; hashlib alone "
        f"{hashing['seconds']:.1f} s")
    return {"verify": verified, "hashing": hashing,
            "hash_ratio": round(verified["seconds"] / hashing["seconds"], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log-size", type=int, default=LOG_SIZE,
                        help="leaves the log is seeded to and verified at (the large size)")
    parser.add_argument("--small-size", type=int, default=SMALL_SIZE)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--append-seconds", type=float, default=10.0,
                        help="length of each append round (two rounds of each kind)")
    parser.add_argument("--append-rounds", type=int, default=2)
    parser.add_argument("--proofs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.json"))
    # scripts/bench.sh passes every benchmark's options to each: others are ignored.
    args = parse_arguments(parser, {"log_size": 50_000, "small_size": 10_000, "writers": 4,
                                    "append_seconds": 2.0, "append_rounds": 1, "proofs": 20},
                           known=True)
    if connection.vendor != "postgresql":
        raise SystemExit("bench: the audit benchmark runs on PostgreSQL (set DATABASE_URL)")
    if args.small_size > args.log_size:
        raise SystemExit("bench: --small-size must not exceed --log-size")

    seeding_started = time.perf_counter()
    added = seed_log(args.log_size)
    seeding_s = round(time.perf_counter() - seeding_started, 1)
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    rng = random.Random(args.seed)
    sample = leaf_sample()
    verify = {"small": verify_pair(args.small_size, sample),
              "large": verify_pair(args.log_size, sample)}
    proofs = time_proofs(args.log_size, args.proofs, rng)
    proofs_http = time_http_proofs(args.log_size, args.proofs, rng)
    say(f"inclusion proofs at {args.log_size:,}: p95 {proofs['p95_ms']} ms in process, "
        f"{proofs_http['p95_ms']} ms over HTTP")
    append = bench_appends(args.writers, args.append_seconds, args.append_rounds)
    log.checkpoint()
    left = unsequenced()
    if left:
        raise SystemExit(f"bench: {left} events were not sequenced")
    verify_all = time_verify(None)
    whole = verify_all["size"]
    say(f"the whole log ({whole:,} leaves, with this run's appends) verifies "
        f"in {verify_all['seconds']:.1f} s")
    load_after = os.getloadavg()
    audit_timings = [pair["audit"]["transaction"] for pair in append["pairs"]]
    block = {
        "date": started.isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "machine": machine(),
        "load_average_1min": {"before": round(load_before[0], 2),
                              "after": round(load_after[0], 2)},
        "log": {"leaves": whole, "checkpoints": Checkpoint.objects.count(),
                "tiles": Tile.objects.count(), "seeded_now": added, "seeding_s": seeding_s},
        "append": append,
        "append_transaction": {
            "p50_ms": max(t["p50_ms"] for t in audit_timings),
            "p95_ms": max(t["p95_ms"] for t in audit_timings)},
        "verify": verify,
        "verify_all": verify_all,
        "proofs": proofs,
        "proofs_http": proofs_http,
    }
    metrics = metrics_of(block)
    block["targets_met"] = targets = targets_of(metrics)
    path = Path(args.results)
    merge_results(path, "audit", metrics, block)
    print_figures(metrics, targets)
    print(f"bench: wrote {path}")


if __name__ == "__main__":
    main()
