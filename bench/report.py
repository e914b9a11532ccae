"""The benchmarks' figures as Markdown, from bench/results.json: the metrics table and the plans of
the slowest queries, written into bench/README.md between their markers (or printed).

    .venv/bin/python bench/report.py                      # README from results.json
    .venv/bin/python bench/report.py --results bench/results-quick.json --print

scripts/bench.sh runs it at the end of every run. It needs no database and no Django settings.
"""

import argparse
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from benchlib import NO_BASELINE, REQUIRED, RESULTS, read_results  # noqa: E402

README = ROOT / "bench" / "README.md"
METRICS_BEGIN, METRICS_END = "<!-- metrics:begin -->", "<!-- metrics:end -->"
SLOWEST_BEGIN, SLOWEST_END = "<!-- slowest-queries:begin -->", "<!-- slowest-queries:end -->"

# Where each benchmark writes the queries of its measured pages with their plans, and which of
# those files "Slowest queries" shows: (file, page, how many of its slowest queries).
PLAN_FILES = {
    "web": ("plans/web", [("case_page.txt", "case page", 2), ("desk.txt", "desk", 2)]),
    "sharing": ("plans", [("my_entries_shared.txt", "my entries (list)", 1)]),
}


def number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}".replace(",", " ")
        return f"{value:.3g}" if abs(value) < 10 else f"{value:.4g}".rstrip("0").rstrip(".")
    if isinstance(value, int) and abs(value) >= 10000:
        return f"{value:,}".replace(",", " ")
    return str(value)


def when(run: dict[str, Any] | None) -> str:
    if not run:
        return ""
    commit = str(run.get("commit") or run.get("git_commit") or "")
    short = commit[:8] + ("+" if commit.endswith("+uncommitted") else "")
    return f"{short} {str(run.get('date', ''))[:16].replace('T', ' ')}".strip()


def row(name: str, entry: dict[str, Any], runs: dict[str, Any]) -> str:
    baseline = ""
    if entry.get("baseline") is not None:
        baseline = f"{number(entry['baseline'])} (`{entry['baseline_metric']}`)"
    elif entry.get("to"):  # two figures of the same run, neither the other's baseline
        baseline = f"ratio of `{entry['of']}` to `{entry['to']}`"
    elif entry.get("role") in ("baseline", "ratio"):
        baseline = f"{entry['role']} of `{entry['of']}`"
    ratio = number(entry.get("ratio"))
    if ratio and entry.get("ratio_metric"):
        ratio += f" (`{entry['ratio_metric']}`)"
    target = entry.get("target", "")
    if target:
        target += " ✓" if entry.get("met") else " ✗"
    return (f"| `{name}` | {number(entry['value'])} | {entry.get('unit', '')} | {baseline} | "
            f"{ratio} | {target} | {when(runs.get(entry.get('run', '')))} |")


HEADER = ("| metric | value | unit | baseline (same run) | ratio | target | commit, date (UTC) |\n"
          "| --- | ---: | --- | --- | --- | --- | --- |")


def metrics_table(document: dict[str, Any]) -> str:
    metrics, runs = document["metrics"], document["runs"]
    pending = {p["metric"]: p["reason"] for p in document.get("pending", [])}
    lines = [HEADER]
    for name in REQUIRED:
        if name in metrics:
            lines.append(row(name, metrics[name], runs))
        else:
            lines.append(f"| `{name}` | — | | | | | pending: {pending.get(name, '')} |")
    others = [name for name in metrics if name not in REQUIRED]
    data = ", ".join(f"{k.replace('_', ' ')} {number(v)}" for k, v in document["data"].items())
    without = [f"- `{name}`: {why}." for name, why in NO_BASELINE.items()]
    lines += [
        "", f"Data: {data}.", "",
        "Without a baseline (`baseline` and `ratio` null in results.json):", *without, "",
        f"<details><summary>Every other figure ({len(others)})</summary>", "", HEADER,
        *(row(name, metrics[name], runs) for name in others), "", "</details>",
    ]
    return "\n".join(lines)


def plan_queries(path: Path, page: str) -> list[dict[str, Any]]:
    """The queries of one plans file that have an EXPLAIN ANALYZE plan, with their times."""
    found = []
    text = path.read_text(encoding="utf-8")
    for chunk in re.split(r"^## query ", text, flags=re.MULTILINE)[1:]:
        head, _, rest = chunk.partition("\n")
        sql, _, plan = rest.strip("\n").partition("\n")
        plan = plan.strip("\n").removeprefix("### plan").strip("\n")
        execution = re.search(r"^Execution Time: ([\d.]+) ms", plan, flags=re.MULTILINE)
        if not execution:
            continue
        planning = re.search(r"^Planning Time: ([\d.]+) ms", plan, flags=re.MULTILINE)
        found.append({"page": page, "file": path, "query": head.split()[0], "sql": sql,
                      "plan": plan, "execution_ms": float(execution.group(1)),
                      "planning_ms": float(planning.group(1)) if planning else 0.0})
    return found


def slowest_queries(document: dict[str, Any], bench_dir: Path) -> str:
    queries = []
    for run_name, (folder, files) in PLAN_FILES.items():
        listed = set((document["runs"].get(run_name) or {}).get("plans") or [])
        for file_name, page, count in files:
            path = bench_dir / folder / file_name
            if file_name in listed and path.exists():
                found = sorted(plan_queries(path, page),
                               key=lambda q: -(q["execution_ms"] + q["planning_ms"]))
                queries += found[:count]
    if not queries:
        return "No plans recorded yet (bench_web.py and bench_sharing.py write them)."
    queries.sort(key=lambda q: -(q["execution_ms"] + q["planning_ms"]))
    lines = [
        "The slowest two queries of the case page and of the desk and the slowest of the "
        "\"my entries\" list, by planning + execution time in `EXPLAIN (ANALYZE, BUFFERS, "
        "SETTINGS)`, run once more after the measurement (every query of each page, and more "
        "plans: `bench/plans/web/`, `bench/plans/`):", ""]
    for q in queries:
        where = q["file"].relative_to(ROOT)
        sql = q["sql"] if len(q["sql"]) <= 300 else q["sql"][:300] + " …"
        lines += [
            f"**{q['page']}, query {q['query']}** — execution {q['execution_ms']:.2f} ms, "
            f"planning {q['planning_ms']:.2f} ms (`{where}`)", "",
            "```sql", sql, "```", "",
            "<details><summary>plan</summary>", "", "```", q["plan"], "```", "", "</details>", ""]
    return "\n".join(lines).rstrip("\n")


def replace_between(text: str, begin: str, end: str, body: str) -> str:
    if begin not in text or end not in text:
        raise SystemExit(f"bench: {README.name} lacks the markers {begin} … {end}")
    head, rest = text.split(begin, 1)
    _old, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}\n{end}{tail}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default=str(RESULTS))
    parser.add_argument("--readme", default=str(README))
    parser.add_argument("--print", dest="stdout", action="store_true",
                        help="print the table instead of writing the README")
    args = parser.parse_args()
    document = read_results(Path(args.results))
    table = metrics_table(document)
    if args.stdout:
        print(table)
        return
    readme = Path(args.readme)
    text = replace_between(readme.read_text(encoding="utf-8"), METRICS_BEGIN, METRICS_END, table)
    text = replace_between(text, SLOWEST_BEGIN, SLOWEST_END,
                           slowest_queries(document, Path(args.results).resolve().parent))
    readme.write_text(text, encoding="utf-8")
    print(f"bench: the figures of {args.results} in {readme}")


if __name__ == "__main__":
    main()
