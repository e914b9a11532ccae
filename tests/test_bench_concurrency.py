"""bench/bench_concurrency.py's own arithmetic and bookkeeping, without a server: the percentiles,
errors and ratios per page, the order in which users send the pages, the peak memory read from
/proc, and the names of the figures it writes. (The benchmark itself starts gunicorn and a task
worker and needs a seeded PostgreSQL database: its `--quick` run takes about a minute, too long
for the suite.)"""

import os
import sys
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import bench_concurrency as bench


def member(*, desk: bool, cases: int = 3) -> bench.Member:
    return bench.Member(
        user=None, cookie=f"sessionid={uuid.uuid4().hex}", csrf="c" * 32, desk=desk,
        cases=tuple((str(uuid.uuid4()), str(uuid.uuid4()), f"Etternavn{n}") for n in range(cases)))


def test_page_figures_percentiles_errors_and_ratio_to_the_bare_view() -> None:
    rows = [("case_page", float(ms), "200") for ms in range(1, 101)]
    rows += [("bare", float(ms) / 10, "200") for ms in range(1, 101)]
    rows += [("case_page", 5000.0, "500"), ("desk", 1.0, "no response: ConnectionResetError")]
    figures = bench.page_figures(rows)

    case, bare = figures["case_page"], figures["bare"]
    # benchlib's percentile over the 200s only: an error's time is not in the percentiles
    answered = [float(ms) for ms in range(1, 101)]
    assert case["p50_ms"] == bench.percentile(answered, 50) == 50.0
    assert case["p95_ms"] == bench.percentile(answered, 95) > 90.0
    assert case["max_ms"] == 100.0
    assert case["requests"] == 101 and case["errors"] == 1
    assert case["error_kinds"] == {"status 500": 1}
    assert bare["p95_ms"] == case["p95_ms"] / 10
    assert case["ratio"] == 10.0
    assert figures["desk"]["p95_ms"] is None and figures["desk"]["ratio"] is None
    assert figures["desk"]["error_kinds"] == {"no response: ConnectionResetError": 1}
    assert "ratio" not in figures["bare"]
    assert figures["search"]["requests"] == 0


def test_schedule_interleaves_the_pages_and_hands_the_desk_to_coordinators() -> None:
    members = [member(desk=True), member(desk=False), member(desk=False)]
    schedule = bench.Schedule(members, seed=1)
    # one user goes round the five pages in turn; the next user starts one page later
    assert [schedule.next(0, step).page for step in range(5)] == list(bench.PAGES)
    assert [schedule.next(1, step).page for step in range(5)] == [*bench.PAGES[1:],
                                                                  bench.PAGES[0]]
    requests = [schedule.next(user, step) for user in range(10) for step in range(20)]
    assert Counter(r.page for r in requests) == dict.fromkeys(bench.PAGES, 40)
    assert {r.cookie for r in requests if r.page == "desk"} == {members[0].cookie}
    assert {r.cookie for r in requests if r.page == "case_page"} == {m.cookie for m in members}
    search = next(r for r in requests if r.page == "search")
    assert search.method == "POST" and b"csrfmiddlewaretoken=" + b"c" * 32 in search.body
    innsyn = next(r for r in requests if r.page == "innsyn")
    assert innsyn.path.startswith("/personer/") and innsyn.path.endswith("?anmodning=person")
    assert next(r for r in requests if r.page == "bare").path == bench.BARE_PATH


def test_peak_memory_of_this_process_and_its_children() -> None:
    peaks = bench.peak_mb([os.getpid(), 2 ** 22 + 1])  # the second pid cannot exist: left out
    assert list(peaks) == [os.getpid()]
    current = bench.status_kb(os.getpid(), "VmRSS")
    assert current is not None and peaks[os.getpid()] * 1024 >= current * 0.99
    assert os.getpid() in bench.children(os.getppid())


def test_metric_names_per_level_and_page() -> None:
    pages = {page: {"p50_ms": 1.0, "p95_ms": 2.0, "errors": 0, "ratio": 2.0}
             for page in bench.PAGES}
    levels = {f"c{n}": {"pages": pages, "requests": 5, "rps": 1.0} for n in (1, 10, 50)}
    metrics = bench.metrics_of(levels, {"web_rss_mb": 150.0, "worker_rss_mb": 100.0})
    for level in ("c1", "c10", "c50"):
        for page in bench.PAGES:
            assert f"web.{level}.{page}_p50_ms" in metrics
            assert f"web.{level}.{page}_p95_ms" in metrics
            assert (f"web.{level}.{page}_ratio" in metrics) == (page != "bare")
    assert (metrics["mem.web_rss_mb"], metrics["mem.worker_rss_mb"]) == (150.0, 100.0)
    baselines = bench.baselines_of(levels)
    assert baselines["web.c10.innsyn_p95_ms"] == ["web.c10.bare_p95_ms", "web.c10.innsyn_ratio"]

