"""The area analytics at city scale: a full recomputation of the computed indicators
(`laget.analytics.compute.recompute`, the last `--months` months: five years by default) side
by side with a single GROUP BY over the same rows in the same run, and the evaluation's cohort
tables (`laget.analytics.evaluation.evaluation_table`, every measure).

The target (issue 11): `areas.recompute_s` ≤ 10 s. The baseline is what any recomputation must at
least do: one aggregate query per source table over the same window (cases, concerns, police
registrations, fast-track milestones, ambulant requests, reentry outcomes) — GROUP BY area and
month, nothing stored — so the ratio says what the indicators' own logic (several GROUP BYs per
table, medians, storing) costs beyond reading the rows once.

Data: `seed_scale` (cases and concerns of the synthetic city, and its police registrations: two
per person over five years, laget.demo.scale_services), topped up to `--registrations` when
fewer (`ensure_registrations`), so that the delbydel indicators have rows to count.
Interleaved (A B, then B A, …) after a warm-up; p50/p95 per operation and the ratio per pair.
Writes the `areas.*` keys and an `areas` block to bench/results.json; see bench/README.md.

Run with `make bench` / `LAGET_BENCH_ONLY=areas scripts/bench.sh`, or directly with DATABASE_URL
pointing at a PostgreSQL database (seeded on the first run).
"""

import argparse
import datetime as dt
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from benchenv import django_setup  # noqa: E402

django_setup()

from benchlib import (  # noqa: E402
    add_scale_arguments,
    ensure_scale_seed,
    git_commit,
    machine,
    merge_results,
    parse_arguments,
    print_figures,
    scale_size,
    summary,
)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import TruncMonth  # noqa: E402

from laget.analytics import compute, evaluation  # noqa: E402
from laget.cases.models import Concern  # noqa: E402
from laget.core import clock  # noqa: E402
from laget.demo.scale_services import ensure_registrations  # noqa: E402
from laget.fasttrack.models import Milestone  # noqa: E402
from laget.policing.models import PoliceRegistration  # noqa: E402
from laget.records.models import Case  # noqa: E402
from laget.reentry.models import Outcome  # noqa: E402
from laget.schools.models import AmbulantRequest  # noqa: E402

TARGET_S = 10.0


def baseline(start: dt.datetime) -> int:
    """One GROUP BY (area, month) per source table over the window: the rows read once."""
    queries = [
        Concern.objects.filter(submitted_at__gte=start)
        .annotate(m=TruncMonth("submitted_at")).values("district_id", "m"),
        Case.objects.annotate(m=TruncMonth("created_at")).values("district_id", "m"),
        PoliceRegistration.objects.filter(occurred_at__gte=start)
        .annotate(m=TruncMonth("occurred_at")).values("subdistrict_id", "m"),
        Milestone.objects.filter(occurred_on__gte=start.date())
        .annotate(m=TruncMonth("occurred_on")).values("case__district_id", "m"),
        AmbulantRequest.objects.filter(requested_at__gte=start)
        .annotate(m=TruncMonth("requested_at")).values("district_id", "m"),
        Outcome.objects.values("plan__release__district_id", "milestone"),
    ]
    return sum(len(list(q.annotate(n=Count("pk")).order_by())) for q in queries)


def evaluation_all() -> int:
    return sum(len(evaluation.evaluation_table(m).cohorts) for m in evaluation.MEASURES)


def timed(function, *args) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=60, help="how many months to recompute")
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--registrations", type=int, default=200_000)
    add_scale_arguments(parser)
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.json"))
    args = parse_arguments(parser, {"months": 12, "iterations": 2, "warmup": 1,
                                    "registrations": 5_000})
    if connection.vendor != "postgresql":
        raise SystemExit("bench: the areas benchmark runs on PostgreSQL (set DATABASE_URL)")

    size = scale_size(args)
    ensure_scale_seed(size, args.seed)
    registrations = ensure_registrations(args.registrations, args.seed)
    months = compute.last_months(args.months)
    start = dt.datetime.combine(months[0], dt.time(), tzinfo=clock.OSLO)

    def recompute() -> None:
        compute.recompute(months=months)

    def group_by() -> None:
        baseline(start)

    for _i in range(args.warmup):
        recompute()
        group_by()
    times: dict[str, list[float]] = {"recompute": [], "baseline": [], "evaluation": []}
    ratios = []
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    for i in range(args.iterations):
        order = [("recompute", recompute), ("baseline", group_by)]
        pair = {}
        for name, function in (order if i % 2 == 0 else order[::-1]):
            pair[name] = timed(function)
            times[name].append(pair[name])
        ratios.append(pair["recompute"] / pair["baseline"])
        times["evaluation"].append(timed(evaluation_all))
    load_after = os.getloadavg()

    figures = {name: summary(values) for name, values in times.items()}
    recompute_s = round(figures["recompute"]["p50_ms"] / 1000, 3)
    metrics = {
        "areas.recompute_s": recompute_s,
        "areas.recompute_p95_s": round(figures["recompute"]["p95_ms"] / 1000, 3),
        "areas.baseline_group_by_s": round(figures["baseline"]["p50_ms"] / 1000, 3),
        "areas.recompute_ratio": round(statistics.median(ratios), 2),
        "areas.evaluation_all_measures_s": round(figures["evaluation"]["p50_ms"] / 1000, 3),
        "areas.recompute_target_met": recompute_s <= TARGET_S,
    }
    block = {
        "date": started.isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "machine": machine(),
        "load_average_1min": {"before": round(load_before[0], 2),
                              "after": round(load_after[0], 2)},
        "seed": {**size.as_dict(), "seed": args.seed},
        "rows": {"cases": Case.objects.count(), "concerns": Concern.objects.count(),
                 "police_registrations": registrations,
                 "fasttrack_milestones": Milestone.objects.count(),
                 "ambulant_requests": AmbulantRequest.objects.count(),
                 "reentry_outcomes": Outcome.objects.count()},
        "months": len(months), "iterations": args.iterations, "warmup": args.warmup,
        "target_s": TARGET_S, "figures_ms": figures,
        "ratios": [round(r, 2) for r in ratios],
        "settings": {"DEBUG": settings.DEBUG},
    }
    path = Path(args.results)
    merge_results(path, "areas", metrics, block)
    print_figures(metrics)
    print(f"bench: wrote {path}")


if __name__ == "__main__":
    main()
