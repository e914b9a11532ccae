"""The full seed, timed: `seed_scale` at city scale with the cases' workflow, the services' data
and the audit log (10 000 000 events), into an empty, migrated database — what
`scripts/bench.sh` keeps as the template every benchmark database is cloned from.

`seed.full_s` is the seconds the whole seed took (target: ≤ 600 s on this machine), with each
phase's seconds and the sizes beside it, and the database's size afterwards (bytes per person,
entry and audit event: the constants of laget.demo.scale_disk). Writes the `seed.*` keys and a
`seed` block to bench/results.json; see bench/README.md "The data".

Run by scripts/bench.sh when it builds the template (`laget_bench_template`, once), or on its
own with `LAGET_BENCH_ONLY=seed scripts/bench.sh` (into a scratch database, dropped afterwards),
or directly with DATABASE_URL pointing at an empty, migrated PostgreSQL database.
"""

import argparse
import datetime as dt
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from benchenv import django_setup  # noqa: E402

# The checkpoints are signed with the audit benchmark's key, so that it verifies the log it finds.
django_setup()  # signs as the city log (benchenv.CITY_LOG)

from benchlib import (  # noqa: E402
    add_scale_arguments,
    git_commit,
    machine,
    merge_results,
    print_figures,
    scale_size,
)
from django.db import connection  # noqa: E402

from laget.audit import log  # noqa: E402
from laget.demo import scale_disk  # noqa: E402
from laget.demo.progress import Progress  # noqa: E402
from laget.demo.scale import build_scale, build_workflow, existing_seed  # noqa: E402
from laget.demo.scale_audit import seed_audit_log  # noqa: E402
from laget.demo.scale_services import build_services  # noqa: E402

TARGET_S = 600.0
AUDIT_EVENTS = 10_000_000


def say(text: str) -> None:
    print(f"bench seed: {text}", flush=True)


def table_bytes() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r'")
        return dict(cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scale_arguments(parser)
    parser.add_argument("--audit-events", type=int, default=AUDIT_EVENTS)
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--no-results", action="store_true",
                        help="seed and report, but write nothing to the results file")
    args, _others = parser.parse_known_args()  # scripts/bench.sh passes every benchmark's
    if connection.vendor != "postgresql":
        raise SystemExit("bench: the seed benchmark runs on PostgreSQL (set DATABASE_URL)")
    if existing_seed() is not None:
        raise SystemExit(f"bench: {connection.settings_dict['NAME']} is already seeded; the seed "
                         "benchmark needs an empty, migrated database")
    size = scale_size(args)
    needed = scale_disk.needed_bytes(persons=size.persons, entries=size.entries,
                                     audit_events=args.audit_events)
    short = scale_disk.shortfall(needed)
    if short is not None:
        raise SystemExit(f"bench: not enough free disk: about {needed / 1e9:.1f} GB needed, "
                         f"{short[1]} has {short[0] / 1e9:.1f} GB free")
    progress = Progress()
    started_at = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    before = sum(table_bytes().values())
    phases: dict[str, float] = {}
    started = mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        phases[name] = round(now - mark, 1)
        mark = now
        say(f"{name}: {phases[name]} s")

    scale = build_scale(size=size, seed=args.seed, progress=progress)
    lap("scale")
    workflow = build_workflow(seed=args.seed, progress=progress)
    lap("workflow")
    services = build_services(seed=args.seed, progress=progress)
    lap("services")
    added = seed_audit_log(args.audit_events, seed=args.seed, progress=progress)
    lap("audit")
    full_s = round(time.perf_counter() - started, 1)
    load_after = os.getloadavg()
    tables = table_bytes()
    database_bytes = sum(tables.values()) - before
    audit_bytes = sum(v for k, v in tables.items() if k.startswith("audit_"))
    metrics = {
        "seed.full_s": full_s,
        "seed.scale_s": phases["scale"],
        "seed.workflow_s": phases["workflow"],
        "seed.services_s": phases["services"],
        "seed.audit_s": phases["audit"],
        "seed.audit_per_s": round(added / phases["audit"]) if phases["audit"] else 0,
        "seed.database_mb": round(database_bytes / 1e6),
    }
    block = {
        "date": started_at.isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "machine": machine(),
        "load_average_1min": {"before": round(load_before[0], 2),
                              "after": round(load_after[0], 2)},
        "sizes": {**size.as_dict(), "seed": args.seed, "audit_events": args.audit_events},
        "phases_s": phases,
        "scale_timings_s": scale.timings,
        "services_timings_s": services.timings,
        "rows": {"cases": scale.cases, "entries": scale.entries, "consents": scale.consents,
                 "plans": workflow.plans, "tasks": workflow.tasks, "meetings": workflow.meetings,
                 "police_registrations": services.registrations,
                 "youth_cases": services.youth_cases, "milestones": services.milestones,
                 "incidents": services.incidents, "referrals": services.referrals,
                 "audit_events_added": added, "log_size": log.tiled_size()},
        "bytes": {"database": database_bytes, "audit_tables": audit_bytes,
                  "per_audit_event": round(audit_bytes / max(1, log.tiled_size())),
                  "per_person_and_entries": round((database_bytes - audit_bytes)
                                                  / max(1, size.persons)),
                  "estimate": needed},
        "target_s": TARGET_S,
    }
    print_figures(metrics)
    for name in ("scale_timings_s", "services_timings_s", "rows", "bytes"):
        print(f"{name}: {json.dumps(block[name])}")
    if args.no_results:
        return
    path = Path(args.results)
    merge_results(path, "seed", metrics, block)
    print(f"bench: wrote {path}")


if __name__ == "__main__":
    main()
