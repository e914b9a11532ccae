"""What the benchmarks share: the machine's facts, the commit measured, percentiles, and
bench/results.json (its shape below, `merge_results`; `--reshape` converts a file of the first
shape)."""

import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import django
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def machine() -> dict[str, Any]:
    memory_kb = 0
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    if connection.vendor == "sqlite":  # bench_sqlite.py's laptop runs
        with connection.cursor() as cursor:
            sqlite_settings = {}
            for name in ("journal_mode", "synchronous", "cache_size", "page_size", "mmap_size",
                         "temp_store"):
                cursor.execute(f"PRAGMA {name}")
                sqlite_settings[name] = cursor.fetchone()[0]
        return {
            "nproc": os.cpu_count(), "memory_gib": round(memory_kb / 1024 / 1024, 1),
            "cpu": cpu, "os": platform.platform(), "python": platform.python_version(),
            "django": django.get_version(),
            "sqlite": connection.Database.sqlite_version, "sqlite_settings": sqlite_settings,
        }
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0]
        pg_settings = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost",
                     "jit", "max_parallel_workers_per_gather", "synchronous_commit", "fsync",
                     "wal_sync_method", "commit_delay", "max_wal_size"):
            cursor.execute(f"SHOW {name}")
            pg_settings[name] = cursor.fetchone()[0]
    return {
        "nproc": os.cpu_count(), "memory_gib": round(memory_kb / 1024 / 1024, 1), "cpu": cpu,
        "os": platform.platform(), "python": platform.python_version(),
        "django": django.get_version(), "postgresql": pg_version,
        "postgresql_settings": pg_settings,
    }


def sqlite_query_plan(sql: str, params: Any = None) -> str:
    """SQLite's plan of a query, `EXPLAIN QUERY PLAN` as an indented tree (which tables it scans
    and which indexes it searches; SQLite measures no times): on the laptop's engine what
    `EXPLAIN (ANALYZE, BUFFERS)` is on PostgreSQL. A query SQLite cannot plan gives the error."""
    from django.db import DatabaseError

    with connection.cursor() as cursor:
        try:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        except DatabaseError as exc:
            return f"(no plan: {exc})"
        rows = cursor.fetchall()
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return "\n".join(lines)


def git_commit() -> str:
    git = shutil.which("git")
    if git is None:
        return "unknown"
    try:
        # Fixed, read-only git commands.
        commit = subprocess.run([git, "rev-parse", "HEAD"], cwd=ROOT,  # noqa: S603
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run([git, "status", "--porcelain"], cwd=ROOT,  # noqa: S603
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+uncommitted" if dirty else "")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p % of the values at or below
    it (rank ⌈p·n/100⌉; the 95th of 100 values is the 95th)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(p * len(ordered) / 100)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(values, 50), 3), "p95_ms": round(percentile(values, 95), 3),
            "mean_ms": round(statistics.fmean(values), 3), "max_ms": round(max(values), 3)}


def add_scale_arguments(parser: Any) -> None:
    """The `seed_scale` size a benchmark runs at (the full city by default) and its seed."""
    from laget.demo.scale import FULL

    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--persons", type=int, default=FULL.persons)
    parser.add_argument("--entries", type=int, default=FULL.entries)
    parser.add_argument("--users", type=int, default=FULL.users)
    parser.add_argument("--districts", type=int, default=FULL.districts)


def scale_size(args: Any) -> Any:
    from laget.demo.scale import ScaleSize

    return ScaleSize(persons=args.persons, entries=args.entries, users=args.users,
                     districts=args.districts)


def ensure_scale_seed(size: Any, seed: int, *, workflow: bool = False) -> None:
    """The `seed_scale` data at `size` (and with `workflow`, the cases' workflow), made when
    missing; a seed of other sizes stops the benchmark with a line saying so."""
    from django.core.management import call_command

    from laget.demo.scale import existing_seed, workflow_exists

    existing = existing_seed()
    wanted = {**size.as_dict(), "seed": seed}
    if existing is not None and existing != wanted:
        raise SystemExit(
            f"bench: {connection.settings_dict['NAME']} holds a scale seed of other sizes "
            f"({existing}); drop it, or name another database with LAGET_BENCH_DB")
    if existing is None:
        print(f"bench: seeding {size} (seed {seed}); this takes a few minutes", flush=True)
    if workflow and not workflow_exists():
        print("bench: adding the cases' workflow (plans, tasks, meetings); about a minute",
              flush=True)
    options = {"workflow": True} if workflow else {}
    sizes = {"persons": size.persons, "entries": size.entries, "users": size.users,
             "districts": size.districts, "seed": seed}
    try:
        # No audit events: the log is bench_audit.py's, signed with its own key (benchenv).
        call_command("seed_scale", **sizes, audit_events=0, **options)
    except TypeError as exc:  # a seed_scale without --audit-events
        if "audit_events" not in str(exc):
            raise
        call_command("seed_scale", **sizes, **options)


# --- results.json --------------------------------------------------------------------------------
#
# {"machine", "commit", "date"   (the run merged last),
#  "data":    the sizes measured on (persons, entries, users, districts, cases, audit events …),
#  "metrics": {NAME: {"value", "unit", "baseline", "ratio", …}},
#  "pending": [{"metric", "reason"}]   (names the issues ask for that no run has measured yet),
#  "runs":    {benchmark: its block, with its own date, commit, machine and details}}

RESULTS = ROOT / "bench" / "results.json"
QUICK_RESULTS = ROOT / "bench" / "results-quick.json"

# The metrics the issues ask for. A name not measured yet is listed in "pending" with the reason.
REQUIRED = (
    "sharing.list_p95_ms", "sharing.list_ratio", "sharing.explain_p95_ms",
    "audit.append_per_s", "audit.append_ratio", "audit.verify_10m_s", "audit.hash_ratio",
    "notify.p95_s", "notify.lost",
    "web.case_page_p95_ms", "web.case_page_ratio", "web.desk_p95_ms",
    "areas.recompute_s", "seed.full_s", "mem.web_rss_mb",
    "sqlite.case_page_p95_ms", "sqlite.desk_p95_ms", "sqlite.sharing_list_p95_ms",
    "sqlite.case_page_vs_postgresql",
)
PENDING_REASONS = {
    "seed.full_s": "not measured yet: the benchmark of seed_scale at full size has not run on "
                   "this machine",
    "mem.web_rss_mb": "not measured yet: the benchmark of the web process's memory has not run "
                      "on this machine",
}

# Measured metric → (its baseline, the ratio of the two), both measured side by side in the same
# run. A ratio of "computed" is value / baseline; None, a baseline without a ratio metric.
_SHARING_PAIRS = {
    "list_p95_ms": ("list_baseline_p95_ms", "list_ratio_p95"),
    "list_p50_ms": ("list_baseline_p50_ms", "list_ratio"),
    "case_list_p95_ms": ("case_list_baseline_p95_ms", "case_list_ratio_p95"),
    "case_list_p50_ms": ("case_list_baseline_p50_ms", "case_list_ratio"),
}
PAIRS: dict[str, tuple[str, str | None]] = {
    **{f"{prefix}.{measured}": (f"{prefix}.{baseline}", f"{prefix}.{ratio}")
       for prefix in ("sharing", "sharing.rules_in_force")
       for measured, (baseline, ratio) in _SHARING_PAIRS.items()},
    "audit.append_per_s": ("audit.append_plain_per_s", "audit.append_ratio"),
    "audit.append_db_per_s": ("audit.append_db_plain_per_s", "audit.append_db_ratio"),
    "audit.verify_1m_s": ("audit.hash_1m_s", "audit.hash_ratio_1m"),
    "audit.verify_10m_s": ("audit.hash_10m_s", "audit.hash_ratio"),
    "audit.proof_http_p95_ms": ("audit.proof_p95_ms", "computed"),
    "web.case_page_p95_ms": ("web.bare_p95_ms", "web.case_page_ratio"),
    "web.case_page_p50_ms": ("web.bare_p50_ms", "web.case_page_ratio_median_pair"),
    "web.desk_p95_ms": ("web.bare_p95_ms", "web.desk_ratio"),
    "web.desk_p50_ms": ("web.bare_p50_ms", "web.desk_ratio_median_pair"),
    "web.case_page_queries_max": ("web.bare_queries", None),
    "web.desk_queries": ("web.bare_queries", None),
    "areas.recompute_s": ("areas.baseline_group_by_s", "areas.recompute_ratio"),
    **{f"load.{page}_p95_ms": ("load.baseline_p95_ms", f"load.{page}_p95_ratio")
       for page in ("case_page", "desk", "my_cases", "new_entries", "plan", "start_page")},
    **{f"load.{page}_p50_ms": ("load.baseline_p50_ms", "computed")
       for page in ("case_page", "desk", "my_cases", "new_entries", "plan", "start_page")},
    "notify.p95_s": ("notify.inline_p95_s", "notify.p95_ratio"),
    "notify.p50_s": ("notify.inline_p50_s", "computed"),
    "notify.tasks_per_s": ("notify.batched_per_s", "computed"),
    "notify.tasks_persistent_per_s": ("notify.batched_per_s", "computed"),
    # bench_sqlite.py: on SQLite (`sqlite.*`) and on PostgreSQL at the same size in the same run
    # (`sqlite.pg_*`), each page against the bare view and the sharing list against team-only.
    **{f"sqlite.{engine}{measured}": (f"sqlite.{engine}{baseline}", f"sqlite.{engine}{ratio}")
       for engine in ("", "pg_")
       for measured, (baseline, ratio) in {
           "case_page_p95_ms": ("bare_p95_ms", "case_page_ratio"),
           "case_page_p50_ms": ("bare_p50_ms", "case_page_ratio_median_pair"),
           "desk_p95_ms": ("bare_p95_ms", "desk_ratio"),
           "desk_p50_ms": ("bare_p50_ms", "desk_ratio_median_pair"),
           "sharing_list_p95_ms": ("sharing_list_baseline_p95_ms", "sharing_list_ratio_p95"),
           "sharing_list_p50_ms": ("sharing_list_baseline_p50_ms", "sharing_list_ratio"),
       }.items()},
}

# A ratio of two figures of the same run that are not each other's baseline: ratio metric →
# (the figure, the one it is divided by). bench_sqlite.py: SQLite's p95 over PostgreSQL's, the
# same page or list at the same size, measured one after the other.
COMPARED: dict[str, tuple[str, str]] = {
    f"sqlite.{name}_vs_postgresql": (f"sqlite.{name}_p95_ms", f"sqlite.pg_{name}_p95_ms")
    for name in ("case_page", "desk", "sharing_list", "bare")
}

# Why a headline metric has no baseline (bench/README.md renders these).
NO_BASELINE = {
    "sharing.explain_p95_ms": "nothing else does what explain() does (the engine's reasons for "
                              "one entry); held to an absolute target instead",
    "notify.lost": "a count that must be 0: a baseline could only be 0 too",
    "audit.proof_p95_ms": "the baseline of the proofs over HTTP (audit.proof_http_p95_ms); "
                          "nothing cheaper computes a proof",
    "seed.full_s": "a one-off build of the data, held to a time budget",
    "mem.web_rss_mb": "a process's resident memory, held to a budget",
}

# Targets from the issues: metric → (operator, value).
TARGETS: dict[str, tuple[str, float]] = {
    **{f"{prefix}.{name}": (op, value)
       for prefix in ("sharing", "sharing.rules_in_force")
       for name, (op, value) in {
           "list_ratio": ("<=", 1.5), "list_ratio_p95": ("<=", 1.5),
           "list_p95_ms": ("<=", 50), "case_list_ratio": ("<=", 1.5),
           "case_list_ratio_p95": ("<=", 1.5), "case_list_p95_ms": ("<=", 50),
           "explain_p95_ms": ("<=", 5)}.items()},
    "audit.append_per_s": (">=", 5000), "audit.append_ratio": (">=", 0.5),
    "audit.verify_10m_s": ("<=", 60),
    "notify.p95_s": ("<=", 5), "notify.lost": ("==", 0),
    "areas.recompute_s": ("<=", 10),
    "load.error_rate": ("==", 0),
    **{f"deploy.{phase}.{name}": ("==", 0) for phase in ("one_app", "two_apps")
       for name in ("errors", "tasks_run_twice", "log_errors")},
    "seed.full_s": ("<=", 600),
}
_OPERATORS = {"<=": ("≤", lambda a, b: a <= b), ">=": ("≥", lambda a, b: a >= b),
              "==": ("=", lambda a, b: a == b)}

UNITS = {
    "load.users": "count", "load.seconds": "s", "load.rps": "1/s", "load.error_rate": "share",
    **dict.fromkeys(COMPARED, "×"),
}
_COUNTS = ("lost", "duplicates", "queries", "requests", "errors", "users", "events", "rows",
           "twice")


def unit_of(name: str) -> str:
    """The unit of a metric: from UNITS, else from its name's ending."""
    if name in UNITS:
        return UNITS[name]
    leaf = name.rsplit(".", 1)[-1]
    if leaf.endswith("_ms_per_message"):
        return "ms/message"
    leaf = leaf.removesuffix("_max").removesuffix("_min")
    if leaf.endswith("_per_s") or leaf.endswith("_per_second"):
        return "1/s"
    if "ratio" in leaf.split("_"):
        return "×"
    for suffix, unit in (("_ms", "ms"), ("_s", "s"), ("_mb", "MB"), ("_bytes", "B"),
                         ("_met", "yes/no"), ("_share", "share")):
        if leaf.endswith(suffix):
            return unit
    if any(leaf == word or leaf.endswith(f"_{word}") or leaf.startswith(f"{word}_")
           for word in _COUNTS):
        return "count"
    return ""


def _target(name: str, value: Any) -> dict[str, Any]:
    if name not in TARGETS or not isinstance(value, int | float) or isinstance(value, bool):
        return {}
    op, bound = TARGETS[name]
    sign, check = _OPERATORS[op]
    return {"target": f"{sign} {bound:g}", "met": check(value, bound)}


def metric_entries(name: str, metrics: dict[str, Any],
                   pairs: dict[str, tuple[str, str | None]] | None = None
                   ) -> dict[str, dict[str, Any]]:
    """The `metrics` entries of one run's flat figures: value, unit, and the baseline and ratio
    measured beside it in the same run (null where there is none)."""
    pairs = {**PAIRS, **(pairs or {})}
    roles: dict[str, tuple[str, str]] = {}
    for measured, (baseline, ratio) in pairs.items():
        if measured in metrics:
            roles.setdefault(baseline, ("baseline", measured))
            if ratio and ratio != "computed":
                roles.setdefault(ratio, ("ratio", measured))
    compared = {ratio: pair for ratio, pair in COMPARED.items() if ratio in metrics}
    entries = {}
    for metric, value in metrics.items():
        entry: dict[str, Any] = {"value": value, "unit": unit_of(metric), "baseline": None,
                                 "ratio": None}
        baseline_name, ratio_name = pairs.get(metric, (None, None))
        if baseline_name is not None and metrics.get(baseline_name) is not None:
            base = metrics[baseline_name]
            entry |= {"baseline": base, "baseline_metric": baseline_name}
            if ratio_name == "computed":
                if value is not None and base:
                    entry["ratio"] = round(value / base, 3)
            elif ratio_name is not None and metrics.get(ratio_name) is not None:
                entry |= {"ratio": metrics[ratio_name], "ratio_metric": ratio_name}
        if metric in roles:
            entry |= {"role": roles[metric][0], "of": roles[metric][1]}
        elif metric in compared:
            entry |= {"role": "ratio", "of": compared[metric][0], "to": compared[metric][1]}
        entries[metric] = {**entry, **_target(metric, value), "run": name}
    return entries


def data_of(runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The sizes the figures were measured on, from the runs' blocks (later runs win): the scale
    seed's sizes, the rows counted, the audit log's events, the SMS benchmark's registrations."""
    data: dict[str, Any] = {}
    for block in sorted(runs.values(), key=lambda b: str(b.get("date", ""))):
        data |= {k: v for k, v in (block.get("seed") or {}).items() if k != "seed"}
        data |= block.get("sizes") or {}
        data |= {k: v for k, v in (block.get("rows") or {}).items() if v}
        if isinstance(block.get("log"), dict) and "leaves" in block["log"]:
            data["audit_events"] = block["log"]["leaves"]
        setup = block.get("setup")
        if isinstance(setup, dict) and "rate_per_s" in setup and "seconds" in setup:
            runs_count = len(block.get("runs") or {}) or 1
            data["notify_registrations"] = round(setup["rate_per_s"] * setup["seconds"]
                                                 * runs_count)
        data |= block.get("data") or {}
    return data


def _reshaped(old: dict[str, Any]) -> dict[str, Any]:
    """A results.json of the first shape (flat `"name.metric": value` keys, a block per
    benchmark, date/git_commit/machine on top) in the present one, every figure kept."""
    blocks = {k: v for k, v in old.items() if isinstance(v, dict) and "date" in v}
    flat = {k: v for k, v in old.items()
            if k not in blocks and k not in ("date", "git_commit", "machine")}
    document = _empty()
    for name in sorted(blocks, key=lambda n: str(blocks[n]["date"])):
        mine = {k: v for k, v in flat.items() if k.startswith(f"{name}.")}
        _merge(document, name, mine, blocks[name])
        flat = {k: v for k, v in flat.items() if k not in mine}
    if flat:
        raise SystemExit(f"bench: figures of no benchmark in results.json: {sorted(flat)}")
    return document


def _empty() -> dict[str, Any]:
    return {"machine": None, "commit": None, "date": None, "data": {}, "metrics": {},
            "pending": [], "runs": {}}


def _merge(document: dict[str, Any], name: str, metrics: dict[str, Any],
           block: dict[str, Any]) -> None:
    block = dict(block)
    if "git_commit" in block:
        block["commit"] = block.pop("git_commit")
    pairs = {k: tuple(v) for k, v in (block.get("baselines") or {}).items()}
    # The figures of this benchmark's previous run go (a run may measure fewer this time).
    document["metrics"] = {k: v for k, v in document["metrics"].items() if v.get("run") != name}
    document["metrics"] |= metric_entries(name, metrics, pairs)
    document["metrics"] = dict(sorted(document["metrics"].items()))
    document["runs"][name] = block
    document["runs"] = dict(sorted(document["runs"].items()))
    document["data"] = data_of(document["runs"])
    document["pending"] = [{"metric": m, "reason": PENDING_REASONS.get(m, "not measured yet")}
                           for m in REQUIRED if m not in document["metrics"]]
    document |= {"machine": block.get("machine"), "commit": block.get("commit"),
                 "date": block.get("date")}


def read_results(path: Path) -> dict[str, Any]:
    """results.json in the present shape (one of the first shape is converted)."""
    if not path.exists():
        return _empty()
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document.get("metrics"), dict) or "runs" not in document:
        return _reshaped(document)
    return {**_empty(), **document}


def write_results(path: Path, document: dict[str, Any]) -> None:
    ordered = {k: document[k] for k in ("machine", "commit", "date", "data", "metrics",
                                        "pending", "runs")}
    path.write_text(json.dumps(ordered, indent=2, ensure_ascii=False, default=str) + "\n",
                    encoding="utf-8")


def print_figures(metrics: dict[str, Any], targets: dict[str, bool] | None = None) -> None:
    """A benchmark's figures on the terminal, a line each, then its targets met or missed."""
    width = max(map(len, metrics), default=0)
    for name, value in metrics.items():
        print(f"{name:<{width}}  {value}")
    for name, met in (targets or {}).items():
        print(f"{'met ' if met else 'MISSED'}  {name}")


def merge_results(path: Path, name: str, metrics: dict[str, Any], block: dict[str, Any]) -> None:
    """Write one benchmark's figures (flat names, `sharing.list_p95_ms`: 28.5) and its block
    into results.json, keeping the other benchmarks' figures: each figure becomes
    {value, unit, baseline, ratio} (PAIRS says which figures of the same run are its baseline and
    ratio; a block may add its own as `"baselines": {metric: [baseline, ratio]}`), the block goes
    under `runs.<name>`, and the run's machine, commit and date on top."""
    document = read_results(path)
    _merge(document, name, metrics, block)
    write_results(path, document)


def parse_arguments(parser: Any, quick: dict[str, Any], *, known: bool = False) -> Any:
    """The benchmark's arguments with `--quick` (`scripts/bench.sh --quick`): `quick` replaces
    the defaults (fewer iterations, shorter rounds, a smaller log), the scale seed's sizes become
    `seed_scale --small`'s and the figures go to bench/results-quick.json. Options given on the
    command line still win. With `known`, options of other benchmarks are ignored."""
    from laget.demo.scale import SMALL

    parser.add_argument("--quick", action="store_true",
                        help="a reduced run (scripts/bench.sh --quick): smaller data, fewer "
                             "iterations, figures to bench/results-quick.json")
    probe, _others = parser.parse_known_args()
    if probe.quick:
        defaults = {"results": str(QUICK_RESULTS)}
        if parser.get_default("persons") is not None:
            defaults |= SMALL.as_dict()
        parser.set_defaults(**defaults | quick)
    return parser.parse_known_args()[0] if known else parser.parse_args()


def main() -> None:
    """`python bench/benchlib.py --reshape [file]`: convert a results.json of the first shape."""
    args = sys.argv[1:]
    if not args or args[0] != "--reshape":
        raise SystemExit("usage: benchlib.py --reshape [results.json]")
    path = Path(args[1]) if len(args) > 1 else RESULTS
    write_results(path, read_results(path))
    print(f"bench: {path} in the present shape")


if __name__ == "__main__":
    main()
