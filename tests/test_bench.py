"""bench/results.json's shape: what `benchlib.merge_results` writes, and that the committed file
holds every figure the issues ask for (or says why not yet)."""

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import benchlib  # noqa: E402
import report  # noqa: E402


def block(date: str, **extra):
    return {"date": date, "git_commit": "abc123", "machine": {"nproc": 2}, **extra}


def test_merge_results_writes_value_unit_baseline_ratio(tmp_path):
    path = tmp_path / "results.json"
    benchlib.merge_results(path, "sharing", {
        "sharing.list_p95_ms": 28.5, "sharing.list_baseline_p95_ms": 21.3,
        "sharing.list_ratio_p95": 1.34, "sharing.explain_p95_ms": 3.8,
    }, block("2026-11-26T10:00:00+00:00", seed={"persons": 100, "entries": 1000, "seed": 1}))

    document = json.loads(path.read_text(encoding="utf-8"))
    assert set(document) == {"machine", "commit", "date", "data", "metrics", "pending", "runs"}
    assert document["commit"] == "abc123"
    assert document["data"] == {"persons": 100, "entries": 1000}
    assert document["metrics"]["sharing.list_p95_ms"] == {
        "value": 28.5, "unit": "ms", "baseline": 21.3, "baseline_metric":
        "sharing.list_baseline_p95_ms", "ratio": 1.34, "ratio_metric": "sharing.list_ratio_p95",
        "target": "≤ 50", "met": True, "run": "sharing"}
    explain = document["metrics"]["sharing.explain_p95_ms"]
    assert (explain["baseline"], explain["ratio"]) == (None, None)
    assert document["metrics"]["sharing.list_baseline_p95_ms"]["role"] == "baseline"
    assert document["runs"]["sharing"]["commit"] == "abc123"
    assert "sharing.list_p95_ms" not in {p["metric"] for p in document["pending"]}
    assert "notify.lost" in {p["metric"] for p in document["pending"]}


def test_merge_results_keeps_other_benchmarks_and_replaces_its_own(tmp_path):
    path = tmp_path / "results.json"
    benchlib.merge_results(path, "web", {"web.case_page_p95_ms": 100.0, "web.bare_p95_ms": 4.0,
                                         "web.case_page_ratio": 25.0, "web.gone_ms": 1.0},
                           block("2026-11-26T10:00:00+00:00"))
    # Another benchmark with names of the same prefix (as the web concurrency levels).
    benchlib.merge_results(path, "web_concurrency", {"web.c10.case_page_p95_ms": 300.0},
                           block("2026-11-26T11:00:00+00:00"))
    benchlib.merge_results(path, "seed", {"seed.full_s": 150.0}, block("2026-11-26T12:00:00+00:00"))
    benchlib.merge_results(path, "web", {"web.case_page_p95_ms": 90.0, "web.bare_p95_ms": 4.5,
                                         "web.case_page_ratio": 20.0},
                           block("2026-11-26T13:00:00+00:00"))

    metrics = json.loads(path.read_text(encoding="utf-8"))["metrics"]
    assert metrics["web.case_page_p95_ms"]["value"] == 90.0
    assert metrics["web.case_page_p95_ms"]["ratio"] == 20.0
    assert "web.gone_ms" not in metrics
    assert metrics["web.c10.case_page_p95_ms"] == {
        "value": 300.0, "unit": "ms", "baseline": None, "ratio": None, "run": "web_concurrency"}
    assert metrics["seed.full_s"]["unit"] == "s"


@pytest.mark.parametrize(("name", "unit"), [
    ("sharing.list_p95_ms", "ms"), ("audit.verify_10m_s", "s"), ("audit.append_per_s", "1/s"),
    ("audit.append_ratio", "×"), ("sharing.list_ratio_p95", "×"), ("mem.web_rss_mb", "MB"),
    ("notify.lost", "count"), ("web.case_page_queries_max", "count"), ("load.error_rate", "share"),
])
def test_units(name, unit):
    assert benchlib.unit_of(name) == unit


def test_the_first_flat_shape_is_converted_with_every_figure(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps({
        "date": "x", "git_commit": "old", "machine": {},
        "audit.append_per_s": 1154.0, "audit.append_plain_per_s": 1491.0,
        "audit.append_ratio": 0.774, "audit": block("2026-11-26T02:00:00+00:00"),
        "notify.lost": 0, "notify": block("2026-11-26T08:00:00+00:00"),
    }), encoding="utf-8")
    document = benchlib.read_results(path)
    assert document["metrics"]["audit.append_per_s"]["ratio"] == 0.774
    assert document["metrics"]["notify.lost"]["value"] == 0
    assert set(document["runs"]) == {"audit", "notify"}
    assert document["date"] == "2026-11-26T08:00:00+00:00"


def test_committed_results_hold_every_required_metric_or_say_why_not():
    document = json.loads((BENCH / "results.json").read_text(encoding="utf-8"))
    pending = {p["metric"]: p["reason"] for p in document["pending"]}
    for name in benchlib.REQUIRED:
        assert (name in document["metrics"]) != (name in pending), name
        if name in pending:
            assert pending[name].strip(), name
        else:
            entry = document["metrics"][name]
            assert {"value", "unit", "baseline", "ratio", "run"} <= set(entry), name
            assert entry["run"] in document["runs"], name
    for key in ("machine", "commit", "date", "data"):
        assert document[key], key


def test_committed_figures_have_their_baseline_or_say_why_not():
    """The issue: each figure is measured side by side with its baseline in the same run. Every
    required figure in the committed results has its baseline (or is the ratio of one that has),
    or benchlib.NO_BASELINE says why it has none."""
    document = json.loads((BENCH / "results.json").read_text(encoding="utf-8"))
    for name in benchlib.REQUIRED:
        entry = document["metrics"].get(name)
        if entry is None or name in benchlib.NO_BASELINE:
            continue
        assert entry["baseline"] is not None or entry.get("role") == "ratio", name
        if entry["baseline"] is not None:
            assert entry["baseline_metric"] in document["metrics"], name


def test_report_renders_the_table_between_the_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n{report.METRICS_BEGIN}\nold\n{report.METRICS_END}\ntail\n"
                      f"{report.SLOWEST_BEGIN}\n{report.SLOWEST_END}\n", encoding="utf-8")
    document = benchlib.read_results(BENCH / "results.json")
    text = report.replace_between(readme.read_text(encoding="utf-8"), report.METRICS_BEGIN,
                                  report.METRICS_END, report.metrics_table(document))
    assert "old" not in text
    assert "| `sharing.list_p95_ms` |" in text
    assert text.endswith(f"{report.METRICS_END}\ntail\n{report.SLOWEST_BEGIN}\n"
                         f"{report.SLOWEST_END}\n")


def test_report_reads_the_plans_of_both_benchmarks(tmp_path):
    web = tmp_path / "web.txt"
    web.write_text("# GET\n\n## query 1 (1.00 ms)\nSELECT 1\n\n## query 2 (3.00 ms)\nSELECT 2\n\n"
                   "### plan\nResult  (cost=0.00..0.01 rows=1 width=4)\nPlanning Time: 0.5 ms\n"
                   "Execution Time: 2.25 ms\n", encoding="utf-8")
    sharing = tmp_path / "sharing.txt"
    sharing.write_text("# my entries\n\n## query 1\nSELECT COUNT(*)\n\nAggregate\n"
                       "Planning Time: 1.9 ms\nExecution Time: 4.4 ms\n", encoding="utf-8")
    [second] = report.plan_queries(web, "desk")
    assert (second["query"], second["sql"], second["execution_ms"], second["planning_ms"]) == (
        "2", "SELECT 2", 2.25, 0.5)
    assert second["plan"].startswith("Result")
    [count] = report.plan_queries(sharing, "list")
    assert (count["sql"], count["execution_ms"]) == ("SELECT COUNT(*)", 4.4)


def test_percentile_is_the_nearest_rank() -> None:
    from benchlib import percentile

    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 95) == 95.0 and percentile(values, 50) == 50.0
    assert percentile(values, 100) == 100.0 and percentile(values, 1) == 1.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0 and percentile([7.0], 95) == 7.0
