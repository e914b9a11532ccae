"""Load: 50 members of staff doing case work at once against a real server, for five minutes.

Gunicorn serves `laget.wsgi` on the loopback (DEBUG off, plain HTTP as behind a TLS-ending
proxy, the production middleware stack: sessions, second factor, idle timeout, CSP, rate
limits), against the `seed_scale` data set with its workflow on PostgreSQL. Locust
(bench/locustfile.py) runs the scenario headless: each simulated user is a real member of staff
on open cases — the bydeler's coordinators first, then the team members with the most open cases
— logged in with a verified session, opening cases, plans, their lists, the new entries and the
desk, one to three seconds apart. Every answer but a 200 counts as an error. The accessibility
statement is the baseline page in the same run.

Writes `load.*` to bench/results.json: requests, errors, error rate, p50/p95 per page and the
ratio of each page's p95 to the baseline's; see bench/README.md ("Load").

Run with `LAGET_BENCH_ONLY=load scripts/bench.sh` (which creates and seeds `laget_bench`), or
directly with DATABASE_URL pointing at a seeded PostgreSQL database.
"""

import argparse
import csv
import datetime as dt
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from importlib import import_module
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("LAGET_STATIC_MANIFEST", "0")

from benchenv import django_setup  # noqa: E402

django_setup()

from benchlib import (  # noqa: E402
    add_scale_arguments,
    ensure_scale_seed,
    git_commit,
    machine,
    merge_results,
    parse_arguments,
    scale_size,
)
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from laget.accounts.middleware import ACTIVE_MEMBERSHIP_SESSION_KEY  # noqa: E402
from laget.accounts.models import AgencyType, Membership, Role  # noqa: E402
from laget.accounts.services import totp_device_set  # noqa: E402
from laget.core import clock  # noqa: E402
from laget.demo.scale import CODE_PREFIX  # noqa: E402
from laget.records.models import OPEN_STATUSES, TeamMember  # noqa: E402


def staff(count_: int, cases_each: int) -> list[tuple[Membership, list[str]]]:
    """The coordinators of the bydeler, then the team members with the most open cases: each
    with (up to `cases_each` of) the open cases they are on the team of today. Deterministic."""
    today = clock.today()
    on_cases: dict[tuple[int, Any], list[str]] = defaultdict(list)
    for user_id, agency_id, case_id in (
            TeamMember.objects.active(today)
            .filter(agency__code__startswith=CODE_PREFIX, case__status__in=sorted(OPEN_STATUSES))
            .order_by("case_id").values_list("user_id", "agency_id", "case_id")):
        on_cases[(user_id, agency_id)].append(str(case_id))
    memberships = {
        (m.user_id, m.agency_id): m for m in Membership.objects.active()
        .filter(role__in=[Role.CASEWORKER, Role.COORDINATOR], agency__code__startswith=CODE_PREFIX)
        .select_related("user", "agency")}
    ranked = sorted((key for key in on_cases if key in memberships),
                    key=lambda key: (memberships[key].role != Role.COORDINATOR
                                     or memberships[key].agency.type != AgencyType.BYDEL,
                                     -len(on_cases[key]), key[0]))
    return [(memberships[key], on_cases[key][:cases_each]) for key in ranked[:count_]]


def session_for(membership: Membership) -> str:
    """A session as after the two-step login (password, then the TOTP code), acting in the
    membership: what the browser of a logged-in member of staff holds."""
    user = membership.user
    device = user.totpdevice_set.filter(confirmed=True).first() or totp_device_set(
        user=user, key_hex=secrets.token_hex(20))
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store[ACTIVE_MEMBERSHIP_SESSION_KEY] = str(membership.pk)
    store.create()
    return store.session_key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"bench: the server did not answer {url}")


def read_stats(path: Path) -> dict[str, dict[str, float]]:
    rows = {}
    with path.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]), "max_ms": float(row["Max Response Time"]),
                "rps": float(row["Requests/s"])}
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load-users", type=int, default=50)
    parser.add_argument("--load-seconds", type=int, default=300)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--gunicorn-threads", type=int, default=4)
    parser.add_argument("--cases-each", type=int, default=40)
    add_scale_arguments(parser)
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.json"))
    args = parse_arguments(parser, {"load_users": 5, "load_seconds": 10})
    if connection.vendor != "postgresql":
        raise SystemExit("bench: the load benchmark runs on PostgreSQL (set DATABASE_URL)")
    if settings.DEBUG:
        raise SystemExit("bench: DEBUG is on; run with DEBUG=0 (scripts/bench.sh does)")

    size = scale_size(args)
    ensure_scale_seed(size, args.seed, workflow=True)
    chosen = staff(args.load_users, args.cases_each)
    if len(chosen) < args.load_users:
        raise SystemExit(f"bench: only {len(chosen)} members of staff are on open cases")
    work = Path(tempfile.mkdtemp(prefix="laget-load-"))
    staff_file = work / "staff.json"
    staff_file.write_text(json.dumps([
        {"session": session_for(m), "cookie_name": settings.SESSION_COOKIE_NAME,
         "cases": cases, "desk": m.role == Role.COORDINATOR and m.agency.type == AgencyType.BYDEL}
        for m, cases in chosen]), encoding="utf-8")
    connection.close()
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise looks there

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0",
           "ALLOWED_HOSTS": "127.0.0.1", "LAGET_STATIC_MANIFEST": "0"}
    server = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "laget.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(args.gunicorn_workers),
         "--threads", str(args.gunicorn_threads), "--worker-class", "gthread",
         # keep idle connections longer than a user's pause, as a proxy in front would (with
         # gunicorn's 2 s default the server closes a connection just as the client reuses it)
         "--keep-alive", "30",
         "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        wait_ready(f"{host}/tilgjengelighet/")
        started = dt.datetime.now(dt.UTC)
        load_before = os.getloadavg()
        subprocess.run(  # noqa: S603
            [str(Path(sys.executable).parent / "locust"),
             "-f", str(ROOT / "bench" / "locustfile.py"),
             "--headless", "--users", str(args.load_users), "--spawn-rate", str(args.spawn_rate),
             "--run-time", f"{args.load_seconds}s", "--host", host, "--csv", str(work / "load"),
             "--only-summary", "--stop-timeout", "10", "--exit-code-on-error", "0"],
            cwd=ROOT, env={**os.environ, "LAGET_LOAD_STAFF": str(staff_file)}, check=True)
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)

    pages = read_stats(work / "load_stats.csv")
    total = pages.pop("Aggregated")
    # Every failure Locust saw, also one whose request was cut off as the run ended.
    with (work / "load_failures.csv").open(encoding="utf-8") as file:
        failures = [{"page": row["Name"], "error": row["Error"],
                     "occurrences": int(row["Occurrences"])} for row in csv.DictReader(file)]
    total["failures"] = max(total["failures"], sum(f["occurrences"] for f in failures))
    baseline = pages.get("baseline (accessibility statement)")
    metrics: dict[str, Any] = {
        "load.users": args.load_users, "load.seconds": args.load_seconds,
        "load.requests": total["requests"], "load.errors": total["failures"],
        "load.error_rate": round(total["failures"] / max(total["requests"], 1), 6),
        "load.rps": total["rps"], "load.p95_ms": total["p95_ms"],
    }
    for name, row in pages.items():
        key = name.split(" (")[0].replace(" ", "_")
        metrics[f"load.{key}_p50_ms"] = row["p50_ms"]
        metrics[f"load.{key}_p95_ms"] = row["p95_ms"]
        if baseline is not None and row is not baseline:
            metrics[f"load.{key}_p95_ratio"] = round(row["p95_ms"] / max(baseline["p95_ms"], 1), 2)
    block = {
        "date": started.isoformat(timespec="seconds"), "git_commit": git_commit(),
        "machine": machine(),
        "load_average_1min": {"before": round(load_before[0], 2), "after": round(load_after[0], 2)},
        "seed": {**size.as_dict(), "seed": args.seed},
        "server": {"gunicorn_workers": args.gunicorn_workers, "keep_alive_s": 30,
                   "gunicorn_threads": args.gunicorn_threads, "DEBUG": False,
                   "http": "plain, loopback (as behind a TLS-ending proxy)"},
        "scenario": {"users": args.load_users, "seconds": args.load_seconds,
                     "spawn_rate": args.spawn_rate, "think_time_s": [1, 3],
                     "staff": sorted({m.agency.type for m, _ in chosen}),
                     "coordinators": sum(1 for m, _ in chosen if m.role == Role.COORDINATOR)},
        "pages": pages, "aggregated": total, "failures": failures,
    }
    merge_results(Path(args.results), "load", metrics, block)
    print(json.dumps(metrics, indent=1))


if __name__ == "__main__":
    main()
