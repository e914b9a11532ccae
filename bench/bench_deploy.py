"""Deployment: two app servers and two workers against one PostgreSQL, and a streaming replica.

(a) Scale-out. The load scenario of bench_load.py (bench/locustfile.py: staff with verified
sessions opening cases, plans, lists, the desk) runs twice in one run, each time through the same
tiny round-robin TCP proxy in this process (one backend connection per client connection, as a
load balancer without stickiness): first one gunicorn app server, one `manage.py db_worker` and
one `manage.py audit sequencer`; then two of each, the servers on two loopback ports. Before each
phase a batch of housekeeping tasks is queued; the workers share it through django_tasks_db's
`SELECT … FOR UPDATE SKIP LOCKED` and every task must run exactly once. The two sequencers take
turns under the advisory lock, and the audit log must verify afterwards.

(b) A streaming replica. `pg_basebackup -R -X stream` of the local cluster into a temporary
folder (with a replication slot, dropped at the end), started with `pg_ctl` on another loopback
port as a hot standby (as the postgres user), checked to be `streaming` in
`pg_stat_replication`. An app server with `DATABASE_REPLICA_URL` and one without serve the
analytics pages (laget.core.dbrouter's `reads_from_replica`) to a few client threads; the
replica's own `pg_stat_database` counts the transactions it served, and the time for a WAL
record written on the primary to be replayed on the replica is sampled meanwhile. The replica is
stopped, its folder removed and its slot dropped in every case (finally).

Writes `deploy.*` to bench/results.json (bench/README.md, «Deployment»; docs/DEPLOYMENT.md).
Run with `LAGET_BENCH_ONLY=deploy scripts/bench.sh` or directly with DATABASE_URL pointing at a
seeded PostgreSQL database. Needs root (for `runuser -u postgres`) or the postgres user, and a
`host replication` line in pg_hba.conf (added here once, idempotently, and reloaded).
"""

import argparse
import asyncio
import datetime as dt
import http.client
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("LAGET_STATIC_MANIFEST", "0")

from benchenv import django_setup  # noqa: E402

django_setup()  # signs as the city log (benchenv.CITY_LOG)

import psycopg  # noqa: E402
from bench_load import free_port, read_stats, session_for, staff, wait_ready  # noqa: E402
from benchlib import (  # noqa: E402
    add_scale_arguments,
    ensure_scale_seed,
    git_commit,
    machine,
    merge_results,
    percentile,
    scale_size,
)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from laget.accounts.models import AgencyType, Role  # noqa: E402
from laget.analytics.models import Indicator  # noqa: E402
from laget.areas.models import District, DistrictKind  # noqa: E402
from laget.audit import log  # noqa: E402
from laget.core.tasks import prune_rate_counters  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
HBA_LINE = "host replication postgres 127.0.0.1/32 trust"
#: a replication slot keeps the primary's WAL until the replica has it (a busy primary recycles it
#: between the end of the base backup and the start of streaming otherwise); dropped at the end
SLOT = "laget_bench_deploy"
BIN = Path(sys.executable).parent


# --- a round-robin TCP proxy ----------------------------------------------------------------------

class RoundRobin(threading.Thread):
    """Each accepted connection goes to the next backend port, bytes piped both ways."""

    def __init__(self, backends: list[int]) -> None:
        super().__init__(daemon=True)
        self.port = free_port()
        self.backends = backends
        self.counter = itertools.count()
        self.connections: Counter[int] = Counter()
        self.ready = threading.Event()

    def run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.stopping = asyncio.Event()
        server = await asyncio.start_server(self._connect, "127.0.0.1", self.port)
        self.ready.set()
        await self.stopping.wait()
        server.close()

    async def _connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        backend = self.backends[next(self.counter) % len(self.backends)]
        self.connections[backend] += 1
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", backend)
        except OSError:
            writer.close()
            return

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except OSError:
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.stopping.set)


# --- processes ------------------------------------------------------------------------------------

def _server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0",
            "ALLOWED_HOSTS": "127.0.0.1", "LAGET_STATIC_MANIFEST": "0", **(extra or {})}


def start_server(port: int, args: argparse.Namespace,
                 extra: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "laget.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.gunicorn_workers), "--threads", str(args.gunicorn_threads),
         "--worker-class", "gthread", "--keep-alive", "30", "--log-level", "warning"],
        cwd=ROOT, env=_server_env(extra))


def start_manage(*command: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", *command], cwd=ROOT, env=_server_env(),
        stdout=subprocess.DEVNULL)


def stop_all(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- (a) one app server and worker against two ----------------------------------------------------

def queue_tasks(count: int) -> list[Any]:
    return [prune_rate_counters.enqueue().id for _ in range(count)]


def tasks_done(ids: list[Any], seconds: float) -> dict[str, Any]:
    """Wait for the queued tasks; how long the workers took and how they shared them."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        rows = list(DBTaskResult.objects.filter(id__in=ids).values_list(
            "status", "worker_ids", "started_at", "finished_at"))
        if all(row[0] in ("SUCCESSFUL", "FAILED") for row in rows):
            break
        time.sleep(0.5)
    per_worker = Counter(row[1][0] for row in rows if row[1])
    starts = [row[2] for row in rows if row[2]]
    ends = [row[3] for row in rows if row[3]]
    return {"tasks": len(ids),
            "successful": sum(1 for row in rows if row[0] == "SUCCESSFUL"),
            "run_more_than_once": sum(1 for row in rows if len(row[1]) > 1),
            "per_worker": sorted(per_worker.values(), reverse=True),
            # first start to last finish: how long the workers took for the batch under load
            "drained_s": round((max(ends) - min(starts)).total_seconds(), 2)
            if starts and ends else None}


def warm_up(port: int, staff_file: Path) -> None:
    """Every gunicorn worker imports, connects and compiles its templates before it counts."""
    member = json.loads(staff_file.read_text(encoding="utf-8"))[0]
    cookie = f"{member['cookie_name']}={member['session']}"
    urls = ["/", "/saker/", f"/saker/{member['cases'][0]}/", f"/saker/{member['cases'][0]}/plan/"]
    fetch_all(port, cookie, urls, 4, 8)


def load_phase(name: str, apps: int, args: argparse.Namespace, staff_file: Path,
               work: Path) -> dict[str, Any]:
    ports = [free_port() for _ in range(apps)]
    processes = [start_server(port, args) for port in ports]
    proxy = RoundRobin(ports)
    try:
        for port in ports:
            wait_ready(f"http://127.0.0.1:{port}/tilgjengelighet/")
            warm_up(port, staff_file)
        ids = queue_tasks(args.tasks)
        connection.close()
        processes += [start_manage("db_worker", "--interval", "0.5", "--worker-id",
                                   f"{name}-{n}") for n in range(apps)]
        processes += [start_manage("audit", "sequencer", "--interval", "1")
                      for _ in range(apps)]
        proxy.start()
        proxy.ready.wait(10)
        load_before = os.getloadavg()[0]
        subprocess.run(  # noqa: S603
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "--users", str(args.load_users), "--spawn-rate", str(args.spawn_rate),
             "--run-time", f"{args.phase_seconds}s", "--host", f"http://127.0.0.1:{proxy.port}",
             "--csv", str(work / name), "--only-summary", "--stop-timeout", "10",
             "--exit-code-on-error", "0"],
            cwd=ROOT, env={**os.environ, "LAGET_LOAD_STAFF": str(staff_file)}, check=True,
            stdout=subprocess.DEVNULL)
        load_after = os.getloadavg()[0]
        tasks = tasks_done(ids, 120)
        time.sleep(3)  # the sequencers' last round
    finally:
        if proxy.is_alive():
            proxy.stop()
        stop_all(processes)
    report = log.verify()
    pages = read_stats(work / f"{name}_stats.csv")
    total = pages.pop("Aggregated")
    return {"app_servers": apps, "db_workers": apps, "sequencers": apps,
            "connections_per_server": [proxy.connections[p] for p in ports],
            "requests": total["requests"], "errors": total["failures"], "rps": total["rps"],
            "p50_ms": total["p50_ms"], "p95_ms": total["p95_ms"], "p99_ms": total["p99_ms"],
            "pages": pages, "tasks": tasks, "load_average_1min": [load_before, load_after],
            # the tree the sequencers built in turns, with every checkpoint before it
            "audit_log": {"first_bad_index": report.first_bad_index, "problem": report.problem,
                          "size": report.size, "waiting": report.unsequenced}}


# --- (b) the streaming replica --------------------------------------------------------------------

def as_postgres(*command: str, check: bool = True) -> subprocess.CompletedProcess:
    prefix = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
    done = subprocess.run([*prefix, *command], check=False, capture_output=True,  # noqa: S603
                          text=True)
    if check and done.returncode != 0:
        raise SystemExit(f"bench: {Path(command[0]).name} failed: {done.stderr.strip()}")
    return done


def primary() -> psycopg.Connection:
    return psycopg.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres",
                           autocommit=True)


def allow_replication() -> bool:
    """The `host replication` line in the primary's pg_hba.conf; True if it had to be added."""
    with primary() as conn:
        hba = Path(conn.execute("SHOW hba_file").fetchone()[0])
        lines = [line.split() for line in hba.read_text(encoding="utf-8").splitlines()]
        if HBA_LINE.split() in lines:
            return False
        with hba.open("a", encoding="utf-8") as file:
            file.write(f"\n# laget bench/bench_deploy.py: a replica on the loopback\n{HBA_LINE}\n")
        conn.execute("SELECT pg_reload_conf()")
        time.sleep(1)
        return True


def start_replica(folder: Path, port: int) -> None:
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    folder.chmod(0o700)
    drop_slot()
    as_postgres(str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", "5432", "-U", "postgres",
                "-D", str(folder), "-R", "-X", "stream", "-c", "fast", "-C", "-S", SLOT)
    # Debian keeps the configuration in /etc, so the copy has none: a minimal one of its own
    for name, text in (("postgresql.conf", ""), ("pg_ident.conf", ""),
                       ("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n")):
        path = folder / name
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            if os.geteuid() == 0:
                shutil.chown(path, "postgres", "postgres")
    as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(folder), "-l", str(folder / "replica.log"),
                "-w", "-t", "120", "-o",
                f"-p {port} -c hot_standby=on -c listen_addresses=127.0.0.1 "
                f"-c unix_socket_directories={folder} -c shared_buffers=64MB",
                "start")


def drop_slot() -> None:
    with primary() as conn:
        conn.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                     "WHERE slot_name = %s AND NOT active", [SLOT])


def stop_replica(folder: Path) -> None:
    log_file = folder / "replica.log"
    if log_file.exists() and "database system is ready to accept read-only connections" not in (
            text := log_file.read_text(encoding="utf-8", errors="replace")):
        print("bench: the replica's log:\n" + "\n".join(text.splitlines()[-10:]), flush=True)
    if (folder / "postmaster.pid").exists():
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(folder), "-m", "fast", "-w", "stop",
                    check=False)
    shutil.rmtree(folder, ignore_errors=True)
    drop_slot()


def streaming_state() -> list[tuple[str, str]]:
    with primary() as conn:
        return conn.execute("SELECT application_name, state FROM pg_stat_replication").fetchall()


def replica_counts(port: int, database: str) -> tuple[int, int]:
    """The replica's own statistics of Laget's database (read from another database, so that
    reading them adds nothing)."""
    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                         autocommit=True) as conn:
        return conn.execute("SELECT xact_commit + xact_rollback, tup_returned + tup_fetched "
                            "FROM pg_stat_database WHERE datname = %s", [database]).fetchone()


def replay_delay(port: int) -> float:
    """Seconds from a WAL record written on the primary to its replay on the replica."""
    with primary() as conn, psycopg.connect(host="127.0.0.1", port=port, user="postgres",
                                           dbname="postgres", autocommit=True) as standby:
        started = time.monotonic()
        lsn = conn.execute("SELECT pg_logical_emit_message(false, 'laget-deploy', 'x')"
                           ).fetchone()[0]
        while time.monotonic() - started < 30:
            caught_up = standby.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [str(lsn)]).fetchone()[0]
            if caught_up:
                break
            time.sleep(0.002)
        return time.monotonic() - started


def analytics_urls() -> list[str]:
    urls = ["/omrader/", "/omrader/malretting/"]
    urls += [f"/omrader/indikator/{key}/" for key in
             Indicator.objects.order_by("key").values_list("key", flat=True)]
    urls += [f"/omrader/bydel/{code}/" for code in District.objects.filter(
        kind=DistrictKind.BYDEL).order_by("code").values_list("code", flat=True)[:5]]
    return urls


def fetch_all(port: int, cookie: str, urls: list[str], rounds: int,
              clients: int) -> tuple[list[float], int]:
    def one(url: str) -> tuple[float, int]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.perf_counter()
        conn.request("GET", url, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        conn.close()
        return (time.perf_counter() - started) * 1000, response.status

    with ThreadPoolExecutor(clients) as pool:
        answers = list(pool.map(one, urls * rounds))
    return [ms for ms, _ in answers], sum(1 for _, status in answers if status != 200)


def replica_phase(args: argparse.Namespace, cookie: str) -> dict[str, Any]:
    database = connection.settings_dict["NAME"]
    added_hba = allow_replication()
    folder = Path(tempfile.mkdtemp(prefix="laget-replica-"))
    port = args.replica_port or free_port()
    processes: list[subprocess.Popen] = []
    try:
        started = time.monotonic()
        start_replica(folder, port)
        base_backup_s = round(time.monotonic() - started, 1)
        for _ in range(360):  # `catchup` first, then `streaming`
            state = streaming_state()
            if any(s == "streaming" for _, s in state):
                break
            time.sleep(0.5)
        else:
            raise SystemExit(f"bench: the replica is not streaming ({state})")
        urls = analytics_urls()
        user, password = connection.settings_dict["USER"], connection.settings_dict["PASSWORD"]
        replica_url = f"postgres://{user}:{password}@127.0.0.1:{port}/{database}"
        results: dict[str, Any] = {"base_backup_s": base_backup_s, "replica_port": port,
                                   "pg_stat_replication": state, "pages": len(urls),
                                   "added_pg_hba_line": added_hba}
        for name, extra in (("primary", {}), ("replica", {"DATABASE_REPLICA_URL": replica_url})):
            server_port = free_port()
            server = start_server(server_port, args, extra)
            processes.append(server)
            wait_ready(f"http://127.0.0.1:{server_port}/tilgjengelighet/")
            fetch_all(server_port, cookie, urls, 1, args.analytics_clients)  # warm up
            time.sleep(1.5)
            before = replica_counts(port, database)
            delays: list[float] = []
            stop = threading.Event()

            def sample(delays: list[float] = delays, stop: threading.Event = stop) -> None:
                while not stop.wait(0.5):
                    delays.append(replay_delay(port))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            times, errors = fetch_all(server_port, cookie, urls, args.analytics_rounds,
                                      args.analytics_clients)
            stop.set()
            sampler.join()
            time.sleep(1.5)  # the replica's statistics are written at most once a second
            after = replica_counts(port, database)
            server.terminate()
            server.wait(timeout=30)
            results[name] = {
                "requests": len(times), "errors": errors,
                "p50_ms": round(percentile(times, 50), 1),
                "p95_ms": round(percentile(times, 95), 1),
                "replica_transactions": after[0] - before[0],
                "replica_rows_read": after[1] - before[1],
                "replay_delay_ms": {
                    "samples": len(delays),
                    "p50": round(1000 * percentile(delays, 50), 1) if delays else None,
                    "max": round(1000 * max(delays), 1) if delays else None}}
        return results
    finally:
        stop_all(processes)
        stop_replica(folder)


# --- the run --------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load-users", type=int, default=50)
    parser.add_argument("--phase-seconds", type=int, default=180)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--gunicorn-threads", type=int, default=4)
    parser.add_argument("--cases-each", type=int, default=40)
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--analytics-rounds", type=int, default=10)
    parser.add_argument("--analytics-clients", type=int, default=4)
    parser.add_argument("--replica-port", type=int, default=0)
    parser.add_argument("--skip-replica", action="store_true")
    parser.add_argument("--label", default="",
                        help="Recorded with the figures, e.g. 'development run, busy machine'.")
    add_scale_arguments(parser)
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench: the deployment benchmark runs on PostgreSQL (set DATABASE_URL)")
    if settings.DEBUG:
        raise SystemExit("bench: DEBUG is on; run with DEBUG=0 (scripts/bench.sh does)")

    size = scale_size(args)
    ensure_scale_seed(size, args.seed, workflow=True)
    if not Indicator.objects.exists():
        print("bench: loading the analytics figures (about a minute)", flush=True)
        call_command("analytics", "load-open-data", verbosity=0)
        call_command("analytics", "recompute", verbosity=0)
    chosen = staff(args.load_users, args.cases_each)
    if len(chosen) < args.load_users:
        raise SystemExit(f"bench: only {len(chosen)} members of staff are on open cases")
    work = Path(tempfile.mkdtemp(prefix="laget-deploy-"))
    staff_file = work / "staff.json"
    sessions = [session_for(m) for m, _ in chosen]
    staff_file.write_text(json.dumps([
        {"session": session, "cookie_name": settings.SESSION_COOKIE_NAME, "cases": cases,
         "desk": m.role == Role.COORDINATOR and m.agency.type == AgencyType.BYDEL}
        for session, (m, cases) in zip(sessions, chosen, strict=True)]), encoding="utf-8")
    cookie = f"{settings.SESSION_COOKIE_NAME}={sessions[0]}"
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)

    try:
        one = load_phase("one_app", 1, args, staff_file, work)
        two = load_phase("two_apps", 2, args, staff_file, work)
        replica, replica_failed = None, ""
        try:
            replica = None if args.skip_replica else replica_phase(args, cookie)
        except SystemExit as failure:  # the scale-out figures are kept; the block says why
            replica_failed = str(failure)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    metrics: dict[str, Any] = {}
    for name, phase in (("one_app", one), ("two_apps", two)):
        for key in ("requests", "errors", "p50_ms", "p95_ms"):
            metrics[f"deploy.{name}.{key}"] = phase[key]
        metrics[f"deploy.{name}.requests_per_s"] = phase["rps"]
        metrics[f"deploy.{name}.tasks_drained_s"] = phase["tasks"]["drained_s"]
        metrics[f"deploy.{name}.tasks_run_twice"] = phase["tasks"]["run_more_than_once"]
        # the whole log, verified after the phase (every process signs as benchenv.CITY_LOG)
        log_report = phase["audit_log"]
        metrics[f"deploy.{name}.log_errors"] = int(
            bool(log_report["problem"]) or log_report["first_bad_index"] is not None)
    metrics["deploy.two_apps_ratio"] = round(two["p95_ms"] / max(one["p95_ms"], 1), 2)
    metrics["deploy.two_apps_throughput_ratio"] = round(two["rps"] / max(one["rps"], 0.001), 2)
    if replica is not None:
        for name in ("primary", "replica"):
            metrics[f"deploy.{name}.analytics_p50_ms"] = replica[name]["p50_ms"]
            metrics[f"deploy.{name}.analytics_p95_ms"] = replica[name]["p95_ms"]
            metrics[f"deploy.{name}.replica_transactions"] = replica[name]["replica_transactions"]
        metrics["deploy.replica_analytics_ratio"] = round(
            replica["replica"]["p95_ms"] / max(replica["primary"]["p95_ms"], 1), 2)
        metrics["deploy.replica_lag_s"] = round(
            (replica["replica"]["replay_delay_ms"]["p50"] or 0) / 1000, 4)
        metrics["deploy.replica_lag_max_s"] = round(
            (replica["replica"]["replay_delay_ms"]["max"] or 0) / 1000, 4)
    block = {
        "date": started.isoformat(timespec="seconds"), "git_commit": git_commit(),
        "machine": machine(), "label": args.label,
        "baselines": {"deploy.two_apps.p95_ms": ["deploy.one_app.p95_ms", "deploy.two_apps_ratio"],
                      **({"deploy.replica.analytics_p95_ms": [
                          "deploy.primary.analytics_p95_ms", "deploy.replica_analytics_ratio"]}
                         if replica is not None else {})},
        "seed": {**size.as_dict(), "seed": args.seed},
        "server": {"gunicorn_workers": args.gunicorn_workers,
                   "gunicorn_threads": args.gunicorn_threads, "DEBUG": False,
                   "proxy": "round-robin TCP in the benchmark process, per connection"},
        "scenario": {"users": args.load_users, "seconds_per_phase": args.phase_seconds,
                     "spawn_rate": args.spawn_rate, "tasks_queued_per_phase": args.tasks,
                     "analytics_rounds": args.analytics_rounds,
                     "analytics_clients": args.analytics_clients},
        "one_app": one, "two_apps": two, "replica": replica or {"failed": replica_failed},
    }
    merge_results(Path(args.results), "deploy", metrics, block)
    print(json.dumps(metrics, indent=1))


if __name__ == "__main__":
    main()
