"""Concurrency: the case page, the coordinator's desk, the case search and the innsyn report under
1, 10 and 50 concurrent users against a real server, each level against a bare view in the same
run; and the peak memory of a web worker and of the task worker meanwhile.

The server is bench_load.py's: gunicorn on the loopback (gthread, keep-alive 30 s, DEBUG off, plain
HTTP as behind a TLS-ending proxy, the production middleware stack), here with 2 × cores workers
and serving bench/web_wsgi.py — `laget.wsgi` with bench/web_urls.py's URLconf, which puts one
bare view (`/bench/bare/`, returns `ok`, touches nothing itself) before the project's URLs. A
`manage.py db_worker` runs beside it, and this script keeps it busy as the day's traffic would:
staff notifications (`notify_user`, e-mail written to files instead of SMTP) at `--worker-rate`
a second from before the first level to after the last, plus the hourly housekeeping tasks
(expired sessions, rate-limit counters) at the start of each level.

Users are bench_load.py's members of staff (the bydeler's coordinators first, then the team
members with the most open cases) with verified sessions. At each level, `c` threads each keep
one keep-alive connection and send their next request as soon as the previous one is answered
(no think time: `c` users are at most `c` requests in flight). Each user goes round the five
pages in turn, starting at a different one, so the pages are interleaved and see the same load:
- case page: GET /saker/<id>/ of one of the member's open cases;
- desk: GET /skrivebord/ as a bydel coordinator;
- search: POST /saker/sok/ for the family name of a person on one of the member's cases;
- innsyn: GET /personer/<id>/innsyn/?anmodning=person — the access report a team member makes on
  the person's request, for the person of one of the member's cases;
- bare: GET /bench/bare/.
Requests go to the members round-robin per page, so no member meets the search's rate limit.
Each page is first checked once for what it is for (the search's results, the report rather than
its form). Every answer but a 200 is an error, and so is a request with no answer. Peak RSS is each
process's VmHWM (/proc/<pid>/status): the largest of the gunicorn workers', and the db_worker's.

Writes `web.c1.case_page_p95_ms`, `…_p50_ms`, `…_ratio` (p95 over the bare view's p95 at the same
level), `…_errors` for c1/c10/c50 and each page, and `mem.web_rss_mb`, `mem.worker_rss_mb`; see
bench/README.md ("Concurrency"). `LAGET_BENCH_ONLY=concurrency scripts/bench.sh`, or directly with
DATABASE_URL pointing at a seeded PostgreSQL database; `--quick` for a reduced run (5 s a level,
2 s of warm-up, the small seed's sizes, figures to bench/results-quick.json).
"""

import argparse
import datetime as dt
import http.client
import itertools
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("LAGET_STATIC_MANIFEST", "0")

from benchenv import django_setup  # noqa: E402

django_setup()

from bench_load import free_port, session_for, staff, wait_ready  # noqa: E402
from benchlib import (  # noqa: E402
    add_scale_arguments,
    ensure_scale_seed,
    git_commit,
    machine,
    merge_results,
    parse_arguments,
    percentile,
    scale_size,
)
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from web_urls import BARE_PATH  # noqa: E402

from laget.accounts.models import AgencyType, Role  # noqa: E402
from laget.audit.innsyn import RequestedBy  # noqa: E402
from laget.audit.models import AuditEventPerson  # noqa: E402
from laget.notify.models import Message, MessageStatus  # noqa: E402
from laget.notify.services import notify_user  # noqa: E402
from laget.records.models import Case  # noqa: E402

PAGES = ("case_page", "desk", "search", "innsyn", "bare")
BARE = "bare"
LEVELS = (1, 10, 50)
KEY_PREFIX = "bench-concurrency:"
DELIVER_TASK = "laget.notify.tasks.deliver_message"
#: what each page's answer must hold besides the 200: the search's results, the innsyn report
#: itself (not its form with an error), the bare view's body
MARKERS = {"search": b'data-testid="case-search-results"', "innsyn": b'data-testid="report"',
           "bare": b"ok"}
HOUSEKEEPING = ("laget.core.tasks.clear_expired_sessions", "laget.core.tasks.prune_rate_counters")


# --- the requests -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Member:
    """One member of staff as the client sees them: the cookies of a verified session, and the
    member's open cases with the person's id and family name."""

    user: Any
    cookie: str
    csrf: str
    cases: tuple[tuple[str, str, str], ...]
    desk: bool


@dataclass(frozen=True)
class Request:
    page: str
    method: str
    path: str
    cookie: str
    body: bytes | None = None


class Schedule:
    """Which request a user sends next. Each user goes round PAGES from its own starting page;
    each page hands its requests to the members round-robin (a thread-safe counter per page), and
    a member's cases in turn, shuffled once with the seed."""

    def __init__(self, members: list[Member], seed: int) -> None:
        self.members = members
        self.coordinators = [m for m in members if m.desk]
        self.counters = {page: itertools.count() for page in PAGES}
        rng = random.Random(seed)
        self.cases = {id(m): rng.sample(m.cases, len(m.cases)) for m in members}
        self.paths = {"desk": reverse("web:desk"), "search": reverse("web:case_search"),
                      "bare": BARE_PATH}

    def next(self, user: int, step: int) -> Request:
        page = PAGES[(user + step) % len(PAGES)]
        n = next(self.counters[page])
        pool = self.coordinators if page == "desk" else self.members
        member = pool[n % len(pool)]
        cases = self.cases[id(member)]
        case_id, person_id, family_name = cases[(n // len(pool)) % len(cases)]
        if page == "case_page":
            return Request(page, "GET", reverse("web:case_detail", args=[case_id]), member.cookie)
        if page == "search":
            body = urlencode({"csrfmiddlewaretoken": member.csrf, "query": family_name})
            return Request(page, "POST", self.paths["search"], member.cookie, body.encode())
        if page == "innsyn":
            path = reverse("web:innsyn_report", args=[person_id])
            return Request(page, "GET", f"{path}?{urlencode({'anmodning': RequestedBy.PERSON})}",
                           member.cookie)
        return Request(page, "GET", self.paths[page], member.cookie)


def members_for(count: int, cases_each: int) -> list[Member]:
    """bench_load.py's members of staff, each with a verified session and a CSRF cookie."""
    chosen = staff(count, cases_each)
    case_ids = [c for _, cases in chosen for c in cases]
    persons = {str(pk): (str(person_id), family_name) for pk, person_id, family_name in
               Case.objects.filter(pk__in=case_ids)
               .values_list("pk", "person_id", "person__family_name")}
    members = []
    for membership, cases in chosen:
        csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
        cookie = (f"{settings.SESSION_COOKIE_NAME}={session_for(membership)}; "
                  f"{settings.CSRF_COOKIE_NAME}={csrf}")
        members.append(Member(
            user=membership.user, cookie=cookie, csrf=csrf,
            cases=tuple((c, *persons[c]) for c in cases),
            desk=membership.role == Role.COORDINATOR
            and membership.agency.type == AgencyType.BYDEL))
    return members


def innsyn_lengths(members: list[Member]) -> dict[str, Any]:
    """The audit events concerning each person whose innsyn report is asked for — the report's
    lines, and its cost — which grow with every read of their cases: this run's, and those of
    every earlier benchmark run on the same data. Min, median and max over the persons."""
    persons = sorted({uuid.UUID(person) for m in members for _, person, _ in m.cases})
    counts = dict(AuditEventPerson.objects.filter(person_id__in=persons).values("person_id")
                  .annotate(n=Count("id")).values_list("person_id", "n"))
    values = [counts.get(person, 0) for person in persons]
    return {"persons": len(values), "min": min(values), "p50": percentile(values, 50),
            "max": max(values)}


# --- a level ------------------------------------------------------------------------------------

def user_loop(user: int, port: int, schedule: Schedule, deadline: float,
              out: list[tuple[str, float, str]]) -> None:
    """One user: one keep-alive connection, the next request as soon as the last is answered,
    until the deadline. Appends (page, milliseconds, "200" or what went wrong)."""
    conn: http.client.HTTPConnection | None = None
    step = 0
    while time.monotonic() < deadline:
        request = schedule.next(user, step)
        step += 1
        started = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            status, _ = send(conn, request)
            outcome = str(status)
        except (OSError, http.client.HTTPException) as error:
            outcome = f"no response: {type(error).__name__}"
            if conn is not None:
                conn.close()
            conn = None
        out.append((request.page, (time.perf_counter() - started) * 1000, outcome))
    if conn is not None:
        conn.close()


def send(conn: http.client.HTTPConnection, request: Request) -> tuple[int, bytes]:
    headers = {"Cookie": request.cookie}
    if request.body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(request.method, request.path, body=request.body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def check_pages(port: int, schedule: Schedule) -> dict[str, Any]:
    """One request of each page before the run, which must answer 200 with what the page is for
    (MARKERS): a fast answer must not be a page that did nothing. The innsyn report's lines."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    facts: dict[str, Any] = {}
    try:
        for step, page in enumerate(PAGES):
            status, body = send(conn, schedule.next(0, step))  # user 0 starts at PAGES[0]
            marker = MARKERS.get(page, b"")
            if status != 200 or marker not in body:
                raise SystemExit(f"bench: the {page} answered {status}"
                                 + (f" without {marker.decode()}" if status == 200 else ""))
            if page == "innsyn":
                lines = re.search(rb'data-testid="line-count">(\d+)<', body)
                facts["innsyn_report_lines"] = int(lines.group(1)) if lines else None
            facts[f"{page}_bytes"] = len(body)
    finally:
        conn.close()
    return facts


def warm_up(port: int, schedule: Schedule, *, users: int, seconds: float, per_page: int) -> int:
    """Requests not counted, for at least `seconds` and until every page has been answered
    `per_page` times (one per gunicorn worker: each has then likely loaded every page's code and
    templates); at most a minute. The number of requests."""
    counts: Counter[str] = Counter()
    started = time.monotonic()
    while True:
        rows, _ = run_level(users, min(2.0, max(seconds, 0.5)), port, schedule)
        counts.update(page for page, _, outcome in rows if outcome == "200")
        elapsed = time.monotonic() - started
        if elapsed >= 60 or (elapsed >= seconds
                             and all(counts[page] >= per_page for page in PAGES)):
            return counts.total()


def run_level(users: int, seconds: float, port: int, schedule: Schedule
              ) -> tuple[list[tuple[str, float, str]], float]:
    """`users` users for `seconds`; every request's (page, ms, outcome) and the wall time."""
    results: list[list[tuple[str, float, str]]] = [[] for _ in range(users)]
    started = time.monotonic()
    threads = [threading.Thread(target=user_loop, args=(u, port, schedule, started + seconds,
                                                        results[u]), daemon=True)
               for u in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [r for rows in results for r in rows], time.monotonic() - started


def page_figures(rows: list[tuple[str, float, str]]) -> dict[str, dict[str, Any]]:
    """Per page: requests, errors, p50/p95/max of the answered-with-200 requests (ms) and the
    ratio of each page's p95 to the bare view's."""
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, Counter[str]] = defaultdict(Counter)
    for page, ms, outcome in rows:
        if outcome == "200":
            times[page].append(ms)
        else:
            errors[page][outcome if outcome.startswith("no response") else f"status {outcome}"] += 1
    figures: dict[str, dict[str, Any]] = {}
    for page in PAGES:
        ok = times.get(page, [])
        figures[page] = {
            "requests": len(ok) + sum(errors[page].values()),
            "errors": sum(errors[page].values()), "error_kinds": dict(errors[page]),
            "p50_ms": round(percentile(ok, 50), 1) if ok else None,
            "p95_ms": round(percentile(ok, 95), 1) if ok else None,
            "max_ms": round(max(ok), 1) if ok else None,
        }
    bare_p95 = figures[BARE]["p95_ms"]
    for page in PAGES:
        p95 = figures[page]["p95_ms"]
        if page != BARE:
            figures[page]["ratio"] = (round(p95 / bare_p95, 2) if p95 is not None and bare_p95
                                      else None)
    return figures


# --- memory -------------------------------------------------------------------------------------

def status_kb(pid: int, field: str) -> int | None:
    """A `kB` field of /proc/<pid>/status (VmHWM: the peak resident set); None once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "status").read_text(encoding="ascii", errors="replace")
            except OSError:
                continue
            for line in text.splitlines():
                if line.startswith("PPid:"):
                    if int(line.split()[1]) == pid:
                        found.append(int(entry.name))
                    break
    return sorted(found)


def peak_mb(pids: list[int]) -> dict[int, float]:
    """Each live process's VmHWM in MB (MiB, as /proc counts)."""
    peaks = {}
    for pid in pids:
        kb = status_kb(pid, "VmHWM")
        if kb is not None:
            peaks[pid] = round(kb / 1024, 1)
    return peaks


# --- the task worker's work ----------------------------------------------------------------------

class WorkerFeed(threading.Thread):
    """Staff notifications at `rate` a second, each in its own transaction (its delivery task is
    queued on commit, as from a page), to the members of staff in turn; and the hourly
    housekeeping tasks when asked. Its own database connection, closed at the end."""

    def __init__(self, users: list[Any], rate: float, run_id: str) -> None:
        super().__init__(daemon=True)
        self.users, self.rate, self.run_id = users, rate, run_id
        self.stopping = threading.Event()
        self.queued = 0
        self.housekeeping = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            due = time.monotonic()
            while not self.stopping.is_set():
                with transaction.atomic():
                    notify_user(user=self.users[self.queued % len(self.users)],
                                key=f"{KEY_PREFIX}{self.run_id}:{self.queued}",
                                subject="Laget benchmark", body="A benchmark's test message.",
                                link="/skrivebord/")
                self.queued += 1
                due += 1 / self.rate
                self.stopping.wait(max(0.0, due - time.monotonic()))
        except BaseException as error:  # reported by the main thread
            self.error = error
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)
        if self.error is not None:
            raise SystemExit(f"bench: queueing the worker's messages failed: {self.error!r}")


def housekeeping_enqueue() -> None:
    from django.utils.module_loading import import_string

    for path in HOUSEKEEPING:
        import_string(path).enqueue()


def worker_wait_ready(worker: subprocess.Popen, seconds: float = 60) -> None:
    """Until the db_worker has run a task, so that it is not still starting when a level does."""
    from laget.core.tasks import prune_rate_counters

    result = prune_rate_counters.enqueue()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit("bench: the db_worker exited at start (see its log)")
        if DBTaskResult.objects.filter(id=result.id).finished().exists():
            return
        time.sleep(0.2)
    raise SystemExit("bench: the db_worker did not start in time")


def messages_settle(run_id: str, seconds: float) -> dict[str, int]:
    """Wait (bounded) until the worker has delivered this run's messages; their counts by status."""
    mine = Message.objects.filter(idempotency_key__startswith=f"{KEY_PREFIX}{run_id}:")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and mine.filter(
            status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]).exists():
        time.sleep(0.5)
    return dict(Counter(mine.values_list("status", flat=True)))


def messages_remove(run_id: str) -> int:
    """The run's messages and their delivery tasks go: the scale seed is read by the other
    benchmarks and should not grow with every run."""
    mine = Message.objects.filter(idempotency_key__startswith=f"{KEY_PREFIX}{run_id}:")
    ids = [str(pk) for pk in mine.values_list("pk", flat=True)]
    for start in range(0, len(ids), 1000):
        DBTaskResult.objects.filter(task_path=DELIVER_TASK,
                                    args_kwargs__args__0__in=ids[start:start + 1000]).delete()
    return mine.delete()[0]


# --- the run ------------------------------------------------------------------------------------

def start_processes(args: argparse.Namespace, work: Path, port: int
                    ) -> tuple[subprocess.Popen, subprocess.Popen]:
    env = {**os.environ, "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0",
           "ALLOWED_HOSTS": "127.0.0.1", "LAGET_STATIC_MANIFEST": "0"}
    server_log = (work / "gunicorn.log").open("ab")
    server = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "web_wsgi:application",
         "--pythonpath", str(ROOT / "bench"),
         "--bind", f"127.0.0.1:{port}", "--workers", str(args.gunicorn_workers),
         "--threads", str(args.gunicorn_threads), "--worker-class", "gthread",
         "--keep-alive", "30", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT)
    server_log.close()
    # Mail to files instead of an SMTP server (none on this machine); the delivery is otherwise
    # the deployment's (render, claim, send, record).
    worker_env = {**env, "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                  "EMAIL_FILE_PATH": str(work / "mail"),
                  "LAGET_NOTIFY_CONSOLE_FILE": str(work / "console.log")}
    worker_log = (work / "db_worker.log").open("ab")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--skip-checks", "-v0",
         "--worker-id", "bench-concurrency"],
        cwd=ROOT, env=worker_env, stdout=worker_log, stderr=subprocess.STDOUT)
    worker_log.close()
    return server, worker


def stop_process(process: subprocess.Popen, how: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(how)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def log_tail(path: Path, lines: int = 20) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def metrics_of(levels: dict[str, dict[str, Any]], memory: dict[str, Any]) -> dict[str, Any]:
    metrics: dict[str, Any] = {}
    for level, figures in levels.items():
        for page, row in figures["pages"].items():
            metrics[f"web.{level}.{page}_p50_ms"] = row["p50_ms"]
            metrics[f"web.{level}.{page}_p95_ms"] = row["p95_ms"]
            if page != BARE:
                metrics[f"web.{level}.{page}_ratio"] = row["ratio"]
            metrics[f"web.{level}.{page}_errors"] = row["errors"]
        metrics[f"web.{level}.requests"] = figures["requests"]
        metrics[f"web.{level}.rps"] = figures["rps"]
    metrics["mem.web_rss_mb"] = memory["web_rss_mb"]
    metrics["mem.worker_rss_mb"] = memory["worker_rss_mb"]
    return metrics


def baselines_of(levels: dict[str, Any]) -> dict[str, list[str]]:
    """For results.json: each page's p95 with the bare view's p95 and the ratio, per level."""
    return {f"web.{level}.{page}_{p}_ms": [f"web.{level}.{BARE}_{p}_ms",
                                             f"web.{level}.{page}_ratio" if p == "p95"
                                             else "computed"]
            for level in levels for page in PAGES if page != BARE for p in ("p95", "p50")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)),
                        help="concurrent users per level, comma-separated (default 1,10,50)")
    parser.add_argument("--seconds", type=float, default=90, help="per level")
    parser.add_argument("--warmup", type=float, default=10,
                        help="seconds of requests before the first level, not counted")
    parser.add_argument("--staff", type=int, default=50, help="members of staff to act as")
    parser.add_argument("--cases-each", type=int, default=40)
    parser.add_argument("--gunicorn-workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--gunicorn-threads", type=int, default=4)
    parser.add_argument("--worker-rate", type=float, default=2,
                        help="staff notifications queued per second for the task worker")
    add_scale_arguments(parser)
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.json"))
    args = parse_arguments(parser, {"seconds": 5, "warmup": 2}, known=True)
    levels = [int(n) for n in args.levels.split(",")]
    if connection.vendor != "postgresql":
        raise SystemExit("bench: the concurrency benchmark runs on PostgreSQL (set DATABASE_URL)")
    if settings.DEBUG:
        raise SystemExit("bench: DEBUG is on; run with DEBUG=0 (scripts/bench.sh does)")

    size = scale_size(args)
    ensure_scale_seed(size, args.seed, workflow=True)
    members = members_for(args.staff, args.cases_each)
    if not members or not any(m.desk for m in members):
        raise SystemExit("bench: no bydel coordinator on open cases in the seed (the desk's user)")
    schedule = Schedule(members, args.seed)
    innsyn_before = innsyn_lengths(members)
    machine_facts = machine()
    work = Path(tempfile.mkdtemp(prefix="laget-concurrency-"))
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise looks there
    run_id = secrets.token_hex(4)
    port = free_port()
    server, worker = start_processes(args, work, port)
    feed = WorkerFeed([m.user for m in members], args.worker_rate, run_id)
    results: dict[str, dict[str, Any]] = {}
    memory_by_level: dict[str, dict[str, Any]] = {}
    try:
        wait_ready(f"http://127.0.0.1:{port}{BARE_PATH}")
        worker_wait_ready(worker)
        web_pids = children(server.pid)
        started = dt.datetime.now(dt.UTC)
        load_before = os.getloadavg()
        pages_checked = check_pages(port, schedule)
        feed.start()
        warmup_requests = warm_up(port, schedule, users=args.gunicorn_workers,
                                  seconds=args.warmup, per_page=args.gunicorn_workers)
        for users in levels:
            housekeeping_enqueue()
            rows, wall = run_level(users, args.seconds, port, schedule)
            pages = page_figures(rows)
            results[f"c{users}"] = {"users": users, "seconds": round(wall, 1),
                                    "requests": len(rows), "rps": round(len(rows) / wall, 1),
                                    "pages": pages}
            memory_by_level[f"c{users}"] = {"web": peak_mb(children(server.pid)),
                                            "worker": peak_mb([worker.pid])}
            print(f"bench: {users} users: " + ", ".join(
                f"{p} p50 {f['p50_ms']} p95 {f['p95_ms']} ms ({f['errors']} errors)"
                for p, f in pages.items()), flush=True)
        load_after = os.getloadavg()
        feed.stop()
        web_peaks = peak_mb(children(server.pid))
        worker_peak = peak_mb([worker.pid, *children(worker.pid)])
        web_pids_after = children(server.pid)
        delivered = messages_settle(run_id, seconds=20)
    except BaseException:
        print(f"bench: gunicorn's log:\n{log_tail(work / 'gunicorn.log')}\n"
              f"db_worker's log:\n{log_tail(work / 'db_worker.log')}", file=sys.stderr)
        raise
    finally:
        feed.stopping.set()
        stop_process(server, signal.SIGQUIT)  # gunicorn's quick shutdown: the figures are in
        stop_process(worker)
        removed = messages_remove(run_id)

    shutil.rmtree(work, ignore_errors=True)  # the logs and the delivered mail (kept on failure)
    if not web_peaks or not worker_peak:
        raise SystemExit("bench: the processes' memory could not be read")
    memory = {"web_rss_mb": max(web_peaks.values()), "worker_rss_mb": max(worker_peak.values()),
              "web_workers_mb": sorted(web_peaks.values()),
              "web_workers_replaced": sorted(set(web_pids) ^ set(web_pids_after)),
              "by_level": memory_by_level, "measure": "VmHWM of /proc/<pid>/status (MiB)"}
    metrics = metrics_of(results, memory)
    innsyn_after = innsyn_lengths(members)
    block = {
        "date": started.isoformat(timespec="seconds"), "git_commit": git_commit(),
        "machine": machine_facts,
        "load_average_1min": {"before": round(load_before[0], 2), "after": round(load_after[0], 2)},
        "seed": {**size.as_dict(), "seed": args.seed},
        "server": {"app": "bench/web_wsgi.py (laget.wsgi, URLconf bench/web_urls.py)",
                   "gunicorn_workers": args.gunicorn_workers,
                   "gunicorn_workers_rule": "2 × cores", "gunicorn_threads": args.gunicorn_threads,
                   "worker_class": "gthread", "keep_alive_s": 30, "DEBUG": False,
                   "http": "plain, loopback (as behind a TLS-ending proxy)"},
        "scenario": {"levels": levels, "seconds_per_level": args.seconds,
                     "warmup_s": args.warmup, "warmup_requests": warmup_requests,
                     "think_time_s": 0, "pages_checked": pages_checked,
                     "innsyn_events_per_person": {"before": innsyn_before,
                                                  "after": innsyn_after},
                     "client": "a thread per user, one keep-alive connection each (http.client)",
                     "staff": len(members), "coordinators_for_desk": len(schedule.coordinators),
                     "cases": sum(len(m.cases) for m in members), "pages": list(PAGES)},
        "task_worker": {"command": "manage.py db_worker --no-reload",
                        "rate_per_s": args.worker_rate,
                        "messages_queued": feed.queued, "messages_by_status": delivered,
                        "messages_removed_after": removed,
                        "housekeeping_per_level": list(HOUSEKEEPING),
                        "email": "files (EmailBackend filebased), not SMTP"},
        "levels": results, "memory": memory,
        "baselines": baselines_of(results),
    }
    merge_results(Path(args.results), "concurrency", metrics, block)
    print(json.dumps(metrics, indent=1))


if __name__ == "__main__":
    main()
