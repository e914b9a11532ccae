"""The laptop: the case page, the coordinator's desk and the sharing engine's list filter on
SQLite (Laget's embedded default, one bydel on a laptop), beside the same on PostgreSQL at the
same size in the same run.

Both databases hold `seed_scale --small --workflow --audit-events 0` (2 000 persons, 20 000
entries, 200 users in 3 bydeler, the cases' workflow):
- SQLite: a file of its own, var/bench/laget_bench_small.sqlite3 (`--sqlite-file`), migrated and
  seeded when missing (about 50 s) and kept for the next run, as the PostgreSQL databases are;
  `--fresh` builds it again. WAL and the other settings of laget/settings.py, nothing tuned.
- PostgreSQL: the database DATABASE_URL names, seeded small when empty; one seeded at another
  size is refused. scripts/bench.sh names `<bench database>_small` (`laget_bench_small`, kept),
  or in the quick run `laget_bench_quick`, which is seeded at this size already.
Then bench_web.py (the case page and the desk against the bare view) and bench_sharing.py (the
"entries on my cases" list with the sharing filter against team membership only, configured
settings) run as subprocesses against each database in turn — web on SQLite, web on PostgreSQL,
sharing on PostgreSQL, sharing on SQLite (A B B A) — with their figures and plans in a
temporary folder. Each keeps its own interleaved baseline; the engines are compared by their
p95 (`sqlite.*_vs_postgresql`). Writes `sqlite.*` (SQLite) and `sqlite.pg_*` (PostgreSQL) to
bench/results.json and a `sqlite` block; see bench/README.md, "SQLite".

Run with `LAGET_BENCH_ONLY=sqlite scripts/bench.sh` (which creates and migrates the small
PostgreSQL database), or directly with DATABASE_URL naming a PostgreSQL database that is empty
or holds the small seed.
"""

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

from benchenv import django_setup  # noqa: E402

django_setup()

from benchlib import (  # noqa: E402
    COMPARED,
    git_commit,
    machine,
    merge_results,
    parse_arguments,
    print_figures,
)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from laget.demo.scale import SMALL, existing_seed  # noqa: E402

SEED = 2026
SQLITE_FILE = ROOT / "var" / "bench" / "laget_bench_small.sqlite3"
#: what the figures of bench_web.py and bench_sharing.py are called here (per engine prefix)
WEB_METRICS = {
    "case_page_p50_ms": "web.case_page_p50_ms", "case_page_p95_ms": "web.case_page_p95_ms",
    "bare_p50_ms": "web.bare_p50_ms", "bare_p95_ms": "web.bare_p95_ms",
    "case_page_ratio": "web.case_page_ratio",
    "case_page_ratio_median_pair": "web.case_page_ratio_median_pair",
    "desk_p50_ms": "web.desk_p50_ms", "desk_p95_ms": "web.desk_p95_ms",
    "desk_ratio": "web.desk_ratio", "desk_ratio_median_pair": "web.desk_ratio_median_pair",
    "case_page_queries_max": "web.case_page_queries_max", "desk_queries": "web.desk_queries",
}
SHARING_METRICS = {
    "sharing_list_p50_ms": "sharing.list_p50_ms", "sharing_list_p95_ms": "sharing.list_p95_ms",
    "sharing_list_baseline_p50_ms": "sharing.list_baseline_p50_ms",
    "sharing_list_baseline_p95_ms": "sharing.list_baseline_p95_ms",
    "sharing_list_ratio": "sharing.list_ratio",
    "sharing_list_ratio_p95": "sharing.list_ratio_p95",
}
ENGINES = {"sqlite": "sqlite.", "postgresql": "sqlite.pg_"}
#: the order of the four runs: A B B A, so that drift in the machine's load falls on both engines
ORDER = (("web", "sqlite"), ("web", "postgresql"), ("sharing", "postgresql"),
         ("sharing", "sqlite"))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def manage(url: str, *arguments: str) -> tuple[float, str]:
    """`manage.py <arguments>` against the database at `url`; seconds and its output."""
    env = {**os.environ, "DATABASE_URL": url}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *arguments],  # noqa: S603
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench: manage.py {' '.join(arguments)} ({url}) failed:\n"
                         f"{done.stdout[-2000:]}{done.stderr[-3000:]}")
    return round(time.perf_counter() - start, 1), done.stdout


def seed_arguments() -> list[str]:
    return ["seed_scale", "--small", "--workflow", "--audit-events", "0", "--seed", str(SEED),
            "--skip-checks", "--quiet"]


def prepare_sqlite(path: Path, *, fresh: bool) -> dict[str, Any]:
    """The SQLite file: migrated (a no-op when it is) and seeded small (a no-op when it is)."""
    if fresh:
        for old in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            old.unlink(missing_ok=True)
    existed = path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    url = sqlite_url(path)
    migrate_s, _out = manage(url, "migrate", "--no-input", "-v0")
    seed_s, out = manage(url, *seed_arguments())
    seeded = "already seeded" not in out
    print(f"bench: SQLite {path}: {'made' if not existed else 'found'}, migrate {migrate_s} s, "
          f"seed_scale {seed_s} s{'' if seeded else ' (already seeded)'}", flush=True)
    return {"file": str(path), "made": not existed, "migrate_s": migrate_s,
            "seed_s": seed_s, "seeded_now": seeded}


def prepare_postgresql(url: str) -> dict[str, Any]:
    """The PostgreSQL database DATABASE_URL names: seeded small unless it is already."""
    found = existing_seed()
    wanted = {**SMALL.as_dict(), "seed": SEED}
    if found is not None and found != wanted:
        raise SystemExit(
            f"bench: {connection.settings_dict['NAME']} holds a scale seed of other sizes "
            f"({found}); the SQLite comparison needs the small seed ({wanted}): name an empty "
            "database or one seeded small (scripts/bench.sh uses <bench database>_small)")
    seed_s, out = manage(url, *seed_arguments())
    seeded = "already seeded" not in out
    print(f"bench: PostgreSQL {connection.settings_dict['NAME']}: seed_scale {seed_s} s"
          f"{'' if seeded else ' (already seeded)'}", flush=True)
    return {"database": connection.settings_dict["NAME"], "seed_s": seed_s,
            "seeded_now": seeded}


def bench_command(name: str, args: argparse.Namespace, results: Path, plans: Path) -> list[str]:
    sizes = SMALL.as_dict()
    command = [sys.executable, str(ROOT / "bench" / f"bench_{name}.py"),
               "--results", str(results), "--plans", str(plans),
               "--iterations", str(args.iterations), "--warmup", str(args.warmup),
               "--seed", str(SEED), *(f"--{k}={v}" for k, v in sizes.items())]
    if name == "web":
        command += ["--cases", str(args.cases)]
    else:
        command += ["--caseworkers", str(args.caseworkers), "--configured-only"]
    return command


def run_bench(name: str, engine: str, url: str, args: argparse.Namespace, folder: Path
              ) -> dict[str, Any]:
    """bench_<name>.py against one engine: its figures (flat) and its block."""
    results = folder / f"{name}-{engine}.json"
    plans = Path(args.plans) / engine / name if args.plans else folder / "plans" / engine / name
    log = folder / f"{name}-{engine}.log"
    env = {**os.environ, "DATABASE_URL": url}
    start = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(bench_command(name, args, results, plans),  # noqa: S603
                              cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                              check=False)
    seconds = round(time.perf_counter() - start, 1)
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8")[-4000:]
        raise SystemExit(f"bench: bench_{name}.py on {engine} failed:\n{tail}")
    document = json.loads(results.read_text(encoding="utf-8"))
    print(f"bench: bench_{name}.py on {engine}: {seconds} s", flush=True)
    return {"metrics": {k: v["value"] for k, v in document["metrics"].items()},
            "block": document["runs"][name], "seconds": seconds}


def figures_of(runs: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    """The flat `sqlite.*` figures from the four runs, and the engines' p95 ratios."""
    metrics: dict[str, Any] = {}
    for engine, prefix in ENGINES.items():
        for table, name in ((WEB_METRICS, "web"), (SHARING_METRICS, "sharing")):
            measured = runs[(name, engine)]["metrics"]
            metrics |= {prefix + mine: measured[theirs] for mine, theirs in table.items()
                        if measured.get(theirs) is not None}
    for ratio, (figure, other) in COMPARED.items():
        if metrics.get(figure) is not None and metrics.get(other):
            metrics[ratio] = round(metrics[figure] / metrics[other], 2)
    return dict(sorted(metrics.items()))


def details_of(block: dict[str, Any]) -> dict[str, Any]:
    """A sub-run's block without what the `sqlite` block says once, and without the keys
    (`seed`, `sizes`) from which results.json's `data` is gathered: those are the city's."""
    left_out = {"git_commit", "commit", "machine", "seed", "sizes", "plans", "targets_met"}
    return {k: v for k, v in block.items() if k not in left_out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--cases", type=int, default=20,
                        help="how many of the coordinator's cases the case page rotates over")
    parser.add_argument("--caseworkers", type=int, default=20)
    parser.add_argument("--sqlite-file", default=str(SQLITE_FILE))
    parser.add_argument("--fresh", action="store_true",
                        help="build the SQLite file again (migrate and seed, about 50 s)")
    parser.add_argument("--plans", default="",
                        help="keep the runs' query plans in this folder (default: a temporary "
                             "one, removed afterwards)")
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.json"))
    # `known`: scripts/bench.sh passes every benchmark the same arguments (--persons …: the
    # size here is the small seed's).
    args = parse_arguments(parser, {"iterations": 10, "warmup": 2, "cases": 5,
                                    "caseworkers": 5}, known=True)
    if connection.vendor != "postgresql":
        raise SystemExit("bench: DATABASE_URL must name the PostgreSQL database to compare "
                         "SQLite with (scripts/bench.sh does)")
    if settings.DEBUG:
        raise SystemExit("bench: DEBUG is on; run with DEBUG=0 (scripts/bench.sh does)")

    pg_url = os.environ["DATABASE_URL"]
    started = dt.datetime.now(dt.UTC)
    setup = {"postgresql": prepare_postgresql(pg_url),
             "sqlite": prepare_sqlite(Path(args.sqlite_file), fresh=args.fresh)}
    urls = {"sqlite": sqlite_url(Path(args.sqlite_file)), "postgresql": pg_url}
    load_before = os.getloadavg()
    measured_at = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="laget-bench-sqlite-") as folder:
        runs = {(name, engine): run_bench(name, engine, urls[engine], args, Path(folder))
                for name, engine in ORDER}
    load_after = os.getloadavg()
    metrics = figures_of(runs)

    sqlite_machine = runs[("web", "sqlite")]["block"]["machine"]
    block = {
        "date": measured_at.isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "machine": {**machine(), "sqlite": sqlite_machine.get("sqlite"),
                    "sqlite_settings": sqlite_machine.get("sqlite_settings")},
        "load_average_1min": {"before": round(load_before[0], 2),
                              "after": round(load_after[0], 2)},
        # Not "seed"/"sizes": results.json's `data` is the city's (see details_of).
        "small_seed": {**SMALL.as_dict(), "seed": SEED, "workflow": True, "audit_events": 0},
        "small_sizes": runs[("web", "sqlite")]["block"].get("sizes"),
        "small_sizes_postgresql": runs[("web", "postgresql")]["block"].get("sizes"),
        "iterations": args.iterations, "warmup": args.warmup, "cases": args.cases,
        "caseworkers": args.caseworkers, "quick": bool(args.quick),
        "order": [f"{name} on {engine}" for name, engine in ORDER],
        "setup": setup,
        "seconds": {f"{name}.{engine}": runs[(name, engine)]["seconds"]
                    for name, engine in ORDER},
        "total_s": round((dt.datetime.now(dt.UTC) - started).total_seconds(), 1),
        "details": {f"{name}.{engine}": details_of(runs[(name, engine)]["block"])
                 for name, engine in ORDER},
    }
    path = Path(args.results)
    merge_results(path, "sqlite", metrics, block)
    print_figures(metrics)
    print(f"bench: wrote {path}")


if __name__ == "__main__":
    main()
