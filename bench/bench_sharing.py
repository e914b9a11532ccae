"""The sharing engine at city scale: what `visible_to()` costs a caseworker's lists, and what
`explain()` costs one entry.

Side by side in one run, interleaved (A B, B A, …), on the `seed_scale` data in PostgreSQL:
- "entries on my cases", first page newest first, built exactly as
  `laget.sharing.selectors.my_entries_for` builds it, against the same query without the sharing
  filter (team membership only);
- a case's entry list, as `case_entries_for` builds it, against the same query with team
  membership as the only condition;
- `explain()` for single entries, with its own queries (rulebook in force, team, markers,
  consents).
Only the database work is timed: the page's count and rows (what `Paginator.get_page(1)` runs,
with Django compiling the SQL and building the objects), not composing the filter, nor the audit
event and disclosures the selectors write afterwards. Runs once with the configured settings and
once with every rule in force. Writes the figures to bench/results.json and the query plans
(EXPLAIN ANALYZE, BUFFERS) to bench/plans/; see bench/README.md.

Run with `make bench` (which creates and seeds the `laget_bench` database), or directly with
DATABASE_URL pointing at a PostgreSQL database that `manage.py seed_scale` has filled.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    sqlite_query_plan,
    summary,
)
from django.conf import settings  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from laget.accounts.actor import Actor  # noqa: E402
from laget.accounts.models import Membership, Role  # noqa: E402
from laget.audit.actions import Purpose  # noqa: E402
from laget.demo.scale import CODE_PREFIX  # noqa: E402
from laget.people.models import Person  # noqa: E402
from laget.records.access import entries_opened  # noqa: E402
from laget.records.models import Case, Entry, TeamMember  # noqa: E402
from laget.sharing.engine import (  # noqa: E402
    context_at,
    current_entries,
    explain,
    team_exists,
    visible_on_case,
    visible_to,
)
from laget.sharing.models import Consent, ConsentGrant  # noqa: E402
from laget.sharing.rulebook import DEFAULT_RULEBOOK, current_version, rulebook_load  # noqa: E402
from laget.sharing.selectors import PAGE_SIZE, _base_entries, _my_case_ids  # noqa: E402

TARGET_RATIO = 1.5
TARGET_LIST_P95_MS = 50.0
TARGET_EXPLAIN_P95_MS = 5.0


# --- measuring -----------------------------------------------------------------------------------

def timed(work: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def first_page(queryset: Any) -> tuple[list[Entry], int]:
    """What the selectors' Paginator runs for page 1: the count, then the rows."""
    page = Paginator(queryset, PAGE_SIZE).get_page(1)
    return list(page.object_list), page.paginator.count


# --- the queries, as the selectors build them ----------------------------------------------------

def my_entries(actor: Actor, ctx: Any, purpose: str, *, shared: bool) -> Any:
    """`my_entries_for`'s query; without `shared`, the same without the sharing filter."""
    entries = _base_entries()
    if shared:
        entries = entries.filter(visible_to(actor, purpose, ctx=ctx), current_entries())
    else:
        entries = entries.filter(current_entries())
    return entries.filter(case__in=_my_case_ids(actor, ctx)).order_by("-created_at", "-id")


def case_entries(actor: Actor, ctx: Any, purpose: str, case: Any, *, shared: bool) -> Any:
    """`case_entries_for`'s query; without `shared`, team membership is the only condition.
    With `shared` this runs visible_on_case()'s own queries (the case's facts and groups), so
    the timing of this variant includes them."""
    condition = (
        visible_on_case(actor, case[0], case[1], purpose, ctx=ctx) if shared
        else Q(team_exists(actor, ctx.day))
    )
    case_id = case[0]
    return (
        _base_entries().filter(condition, case_id=case_id)
        .filter(current_entries()).order_by("-created_at", "-id")
    )


# --- the data ------------------------------------------------------------------------------------

def pick_caseworkers(count: int, seed: int) -> list[tuple[Actor, list[Any]]]:
    """A random sample of caseworkers who are on at least one team today, spread over agency
    types, each with the ids of the cases they are on."""
    ctx = context_at()
    rng = random.Random(seed)
    memberships = list(
        Membership.objects.filter(role=Role.CASEWORKER, agency__code__startswith=CODE_PREFIX)
        .select_related("user", "agency").order_by("user__username")
    )
    by_type: dict[str, list[Membership]] = {}
    for membership in memberships:
        by_type.setdefault(membership.agency.type, []).append(membership)
    for members in by_type.values():
        rng.shuffle(members)
    chosen: list[tuple[Actor, list[Any]]] = []
    types = sorted(by_type)
    while len(chosen) < count and any(by_type.values()):
        for kind in types:
            if not by_type[kind] or len(chosen) >= count:
                continue
            membership = by_type[kind].pop()
            cases = list(
                TeamMember.objects.active(ctx.day)
                .filter(user_id=membership.user_id, agency_id=membership.agency_id)
                .order_by("case_id").values_list("case_id", "case__person__birth_date")
            )
            if cases:
                chosen.append((Actor(membership.user, membership), cases))
    return chosen


def sizes() -> dict[str, int]:
    with entries_opened():
        entries = Entry.objects.count()
    return {
        "persons": Person.objects.count(),
        "entries": entries,
        "users": Membership.objects.values("user").distinct().count(),
        "districts": Case.objects.values("district").distinct().count(),
        "cases": Case.objects.count(),
        "team_members": TeamMember.objects.count(),
        "consents": Consent.objects.count(),
        "consent_grants": ConsentGrant.objects.count(),
    }


# --- plans ---------------------------------------------------------------------------------------

def explain_analyze(sql: str, params: Any) -> str:
    if connection.vendor == "sqlite":  # bench_sqlite.py's laptop run: the plan, no times
        return sqlite_query_plan(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, SETTINGS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def write_plans(directory: Path, name: str, title: str, work: Callable[[], Any]) -> None:
    """Run `work` once capturing its queries, then EXPLAIN ANALYZE each and write them to
    directory/name.txt."""
    work()  # warm
    with CaptureQueriesContext(connection) as captured:
        work()
    parts = [f"# {title}", f"# {len(captured.captured_queries)} queries", ""]
    for number, query in enumerate(captured.captured_queries, 1):
        parts += [f"## query {number}", query["sql"], "", explain_analyze(query["sql"], None), ""]
    (directory / f"{name}.txt").write_text("\n".join(parts), encoding="utf-8")


# --- the run -------------------------------------------------------------------------------------

def run(args: argparse.Namespace, sample: list[tuple[Actor, list[Any]]], mode: str
        ) -> dict[str, Any]:
    """One pass over the sample: the four list queries interleaved (A B, then B A), and
    explain() for one entry of the unfiltered page, on each iteration."""
    purpose = args.purpose
    rng = random.Random(args.seed)
    times: dict[str, list[float]] = {
        k: [] for k in ("list", "list_base", "case", "case_base", "explain")
    }
    pairs: dict[str, list[float]] = {"list": [], "case": []}
    visible: list[float] = []
    shown_rows = 0
    with entries_opened():
        for iteration in range(args.warmup + args.iterations):
            actor, cases = sample[iteration % len(sample)]
            ctx = context_at()
            case_id = rng.choice(cases)
            queries = {
                "list": (my_entries, (actor, ctx, purpose), True),
                "list_base": (my_entries, (actor, ctx, purpose), False),
                "case": (case_entries, (actor, ctx, purpose, case_id), True),
                "case_base": (case_entries, (actor, ctx, purpose, case_id), False),
            }
            order = ["list", "list_base", "case", "case_base"]
            if iteration % 2:
                order = ["list_base", "list", "case_base", "case"]
            got: dict[str, tuple[float, tuple[list[Entry], int]]] = {}
            for name in order:
                build, build_args, shared = queries[name]
                if name.startswith("case"):  # building the filter queries the database
                    got[name] = timed(lambda b=build, a=build_args, s=shared: first_page(
                        b(*a, shared=s)))
                else:
                    got[name] = timed(first_page, build(*build_args, shared=shared))
            base_rows = got["list_base"][1][0]
            entry = rng.choice(base_rows) if base_rows else None
            explain_ms = timed(explain, actor, entry, purpose)[0] if entry is not None else None
            if iteration < args.warmup:
                continue
            for name, (ms, _page) in got.items():
                times[name].append(ms)
            pairs["list"].append(got["list"][0] / got["list_base"][0])
            pairs["case"].append(got["case"][0] / got["case_base"][0])
            if explain_ms is not None:
                times["explain"].append(explain_ms)
            if got["list_base"][1][1]:
                visible.append(got["list"][1][1] / got["list_base"][1][1])
            # The filter never shows what explain() refuses (the selectors' own check).
            shown = got["list"][1][0] + got["case"][1][0]
            if not all(explain(actor, e, purpose, ctx=ctx).allowed for e in shown):
                raise SystemExit("bench: visible_to() and explain() disagree")
            shown_rows += len(shown)

        # Plans for the caseworker with the most cases in the sample, and their busiest case.
        actor, cases = max(sample, key=lambda item: len(item[1]))
        ctx = context_at()
        case_id = (
            Case.objects.filter(pk__in=_my_case_ids(actor, ctx)).annotate(n=Count("entries"))
            .order_by("-n").values_list("pk", "person__birth_date").first()
        )
        plans = Path(args.plans)
        plans.mkdir(parents=True, exist_ok=True)
        suffix = "" if mode == "configured" else f"_{mode}"
        who = (f"{actor.membership.agency.type} caseworker on {len(cases)} cases, "
               f"purpose {purpose}, mode {mode}")
        for name, title, work in (
            ("my_entries_shared", "my entries, first page, with visible_to()",
             lambda: first_page(my_entries(actor, ctx, purpose, shared=True))),
            ("my_entries_baseline", "my entries, first page, team membership only",
             lambda: first_page(my_entries(actor, ctx, purpose, shared=False))),
            ("case_entries_shared", "a case's entries, first page, with visible_to()",
             lambda: first_page(case_entries(actor, ctx, purpose, case_id, shared=True))),
            ("case_entries_baseline", "a case's entries, first page, team membership only",
             lambda: first_page(case_entries(actor, ctx, purpose, case_id, shared=False))),
        ):
            write_plans(plans, name + suffix, f"{title}; {who}", work)
        rows = first_page(my_entries(actor, ctx, purpose, shared=False))[0]
        if rows:
            write_plans(plans, "explain" + suffix,
                        f"explain() for one entry, with its queries; {who}",
                        lambda: explain(actor, rows[0], purpose))

    figures = {name: summary(values) for name, values in times.items()}
    return {
        "figures_ms": figures,
        "list_ratio": round(statistics.median(pairs["list"]), 3),
        "list_ratio_p95": round(figures["list"]["p95_ms"] / figures["list_base"]["p95_ms"], 3),
        "case_list_ratio": round(statistics.median(pairs["case"]), 3),
        "case_list_ratio_p95": round(figures["case"]["p95_ms"] / figures["case_base"]["p95_ms"],
                                     3),
        "visible_share_of_my_case_entries": round(statistics.median(visible), 3),
        "rows_checked_against_explain": shown_rows,
    }


def metrics_of(result: dict[str, Any], prefix: str) -> dict[str, float]:
    figures = result["figures_ms"]
    return {
        f"{prefix}.list_p50_ms": figures["list"]["p50_ms"],
        f"{prefix}.list_p95_ms": figures["list"]["p95_ms"],
        f"{prefix}.list_baseline_p50_ms": figures["list_base"]["p50_ms"],
        f"{prefix}.list_baseline_p95_ms": figures["list_base"]["p95_ms"],
        f"{prefix}.list_ratio": result["list_ratio"],
        f"{prefix}.list_ratio_p95": result["list_ratio_p95"],
        f"{prefix}.case_list_p50_ms": figures["case"]["p50_ms"],
        f"{prefix}.case_list_p95_ms": figures["case"]["p95_ms"],
        f"{prefix}.case_list_baseline_p50_ms": figures["case_base"]["p50_ms"],
        f"{prefix}.case_list_baseline_p95_ms": figures["case_base"]["p95_ms"],
        f"{prefix}.case_list_ratio": result["case_list_ratio"],
        f"{prefix}.case_list_ratio_p95": result["case_list_ratio_p95"],
        f"{prefix}.explain_p50_ms": figures["explain"]["p50_ms"],
        f"{prefix}.explain_p95_ms": figures["explain"]["p95_ms"],
    }


def targets_of(metrics: dict[str, float], prefix: str) -> dict[str, bool]:
    return {
        f"{prefix}.list_ratio <= {TARGET_RATIO}": metrics[f"{prefix}.list_ratio"] <= TARGET_RATIO
        and metrics[f"{prefix}.list_ratio_p95"] <= TARGET_RATIO,
        f"{prefix}.list_p95_ms <= {TARGET_LIST_P95_MS:g}":
            metrics[f"{prefix}.list_p95_ms"] <= TARGET_LIST_P95_MS,
        f"{prefix}.case_list_ratio <= {TARGET_RATIO}":
            metrics[f"{prefix}.case_list_ratio"] <= TARGET_RATIO
            and metrics[f"{prefix}.case_list_ratio_p95"] <= TARGET_RATIO,
        f"{prefix}.case_list_p95_ms <= {TARGET_LIST_P95_MS:g}":
            metrics[f"{prefix}.case_list_p95_ms"] <= TARGET_LIST_P95_MS,
        f"{prefix}.explain_p95_ms <= {TARGET_EXPLAIN_P95_MS:g}":
            metrics[f"{prefix}.explain_p95_ms"] <= TARGET_EXPLAIN_P95_MS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--caseworkers", type=int, default=40)
    parser.add_argument("--purpose", default=Purpose.OPPFOLGING)
    parser.add_argument("--configured-only", action="store_true",
                        help="measure with the configured settings only, not again with every "
                             "rule in force (bench_sqlite.py)")
    add_scale_arguments(parser)
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--plans", default=str(ROOT / "bench" / "plans"))
    args = parse_arguments(parser, {"iterations": 20, "warmup": 3, "caseworkers": 10,
                                    "plans": str(ROOT / "bench" / "plans-quick")})
    if connection.vendor not in ("postgresql", "sqlite"):  # SQLite: bench_sqlite.py
        raise SystemExit("bench: the sharing benchmark runs on PostgreSQL (set DATABASE_URL)")

    size = scale_size(args)
    ensure_scale_seed(size, args.seed)
    # Measure the rulebook as shipped now (a no-op when the seed loaded this very file).
    rulebook_load(text=DEFAULT_RULEBOOK.read_text(encoding="utf-8"),
                  file_name=DEFAULT_RULEBOOK.name)
    sample = pick_caseworkers(args.caseworkers, args.seed)
    if not sample:
        raise SystemExit("bench: no caseworker is on a team; is the database seeded?")
    for old in Path(args.plans).glob("*.txt"):
        old.unlink()
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    # The configured settings (production: an unreviewed allow rule only counts with consent),
    # then with every rule in force, as once a lawyer has reviewed them (more SQL: source types,
    # ages, programmes).
    configured = run(args, sample, "configured")
    in_force = None
    if not args.configured_only:
        with override_settings(LAGET_RULES_UNREVIEWED_IN_FORCE=True):
            in_force = run(args, sample, "rules_in_force")
    load_after = os.getloadavg()
    metrics = metrics_of(configured, "sharing")
    targets = targets_of(metrics, "sharing")
    if in_force is not None:
        metrics |= metrics_of(in_force, "sharing.rules_in_force")
        targets |= targets_of(metrics, "sharing.rules_in_force")
    counts = sorted(len(cases) for _actor, cases in sample)
    version = current_version()
    block = {
        "date": started.isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "machine": machine(),
        # Other work on the machine (1-minute load average, 2 cores): figures taken under load
        # are slower in absolute terms; the interleaved ratios are what carries over.
        "load_average_1min": {"before": round(load_before[0], 2),
                              "after": round(load_after[0], 2)},
        "seed": {**size.as_dict(), "seed": args.seed},
        "sizes": sizes(),
        "purpose": args.purpose,
        "rulebook": {"version": version.version, "sha256": version.sha256} if version else None,
        "unreviewed_rules_in_force": bool(settings.LAGET_RULES_UNREVIEWED_IN_FORCE),
        "iterations": args.iterations, "warmup": args.warmup,
        "sample": {
            "caseworkers": len(sample),
            "agency_types": sorted({a.membership.agency.type for a, _c in sample}),
            "team_cases_min": counts[0], "team_cases_median": counts[len(counts) // 2],
            "team_cases_max": counts[-1],
        },
        "configured": configured,
        "rules_in_force": in_force,
        "targets_met": targets,
        "plans": sorted(p.name for p in Path(args.plans).glob("*.txt")),
    }
    path = Path(args.results)
    merge_results(path, "sharing", metrics, block)
    print_figures(metrics, targets)
    print(f"bench: wrote {path} and the plans in {args.plans}")


if __name__ == "__main__":
    main()
