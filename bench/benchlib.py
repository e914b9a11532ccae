"""What the benchmarks share: the machine's facts, the commit measured, percentiles."""

import json
import os
import platform
import shutil
import statistics
import subprocess
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
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
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
    call_command("seed_scale", persons=size.persons, entries=size.entries, users=size.users,
                 districts=size.districts, seed=seed, **options)


def merge_results(path: Path, name: str, metrics: dict[str, Any], block: dict[str, Any]) -> None:
    """Write one benchmark's metrics (keys `<name>.…`) and its block into results.json, keeping
    the other benchmarks' keys; the run's date, commit and machine go on top."""
    existing = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    existing = {k: v for k, v in existing.items() if not k.startswith(name)}
    existing.update({"date": block["date"], "git_commit": block["git_commit"],
                     "machine": block["machine"]})
    existing.update(metrics)
    existing[name] = block
    path.write_text(json.dumps(existing, indent=2, ensure_ascii=False, default=str) + "\n",
                    encoding="utf-8")
