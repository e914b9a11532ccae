"""bench/bench_sqlite.py's bookkeeping, without running the benchmarks: the figures it takes
from bench_web.py and bench_sharing.py on each engine, the engines' ratios, how results.json and
the report show them, and SQLite's query plans. (The benchmark itself seeds a SQLite file and a
PostgreSQL database and runs four benchmarks: about a minute even with --quick.)"""

import json
import sys
from pathlib import Path

import pytest
from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import bench_sqlite as bench
import benchlib
import report


def sub_run(scale: float) -> dict:
    web = {"web.case_page_p50_ms": 80.0 * scale, "web.case_page_p95_ms": 100.0 * scale,
           "web.bare_p50_ms": 2.0 * scale, "web.bare_p95_ms": 4.0 * scale,
           "web.case_page_ratio": 25.0, "web.case_page_ratio_median_pair": 40.0,
           "web.desk_p50_ms": 50.0 * scale, "web.desk_p95_ms": 60.0 * scale,
           "web.desk_ratio": 15.0, "web.desk_ratio_median_pair": 25.0,
           "web.case_page_queries_max": 55, "web.bare_queries": 3, "web.desk_queries": 20}
    sharing = {"sharing.list_p50_ms": 20.0 * scale, "sharing.list_p95_ms": 30.0 * scale,
               "sharing.list_baseline_p50_ms": 10.0 * scale,
               "sharing.list_baseline_p95_ms": 20.0 * scale, "sharing.list_ratio": 1.9,
               "sharing.list_ratio_p95": 1.5, "sharing.explain_p95_ms": 7.0}
    return {"web": {"metrics": web}, "sharing": {"metrics": sharing}}


def runs(sqlite_scale: float = 1.0, pg_scale: float = 2.0) -> dict:
    sqlite, pg = sub_run(sqlite_scale), sub_run(pg_scale)
    return {(name, engine): engine_runs[name]
            for engine, engine_runs in (("sqlite", sqlite), ("postgresql", pg))
            for name in ("web", "sharing")}


def test_figures_per_engine_and_the_engines_ratios() -> None:
    metrics = bench.figures_of(runs())

    assert metrics["sqlite.case_page_p95_ms"] == 100.0
    assert metrics["sqlite.pg_case_page_p95_ms"] == 200.0
    assert metrics["sqlite.bare_p95_ms"] == 4.0 and metrics["sqlite.pg_bare_p95_ms"] == 8.0
    assert metrics["sqlite.sharing_list_p95_ms"] == 30.0
    assert metrics["sqlite.pg_sharing_list_baseline_p95_ms"] == 40.0
    assert metrics["sqlite.desk_queries"] == 20
    # SQLite's p95 over PostgreSQL's, the same page at the same size
    for name in ("case_page", "desk", "sharing_list", "bare"):
        assert metrics[f"sqlite.{name}_vs_postgresql"] == 0.5, name
    # only the list, not explain() nor the rules-in-force run
    assert not any("explain" in name or "rules" in name for name in metrics)


def test_merged_figures_carry_their_baselines_and_the_engines_ratio(tmp_path) -> None:
    path = tmp_path / "results.json"
    benchlib.merge_results(path, "sqlite", bench.figures_of(runs()), {
        "date": "2026-11-26T23:00:00+00:00", "git_commit": "abc", "machine": {"nproc": 2},
        "small_seed": {"persons": 2000}, "small_sizes": {"entries": 20000}})
    document = json.loads(path.read_text(encoding="utf-8"))
    metrics = document["metrics"]

    case = metrics["sqlite.case_page_p95_ms"]
    assert (case["baseline"], case["baseline_metric"]) == (4.0, "sqlite.bare_p95_ms")
    assert (case["ratio"], case["ratio_metric"]) == (25.0, "sqlite.case_page_ratio")
    assert metrics["sqlite.pg_desk_p95_ms"]["baseline_metric"] == "sqlite.pg_bare_p95_ms"
    listed = metrics["sqlite.sharing_list_p95_ms"]
    assert listed["baseline_metric"] == "sqlite.sharing_list_baseline_p95_ms"
    assert listed["ratio_metric"] == "sqlite.sharing_list_ratio_p95"
    versus = metrics["sqlite.case_page_vs_postgresql"]
    assert versus == {"value": 0.5, "unit": "×", "baseline": None, "ratio": None,
                      "role": "ratio", "of": "sqlite.case_page_p95_ms",
                      "to": "sqlite.pg_case_page_p95_ms", "run": "sqlite"}
    assert "| ratio of `sqlite.case_page_p95_ms` to `sqlite.pg_case_page_p95_ms` |" in \
        report.row("sqlite.case_page_vs_postgresql", versus, document["runs"])
    # The small seed's sizes stay out of `data`, which is the city's.
    assert document["data"] == {}
    assert not {p["metric"] for p in document["pending"]} & {
        "sqlite.case_page_p95_ms", "sqlite.desk_p95_ms", "sqlite.sharing_list_p95_ms",
        "sqlite.case_page_vs_postgresql"}


def test_sub_run_details_leave_out_the_sizes_and_the_machine() -> None:
    block = {"date": "d", "git_commit": "c", "machine": {}, "seed": {"persons": 2000},
             "sizes": {"entries": 20000}, "plans": [], "figures_ms": {"case": {}},
             "iterations": 10}
    assert bench.details_of(block) == {"date": "d", "figures_ms": {"case": {}}, "iterations": 10}


def test_the_benchmarks_run_at_the_small_size_and_sharing_configured_only(tmp_path) -> None:
    args = bench.argparse.Namespace(iterations=7, warmup=1, cases=3, caseworkers=4)
    web = bench.bench_command("web", args, tmp_path / "w.json", tmp_path / "p")
    sharing = bench.bench_command("sharing", args, tmp_path / "s.json", tmp_path / "p")
    for command in (web, sharing):
        assert "--persons=2000" in command and "--districts=3" in command
        assert command[command.index("--iterations") + 1] == "7"
    assert web[1].endswith("bench_web.py") and "--cases" in web
    assert "--configured-only" in sharing and "--configured-only" not in web


@pytest.mark.django_db
def test_sqlite_query_plan_is_an_indented_tree() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's EXPLAIN QUERY PLAN")
    plan = benchlib.sqlite_query_plan(
        'SELECT id FROM accounts_user WHERE id IN (SELECT user_id FROM accounts_membership)')
    assert "accounts_user" in plan and "accounts_membership" in plan
    assert any(line.startswith("  ") for line in plan.splitlines())
    assert benchlib.sqlite_query_plan("SELECT * FROM no_such_table").startswith("(no plan:")
