"""Guardians' SMS after a police registration: the time from the registration's commit to the
message reaching the SMS gateway, with one delivery worker and with four.

On PostgreSQL (its own database, `laget_bench_notify` under `make bench`: the registrations,
concerns and task queue it writes must not land in the scale seed the other benchmarks read):
- the data: a police unit with an officer, and synthetic persons of 14–16 in bydel Stovner, each
  with one guardian (parental responsibility, a phone), made with the people services;
- a fake SMS gateway on 127.0.0.1 (http.server in a thread of this process) that answers 202 and
  records when each POST arrived, by `reference` (the message id) and `Idempotency-Key`;
- N real `manage.py db_worker` processes (the deployment's command with its default polling
  interval, 1 s, and the default settings otherwise) with LAGET_NOTIFY_SMS_URL pointing at the
  gateway, and `manage.py scheduler` beside them as in a deployment (its minute sweep
  `deliver_due_messages` takes whatever is due, in batches);
- driver processes (forked, each with its own connection) that call
  `policing.services.registration_create` — a stop and search of a person under 18, whose
  guardian gets one SMS through the outbox — open loop at the given rate (registration i is due at
  start + i / rate, whether or not the earlier ones have returned), and note when each returned
  committed;
- then a bounded wait until every message has arrived. Latency = first arrival − commit; lost =
  messages queued − distinct references that arrived; duplicates = POSTs − distinct keys.
N = 1, then N = 4 (the issue's target: p95 ≤ 5 s and no losses with four); then the baseline
in the same run: the same registrations at the same rate with no workers and no queue, each
driver delivering its registration's messages itself right after the commit with the workers' own
`message_deliver` (`notify.inline_*`; `notify.p95_ratio` = the queue's p95 / the inline p95: what
the outbox and the task queue add to the delivery itself). Then, to show what a
delivery costs with and without the task around it, one worker meets 1 000 queued messages at once
(`--compare`): delivered by their own `deliver_message` tasks, one task each (with the database
connection of the settings, one per task, and kept between tasks), and by one
`deliver_due_messages` that takes them in batches (`notify.tasks_*`, `notify.tasks_persistent_*`,
`notify.batched_*`).
Writes `notify.*` to bench/results.json (the four-worker figures unprefixed, one worker's as
`notify.w1_*`); see bench/README.md. Short runs: LAGET_BENCH_NOTIFY_SECONDS (default 60) and
LAGET_BENCH_NOTIFY_RATE (default 50), or the flags.
"""

import argparse
import datetime as dt
import json
import logging
import multiprocessing
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

from benchenv import django_setup  # noqa: E402

# The audit log is signed with this benchmark's own key (benchenv).
django_setup(log_name="bench-notify-log")

from benchlib import (  # noqa: E402
    git_commit,
    machine,
    merge_results,
    parse_arguments,
    percentile,
    print_figures,
)
from django.conf import settings  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from laget.accounts import services as account_services  # noqa: E402
from laget.accounts.actor import Actor  # noqa: E402
from laget.accounts.models import Agency, AgencyType, Membership, Role, User  # noqa: E402
from laget.areas.models import District, Subdistrict  # noqa: E402
from laget.core import clock  # noqa: E402
from laget.demo import names  # noqa: E402
from laget.notify.models import Channel, Message, MessageStatus  # noqa: E402
from laget.notify.services import enqueue, message_deliver  # noqa: E402
from laget.people import services as people_services  # noqa: E402
from laget.people.identifiers import synthetic_national_id  # noqa: E402
from laget.people.models import GuardianRelation, Person  # noqa: E402
from laget.policing.models import RegistrationKind  # noqa: E402
from laget.policing.services import registration_create  # noqa: E402

TARGET_P95_S = 5.0
DISTRICT = "030111"  # Stovner, as the policing tests
FAMILY_NAME = "Varselbenk"  # marks this benchmark's synthetic persons
UNIT_CODE = "bench-notify-politi"
OFFICER = "bench-notify-politi"
GATEWAY_TOKEN = "bench-notify-token"  # noqa: S105 — the fake gateway on loopback checks nothing
TICK = os.sysconf("SC_CLK_TCK")


def say(text: str) -> None:
    print(f"bench notify: {text}", flush=True)


def env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    return float(value) if value.strip() else default


# --- the data ------------------------------------------------------------------------------------

def officer_ids() -> tuple[int, Any]:
    """The police unit and its officer (a caseworker, as the policing tests): made once."""
    agency, _ = Agency.objects.get_or_create(
        code=UNIT_CODE, defaults={"name": "Oslo politidistrikt, forebyggende (benchmark)",
                                  "type": AgencyType.POLITI, "is_synthetic": True})
    user = User.objects.filter(username=OFFICER).first()
    if user is None:
        user = account_services.user_create(username=OFFICER, first_name="Petter",
                                            last_name="Benk (syntetisk)", password=None)
    membership = Membership.objects.active().filter(user=user, agency=agency).first()
    if membership is None:
        membership = account_services.membership_add(user=user, agency=agency,
                                                     role=Role.CASEWORKER)
    return user.pk, membership.pk


def seed_persons(count: int, seed: int) -> list[tuple[str, str]]:
    """`count` synthetic persons of 14–16 in Stovner, each with one guardian who has parental
    responsibility and a (synthetic) mobile number; only the missing ones are made. Persons made
    by an earlier run who have turned 17 since are left out, so that every registration is of a
    child whose guardian is told. Returns (national id, given name) of each."""
    today = clock.today()
    ours = Person.objects.filter(family_name=FAMILY_NAME, is_synthetic=True,
                                 birth_date__gt=today - dt.timedelta(days=17 * 365 + 4))
    existing = ours.count()
    rng = random.Random(seed + Person.objects.filter(family_name=FAMILY_NAME).count())
    district = District.objects.get(code=DISTRICT)
    made = 0
    while existing + made < count:
        with transaction.atomic():
            for _ in range(min(500, count - existing - made)):
                birth_date = today - dt.timedelta(days=rng.randint(14 * 365 + 4, 16 * 365 + 300))
                number = synthetic_national_id(birth_date=birth_date, rng=rng)
                if Person.objects.filter(national_id=number).exists():
                    continue
                person = people_services.person_create(data={
                    "national_id": number, "birth_date": birth_date,
                    "given_name": rng.choice(names.GIVEN_NAMES), "family_name": FAMILY_NAME,
                    "district": district, "is_synthetic": True})
                people_services.guardian_create(person=person, data={
                    "given_name": rng.choice(names.ADULT_GIVEN_NAMES), "family_name": FAMILY_NAME,
                    "relation": GuardianRelation.MOTHER, "parental_responsibility": True,
                    "phone": f"9{rng.randrange(10_000_000):07d}", "is_synthetic": True})
                made += 1
    if made:
        say(f"made {made} synthetic persons with a guardian each")
    return list(ours.order_by("national_id").values_list("national_id", "given_name")[:count])


def place_id() -> Any:
    return Subdistrict.objects.filter(district_id=DISTRICT).order_by("code").values_list(
        "pk", flat=True)[0]


# --- the fake SMS gateway ------------------------------------------------------------------------

class Gateway:
    """A JSON SMS gateway on 127.0.0.1 that answers 202 at once and records, per POST, the time it
    arrived (time.time(), the clock the drivers stamp commits with), the message id (`reference`)
    and the `Idempotency-Key`."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, str, str]] = []
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                arrived = time.time()
                with gateway.lock:
                    gateway.arrivals.append((arrived, str(body.get("reference", "")),
                                             self.headers.get("Idempotency-Key", "")))
                reply = json.dumps({"id": body.get("reference"), "status": "accepted"}).encode()
                self.send_response(202)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def since(self, start: int) -> list[tuple[float, str, str]]:
        with self.lock:
            return self.arrivals[start:]

    def count(self) -> int:
        with self.lock:
            return len(self.arrivals)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- the registering side ------------------------------------------------------------------------

def drive(number: int, drivers: int, persons: list[tuple[str, str]], actor: Actor,
          subdistrict: Subdistrict, start: float, rate: float, count: int, inline: bool = False
          ) -> tuple[list[dict[str, Any]], Counter]:
    """This driver's share of the registrations (i ≡ number mod drivers), each at start + i/rate
    (or at once when behind): when it was due, began and returned committed, and its messages.
    `inline` (the baseline): the driver delivers its registration's messages itself right after
    the commit, with the workers' own `message_deliver` — the same delivery without the queue."""
    records: list[dict[str, Any]] = []
    errors: Counter = Counter()
    for i in range(number, count, drivers):
        due = start + i / rate
        time.sleep(max(0.0, due - time.time()))
        national_id, given_name = persons[i % len(persons)]
        began = time.time()
        try:
            result = registration_create(
                actor=actor, kind=RegistrationKind.STOP_SEARCH, subdistrict=subdistrict,
                occurred_at=clock.now(), given_name=given_name, family_name=FAMILY_NAME,
                national_id=national_id, grounds="Syntetisk registrering (ytelsestest).")
        except Exception as error:  # counted and reported (synthetic data); the run goes on
            errors[f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"] += 1
            continue
        # registration_create is the outermost transaction: it has committed when it returns
        # (after the commit only its on-commit hook ran: one INSERT of the delivery task).
        committed = time.time()
        messages = [n.message_id for n in result.notices if n.message_id]
        if inline:
            for message_id in messages:
                message_deliver(message_id=message_id)
        records.append({"i": i, "due": due, "began": began, "committed": committed,
                        "messages": messages,
                        "manual": sum(1 for n in result.notices if n.manual_reason)})
    return records, errors


def driver_main(number: int, drivers: int, persons: list[tuple[str, str]], ids: tuple[Any, ...],
                commands: Any, results: Any) -> None:
    """A driver process: for each run it is sent (start, rate, count), registers and reports."""
    user_id, membership_id, subdistrict_id = ids
    user = User.objects.get(pk=user_id)
    actor = Actor(user, Membership.objects.select_related("agency").get(pk=membership_id))
    subdistrict = Subdistrict.objects.select_related("district").get(pk=subdistrict_id)
    while (command := commands.get()) is not None:
        start, rate, count, gateway_url = command
        inline = gateway_url is not None
        if inline:  # the gateway's port is known only after the drivers were forked
            settings.LAGET_NOTIFY_SMS_URL = gateway_url
            settings.LAGET_NOTIFY_SMS_TOKEN = GATEWAY_TOKEN
            # A line per message sent, as the workers write to their log files: not to the
            # benchmark's terminal.
            logging.getLogger("laget.notify").setLevel(logging.WARNING)
        cpu_before = os.times()
        records, errors = drive(number, drivers, persons, actor, subdistrict, start, rate, count,
                                inline)
        cpu_after = os.times()
        cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
        results.put((number, records, dict(errors), cpu))
    connection.close()


class Drivers:
    """Driver processes, forked before any thread starts, each with its own connection."""

    def __init__(self, count: int, persons: list[tuple[str, str]], ids: tuple[Any, ...]) -> None:
        connections.close_all()  # the children must not share the parent's connection
        context = multiprocessing.get_context("fork")
        self.results = context.Queue()
        self.commands = [context.Queue() for _ in range(count)]
        self.processes = [
            context.Process(target=driver_main, args=(n, count, persons, ids, queue,
                                                      self.results), daemon=True)
            for n, queue in enumerate(self.commands)]
        for process in self.processes:
            process.start()

    def run(self, start: float, rate: float, count: int, timeout: float,
            inline_to: str | None = None) -> list[Any]:
        for queue in self.commands:
            queue.put((start, rate, count, inline_to))
        return [self.results.get(timeout=timeout) for _ in self.processes]

    def close(self) -> None:
        for queue in self.commands:
            queue.put(None)
        for process in self.processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join(timeout=10)


# --- the workers ---------------------------------------------------------------------------------

def child_env(gateway_url: str, extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"LAGET_NOTIFY_SMS_URL": gateway_url, "LAGET_NOTIFY_SMS_TOKEN": GATEWAY_TOKEN,
                **extra})
    return env


def start_workers(count: int, interval: float | None, env: dict[str, str], logs: Path
                  ) -> list[subprocess.Popen]:
    """`manage.py db_worker` as deployed (no reload; the polling interval its default unless
    given). The system checks run once at start-up and are not what is measured: skipped, so a
    start does not depend on every page of the tree importing."""
    workers = []
    for number in range(count):
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--skip-checks",
                   "-v0", "--worker-id", f"bench-notify-{count}-{number}"]
        if interval is not None:
            command += ["--interval", f"{interval:g}"]
        log = (logs / f"worker-{count}-{number}.log").open("ab")
        workers.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,  # noqa: S603
                                        stderr=subprocess.STDOUT))
        log.close()
    return workers


def start_scheduler(env: dict[str, str], logs: Path) -> subprocess.Popen:
    log = (logs / "scheduler.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "scheduler", "--skip-checks", "-v0"], cwd=ROOT, env=env,
        stdout=log, stderr=subprocess.STDOUT)
    log.close()
    return process


def stop(processes: list[subprocess.Popen]) -> list[int | None]:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    codes = []
    for process in processes:
        try:
            codes.append(process.wait(timeout=30))
        except subprocess.TimeoutExpired:
            process.kill()
            codes.append(process.wait(timeout=10))
    return codes


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def postgres_cpu_seconds() -> float:
    """CPU of every PostgreSQL server process so far — this benchmark's backends and anyone
    else's on the machine — with the backends that have exited (a worker without persistent
    connections gets a new one per task): the postmaster's reaped children count there."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text:
            fields = text.rsplit(")", 1)[1].split()
            total += sum(int(v) for v in fields[11:15]) / TICK  # utime stime cutime cstime
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all processors so far."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def wait_ready(workers: list[subprocess.Popen], timeout: float = 60) -> float:
    """Until every worker has run a task (a no-op sweep each), so that none is still starting when
    the registrations begin; seconds taken."""
    from laget.notify.tasks import deliver_due_messages

    started = time.perf_counter()
    results = [deliver_due_messages.enqueue() for _ in range(2 * len(workers))]
    ids = [str(r.id) for r in results]
    while time.perf_counter() - started < timeout:
        if any(w.poll() is not None for w in workers):
            raise SystemExit("bench: a db_worker exited at start (see its log)")
        done = DBTaskResult.objects.filter(id__in=ids).finished()
        if done.count() == len(ids):
            seen = {w for row in done.values_list("worker_ids", flat=True) for w in row}
            if len(seen) >= len(workers) or time.perf_counter() - started > timeout / 2:
                return round(time.perf_counter() - started, 2)
            for _ in workers:  # not every worker has had one yet: another round
                ids.append(str(deliver_due_messages.enqueue().id))
        time.sleep(0.1)
    raise SystemExit("bench: the db_workers did not start in time")


# --- one run -------------------------------------------------------------------------------------

def prepare() -> dict[str, int]:
    """Start from a clean queue: finished task results of earlier runs are pruned (as the daily
    prune would) and messages an interrupted run left queued are set aside, so that nothing but
    this run's messages reaches the gateway."""
    pruned, _ = DBTaskResult.objects.finished().delete()
    stale, _ = DBTaskResult.objects.all().delete()
    left = Message.objects.filter(status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]).update(
        status=MessageStatus.FAILED, last_error="bench: left by an earlier run",
        failed_at=clock.now(), lease_until=None)
    return {"task_results_pruned": pruned, "tasks_left_removed": stale, "messages_set_aside": left}


class Sampler(threading.Thread):
    """Every second: tasks waiting, this run's messages still queued or being sent, arrivals."""

    def __init__(self, gateway: Gateway, since: dt.datetime, t0: float) -> None:
        super().__init__(daemon=True)
        self.gateway, self.since, self.t0 = gateway, since, t0
        self.rows: list[tuple[float, int, int, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        try:
            while not self.done.wait(1.0):
                ready = DBTaskResult.objects.ready().count()
                pending = Message.objects.filter(
                    created_at__gte=self.since,
                    status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]).count()
                self.rows.append((round(time.time() - self.t0, 1), ready, pending,
                                  self.gateway.count()))
        finally:
            connection.close()


def seconds_summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {"p50_s": round(percentile(values, 50), 3), "p95_s": round(percentile(values, 95), 3),
            "p99_s": round(percentile(values, 99), 3), "mean_s": round(statistics.fmean(values), 3),
            "max_s": round(max(values), 3), "count": len(values)}


def task_breakdown(since: dt.datetime, t0: float) -> dict[str, Any]:
    """From the task table: per delivery task, commit → enqueued, enqueued → started (waiting for
    a worker) and started → finished (the task's own run); which tasks actually sent; and the
    minute sweeps."""
    rows = DBTaskResult.objects.filter(enqueued_at__gte=since).values_list(
        "task_path", "enqueued_at", "started_at", "finished_at", "status",
        "return_value")
    waits, runs, runs_sent, runs_idle = [], [], [], []
    per_message = {"sent_by_its_task": 0, "task_found_nothing": 0, "not_finished": 0}
    sweeps = []
    for path, enqueued, started, finished, status, value in rows:
        if path.endswith("deliver_due_messages"):
            if started and finished:
                sweeps.append({"at_s": round(started.timestamp() - t0, 1),
                               "run_s": round((finished - started).total_seconds(), 3),
                               "sent": (value or {}).get("sent", 0)})
            continue
        if not path.endswith("deliver_message"):
            continue
        if not (started and finished):
            per_message["not_finished"] += 1
            continue
        waits.append((started - enqueued).total_seconds())
        run = (finished - started).total_seconds()
        runs.append(run)
        if status == "SUCCESSFUL" and (value or {}).get("sent"):
            per_message["sent_by_its_task"] += 1
            runs_sent.append(run)
        else:
            per_message["task_found_nothing"] += 1
            runs_idle.append(run)
    return {"wait_for_worker": seconds_summary(waits), "task_run": seconds_summary(runs),
            "task_run_sending": seconds_summary(runs_sent),
            "task_run_found_nothing": seconds_summary(runs_idle), **per_message,
            "sweeps_with_work": [s for s in sweeps if s["sent"]],
            "sweeps": len(sweeps)}


def run_once(workers_count: int, args: argparse.Namespace, drivers: Drivers, gateway: Gateway,
             logs: Path) -> dict[str, Any]:
    """With `workers_count` db_workers (and the scheduler) delivering; with 0, the baseline: no
    queue, each driver delivers its registration's messages itself after the commit."""
    inline = workers_count == 0
    label = "inline (no queue)" if inline else f"{workers_count} worker(s)"
    say(f"{label}: {args.rate:g} registrations/s for {args.seconds:g} s")
    prepared = prepare()
    extra = {}
    if args.conn_max_age is not None:
        extra["DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)
    env = child_env(gateway.url, extra)
    workers = [] if inline else start_workers(workers_count, args.interval, env, logs)
    scheduler = start_scheduler(env, logs) if args.scheduler and not inline else None
    try:
        ready_s = wait_ready(workers) if workers else 0.0
        first_arrival = gateway.count()
        since = clock.now()
        count = round(args.rate * args.seconds)
        t0 = time.time() + 1.0
        sampler = Sampler(gateway, since, t0)
        sampler.start()
        cpu_workers = {w.pid: cpu_seconds(w.pid) for w in workers}
        cpu_pg, busy = postgres_cpu_seconds(), machine_busy()
        load_before = os.getloadavg()
        reports = drivers.run(t0, args.rate, count, timeout=args.seconds * 4 + 300,
                              inline_to=gateway.url if inline else None)
        driven_until = time.time()
        records = [r for report in reports for r in report[1]]
        errors: Counter = Counter()
        for report in reports:
            errors.update(report[2])
        committed = {str(m): r["committed"] for r in records for m in r["messages"]}
        # The bounded wait for the rest.
        deadline = time.time() + args.drain
        while time.time() < deadline:
            arrived = {ref for _t, ref, _k in gateway.since(first_arrival)}
            if committed.keys() <= arrived:
                break
            time.sleep(0.2)
        drained_at = time.time()
        time.sleep(args.grace)  # a late duplicate would come now
        sampler.done.set()
        sampler.join(timeout=10)
        cpu_workers_s = sum(cpu_seconds(pid) - before for pid, before in cpu_workers.items())
        cpu_pg_s = postgres_cpu_seconds() - cpu_pg
        busy_after = machine_busy()
        load_after = os.getloadavg()
    finally:
        codes = stop(workers + ([scheduler] if scheduler else []))
    arrivals = gateway.since(first_arrival)
    first: dict[str, float] = {}
    for arrived, ref, _key in arrivals:
        first.setdefault(ref, arrived)
    keys = Counter(key for _t, _ref, key in arrivals)
    latencies = [first[m] - t for m, t in committed.items() if m in first]
    lost = sorted(m for m in committed if m not in first)
    unexpected = sorted({ref for _t, ref, _k in arrivals} - committed.keys())
    commits = sorted(r["committed"] for r in records)
    lag = [max(0.0, r["began"] - r["due"]) for r in records]
    register = [r["committed"] - r["began"] for r in records]
    window = (commits[-1] - t0) if commits else 0.0
    wall = max(driven_until, drained_at) - t0
    statuses = Counter(Message.objects.filter(pk__in=list(committed)).values_list(
        "status", flat=True))
    attempts = Counter(Message.objects.filter(pk__in=list(committed)).values_list(
        "attempts", flat=True))
    tasks = task_breakdown(since, t0)
    busy_share = ((busy_after[0] - busy[0]) / (busy_after[1] - busy[1])
                  if busy_after[1] > busy[1] else 0.0)
    result = {
        "workers": workers_count,
        "delivery": "inline: the registering process delivers after its commit, no queue"
                    if inline else "db_worker tasks (the deployment's path)",
        "prepared": prepared,
        "workers_ready_s": ready_s,
        "registrations_planned": count,
        "registrations_committed": len(records),
        "registration_errors": dict(errors),
        "guardians_to_call_instead": sum(r["manual"] for r in records),
        "messages_expected": len(committed),
        "achieved_rate_per_s": round(len(records) / window, 2) if window else 0.0,
        "driving_s": round(window, 2),
        "schedule_lag": seconds_summary(lag),
        "registration_s": seconds_summary(register),
        "latency": seconds_summary(latencies),
        "lost": len(lost),
        "lost_statuses": dict(Counter(Message.objects.filter(pk__in=lost).values_list(
            "status", flat=True))) if lost else {},
        "posts": len(arrivals),
        "distinct_keys": len(keys),
        "duplicates": sum(n - 1 for n in keys.values()),
        "unexpected_references": len(unexpected),
        "message_statuses": dict(statuses),
        "message_attempts": {str(k): v for k, v in sorted(attempts.items())},
        "tasks": tasks,
        "all_arrived_after_start_s": round(drained_at - t0, 1),
        "cpu": {
            "window_s": round(wall, 1),
            "machine_busy_share": round(busy_share, 3),
            "workers_s": round(cpu_workers_s, 1),
            "workers_ms_per_message": round(1000 * cpu_workers_s / len(committed), 2)
            if committed else None,
            "drivers_s": round(sum(report[3] for report in reports), 1),
            "drivers_ms_per_registration": round(
                1000 * sum(report[3] for report in reports) / len(records), 2) if records else None,
            "postgres_all_s": round(cpu_pg_s, 1),
        },
        "load_average_1min": {"before": round(load_before[0], 2),
                              "after": round(load_after[0], 2)},
        "exit_codes": codes,
        # Every fifth second: (seconds since start, tasks waiting, this run's messages not yet
        # sent, POSTs the gateway has had in all).
        "backlog": sampler.rows[::5],
    }
    lat = result["latency"]
    say(f"{label}: {len(records)} registrations at "
        f"{result['achieved_rate_per_s']}/s; latency p50 {lat.get('p50_s')} s, p95 "
        f"{lat.get('p95_s')} s, max {lat.get('max_s')} s; lost {len(lost)}, duplicates "
        f"{result['duplicates']}; machine busy {busy_share:.0%}, load {load_after[0]:.1f}")
    return result


# --- per-message tasks against batches ----------------------------------------------------------

def queue_messages(count: int, body: str) -> list[str]:
    """`count` SMS messages queued in one transaction, as `registration_create` queues them (each
    with its delivery task enqueued on commit); their ids."""
    ids = []
    with transaction.atomic():
        for _ in range(count):
            message = enqueue(channel=Channel.SMS, to="99999999", subject="", body=body,
                              key=f"bench-notify:{uuid.uuid4()}")
            assert message is not None
            ids.append(str(message.pk))
    return ids


def delivery_path(path: str, count: int, args: argparse.Namespace, gateway: Gateway,
                  logs: Path) -> dict[str, Any]:
    """One idle worker (started and warmed up first) and `count` messages queued at once (the
    worker paused meanwhile): with `tasks`, delivered by their own `deliver_message` tasks, one
    task per message; `tasks_persistent` the same with the worker's database connection kept
    between tasks (DATABASE_CONN_MAX_AGE=600; by default Django opens one per task); with
    `batched`, their tasks are removed and one `deliver_due_messages` takes them in batches of
    LAGET_NOTIFY_BATCH_SIZE. Messages per second from the first POST to the last, and the worker's
    CPU per message over the same span."""
    from laget.notify.tasks import deliver_due_messages

    prepare()
    extra = {}
    if path == "tasks_persistent":
        extra["DATABASE_CONN_MAX_AGE"] = "600"
    elif args.conn_max_age is not None:
        extra["DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)
    workers = start_workers(1, args.interval, child_env(gateway.url, extra), logs)
    try:
        wait_ready(workers)
        first_arrival = gateway.count()
        # The worker is paused while the messages are queued, so that it meets the whole backlog
        # at once (and, for `batched`, takes none of the tasks being removed).
        workers[0].send_signal(signal.SIGSTOP)
        try:
            ids = queue_messages(count, "Syntetisk melding (ytelsestest).")
            if path == "batched":
                with transaction.atomic():  # a task the paused worker holds is left to it
                    tasks = list(DBTaskResult.objects.ready().filter(
                        task_path__endswith=".deliver_message").select_for_update(
                        skip_locked=True).values_list("pk", flat=True))
                    DBTaskResult.objects.filter(pk__in=tasks).delete()
                deliver_due_messages.enqueue()
            cpu_before = cpu_seconds(workers[0].pid)
            started = time.time()
        finally:
            workers[0].send_signal(signal.SIGCONT)
        wanted = set(ids)
        deadline = time.time() + args.drain
        while time.time() < deadline:
            if wanted <= {ref for _t, ref, _k in gateway.since(first_arrival)}:
                break
            time.sleep(0.1)
        cpu = cpu_seconds(workers[0].pid) - cpu_before
    finally:
        stop(workers)
    times = sorted(t for t, ref, _k in gateway.since(first_arrival) if ref in wanted)
    span = (times[-1] - times[0]) if len(times) > 1 else 0.0
    result = {
        "messages": count, "arrived": len({ref for _t, ref, _k in gateway.since(first_arrival)
                                           if ref in wanted}),
        "first_after_s": round(times[0] - started, 2) if times else None,
        "all_after_s": round(times[-1] - started, 2) if times else None,
        "span_s": round(span, 2),
        "per_s": round((len(times) - 1) / span, 1) if span else None,
        "worker_cpu_ms_per_message": round(1000 * cpu / count, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    say(f"one worker, {count} messages queued at once, {path}: {result['per_s']}/s, worker CPU "
        f"{result['worker_cpu_ms_per_message']} ms per message")
    return result


# --- the run -------------------------------------------------------------------------------------

def metrics_of(runs: dict[int, dict[str, Any]], paths: dict[str, dict[str, Any]]
               ) -> dict[str, float]:
    metrics: dict[str, float] = {}
    for path, result in paths.items():
        metrics |= {f"notify.{path}_per_s": result["per_s"],
                    f"notify.{path}_worker_cpu_ms_per_message":
                        result["worker_cpu_ms_per_message"]}
    for count, run in runs.items():
        prefix = ("notify." if count == 4 else "notify.inline_" if count == 0
                  else f"notify.w{count}_")
        latency = run["latency"]
        metrics |= {
            f"{prefix}p50_s": latency.get("p50_s"),
            f"{prefix}p95_s": latency.get("p95_s"),
            f"{prefix}max_s": latency.get("max_s"),
            f"{prefix}lost": run["lost"],
            f"{prefix}duplicates": run["duplicates"],
            f"{prefix}rate_per_s": run["achieved_rate_per_s"],
        }
        if count:  # inline, the delivering processes are the drivers (in the run's block)
            metrics[f"{prefix}worker_cpu_ms_per_message"] = run["cpu"]["workers_ms_per_message"]
    if metrics.get("notify.p95_s") is not None and metrics.get("notify.inline_p95_s"):
        queued, inline = metrics["notify.p95_s"], metrics["notify.inline_p95_s"]
        metrics["notify.p95_ratio"] = round(queued / inline, 2)
    return metrics


def targets_of(metrics: dict[str, float]) -> dict[str, bool]:
    if "notify.p95_s" not in metrics:
        return {}
    return {f"notify.p95_s <= {TARGET_P95_S:g}": metrics["notify.p95_s"] is not None
            and metrics["notify.p95_s"] <= TARGET_P95_S,
            "notify.lost == 0": metrics["notify.lost"] == 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notify-seconds", dest="seconds", type=float,
                        default=env_number("LAGET_BENCH_NOTIFY_SECONDS", 60),
                        help="how long registrations are made (default 60, or "
                             "LAGET_BENCH_NOTIFY_SECONDS)")
    parser.add_argument("--notify-rate", dest="rate", type=float,
                        default=env_number("LAGET_BENCH_NOTIFY_RATE", 50),
                        help="registrations per second (default 50, or LAGET_BENCH_NOTIFY_RATE)")
    parser.add_argument("--notify-workers", dest="workers", default="1,4,0",
                        help="db_worker counts to run, in order; 0 is the baseline, delivered "
                             "inline by the registering processes without the queue "
                             "(default 1,4,0)")
    parser.add_argument("--drivers", type=int, default=8,
                        help="registering processes sharing the rate (default 8)")
    parser.add_argument("--drain", type=float,
                        default=env_number("LAGET_BENCH_NOTIFY_DRAIN_SECONDS", 180),
                        help="longest wait for the last messages after the registrations")
    parser.add_argument("--grace", type=float, default=2.0,
                        help="seconds more for late duplicates once all have arrived")
    parser.add_argument("--interval", type=float, default=None,
                        help="db_worker --interval (default: the command's own, 1 s)")
    parser.add_argument("--conn-max-age", type=int,
                        default=int(os.environ.get("DATABASE_CONN_MAX_AGE", "600")),
                        help="DATABASE_CONN_MAX_AGE for the workers (default 600, as README's "
                             "«Running it for real» deploys them)")
    parser.add_argument("--no-scheduler", dest="scheduler", action="store_false",
                        help="without manage.py scheduler (no minute sweep)")
    parser.add_argument("--compare", type=int, default=1000,
                        help="messages for the per-task against batched comparison (0: none)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.json"))
    # scripts/bench.sh passes every benchmark's options to each: others are ignored.
    args = parse_arguments(parser, {"seconds": 10.0, "rate": 20.0, "workers": "4,0", "drivers": 2,
                                    "compare": 0, "drain": 60.0}, known=True)
    if connection.vendor != "postgresql":
        raise SystemExit("bench: the notification benchmark runs on PostgreSQL (set DATABASE_URL)")
    if settings.DEBUG:
        raise SystemExit("bench: DEBUG is on; run with DEBUG=0 (scripts/bench.sh does)")
    if not settings.LAGET_ALLOW_SYNTHETIC_IDS:
        raise SystemExit("bench: synthetic persons need LAGET_ALLOW_SYNTHETIC_IDS=1 "
                         "(scripts/bench.sh sets it)")
    counts = [int(n) for n in args.workers.split(",") if n.strip()]

    count = round(args.rate * args.seconds)
    persons = seed_persons(count, args.seed)
    user_id, membership_id = officer_ids()
    ids = (user_id, membership_id, place_id())
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    logs = Path(tempfile.mkdtemp(prefix="laget-bench-notify-"))
    drivers = Drivers(args.drivers, persons, ids)  # forked before the gateway's thread starts
    gateway = Gateway()
    runs: dict[int, dict[str, Any]] = {}
    paths: dict[str, dict[str, Any]] = {}
    try:
        for workers_count in counts:
            runs[workers_count] = run_once(workers_count, args, drivers, gateway, logs)
        if args.compare:
            for path in ("tasks", "tasks_persistent", "batched"):
                paths[path] = delivery_path(path, args.compare, args, gateway, logs)
    finally:
        drivers.close()
        gateway.stop()
    load_after = os.getloadavg()

    metrics = metrics_of(runs, paths)
    block = {
        "date": started.isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "machine": machine(),
        "load_average_1min": {"before": round(load_before[0], 2),
                              "after": round(load_after[0], 2)},
        "setup": {
            "rate_per_s": args.rate, "seconds": args.seconds, "drivers": args.drivers,
            "persons": len(persons), "drain_bound_s": args.drain,
            "db_worker": "manage.py db_worker --no-reload --skip-checks -v0"
                         + (f" --interval {args.interval:g}" if args.interval is not None
                            else " (--interval default: 1 s)"),
            "worker_conn_max_age": args.conn_max_age if args.conn_max_age is not None
            else settings.DATABASES["default"].get("CONN_MAX_AGE"),
            "scheduler": args.scheduler,
            "batch_size": settings.LAGET_NOTIFY_BATCH_SIZE,
            "gateway": "http.server on 127.0.0.1, 202 at once, one thread per connection",
            "worker_logs": str(logs),
        },
        "runs": {str(k): v for k, v in runs.items()},
        "delivery_paths": paths,
    }
    block["targets_met"] = targets = targets_of(metrics)
    path = Path(args.results)
    merge_results(path, "notify", metrics, block)
    print_figures(metrics, targets)
    print(f"bench: wrote {path}")


if __name__ == "__main__":
    main()
