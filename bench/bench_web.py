"""The case page and the SaLTo coordinator's desk at city scale, through Django's whole request
path, side by side with a bare view in the same run.

In one process, with django.test.Client and a logged-in session verified with a second factor
(as after the real two-step login), for the bydel coordinator who is on the most open cases:
- GET /saker/<id>/ — the case page — for the coordinator's cases in turn;
- GET /skrivebord/ — the coordinator's desk;
- GET /bench/bare/ — a view that returns a two-byte response (bench/web_urls.py), through the
  same middleware stack (session, user, second factor, CSRF, CSP, messages, axes …).
Interleaved (A B C, then C B A, …) after a warm-up, on the `seed_scale` data (with the cases'
workflow: plans, tasks, meetings, status history, `seed_scale --workflow`) in PostgreSQL, DEBUG
off. Afterwards each page is requested once more under CaptureQueriesContext to count its SQL
queries (every case in the sample, and the desk of the coordinator with the fewest cases beside
the one with the most: a count that grows with the data is a bug), and the queries of the
busiest case page and of the desk are written with their plans to bench/plans/web/.
Writes the figures to bench/results.json (the `web.*` keys and a `web` block); see
bench/README.md.

Run with `make bench` / `LAGET_BENCH_ONLY=web scripts/bench.sh` (which create and seed the
`laget_bench` database), or directly with DATABASE_URL pointing at a seeded PostgreSQL database.
"""

import argparse
import datetime as dt
import os
import random
import secrets
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Static files: plain storage, not the hashed manifest, so that no collectstatic (two minutes
# here) is needed; `{% static %}` then joins a path instead of looking one up in a dict.
os.environ.setdefault("LAGET_STATIC_MANIFEST", "0")

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
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from laget.accounts.models import AgencyType, Membership, Role, User  # noqa: E402
from laget.accounts.services import totp_device_set  # noqa: E402
from laget.cases.models import (  # noqa: E402
    CaseStatusChange,
    Concern,
    GuardianContact,
    Meeting,
    MeetingParticipant,
    Plan,
    Task,
)
from laget.core import clock  # noqa: E402
from laget.demo.scale import (  # noqa: E402
    CODE_PREFIX,
)
from laget.people.models import Person  # noqa: E402
from laget.records.access import entries_opened  # noqa: E402
from laget.records.models import OPEN_STATUSES, Case, Entry, TeamMember  # noqa: E402

URLCONF = "web_urls"  # bench/web_urls.py (this script's folder is on sys.path)
TARGETS = ("case", "desk", "bare")


# --- the data ------------------------------------------------------------------------------------

def coordinators_by_load() -> list[tuple[Membership, list[Any]]]:
    """The bydeler's SaLTo coordinators (scale seed) with the open cases of their bydel they are
    on the team of today, most cases first (ties by user id): deterministic."""
    today = clock.today()
    memberships = {
        (m.user_id, m.agency_id): m for m in
        Membership.objects.active().filter(role=Role.COORDINATOR, agency__type=AgencyType.BYDEL,
                                           agency__code__startswith=CODE_PREFIX)
        .select_related("user", "agency")
    }
    cases: dict[tuple[int, Any], list[Any]] = {key: [] for key in memberships}
    rows = (
        TeamMember.objects.active(today)
        .filter(agency__type=AgencyType.BYDEL, agency__code__startswith=CODE_PREFIX,
                case__status__in=sorted(OPEN_STATUSES))
        .order_by("case_id").values_list("user_id", "agency_id", "case_id", "case__district_id",
                                         "agency__district_id")
    )
    for user_id, agency_id, case_id, case_district, agency_district in rows:
        if (user_id, agency_id) in cases and case_district == agency_district:
            cases[(user_id, agency_id)].append(case_id)
    ranked = sorted(memberships.items(), key=lambda item: (-len(cases[item[0]]), item[0][0]))
    return [(m, cases[key]) for key, m in ranked if cases[key]]


def verified_client(user: User) -> Client:
    """A client with a session as after the two-step login: password (force_login) and a
    verified TOTP device in the session (as the `login` fixture in conftest.py). Requests are
    HTTPS, as behind the TLS-ending proxy (no redirect, secure cookies)."""
    device = user.totpdevice_set.filter(confirmed=True).first() or totp_device_set(
        user=user, key_hex=secrets.token_hex(20))
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def sizes() -> dict[str, int]:
    with entries_opened():
        entries = Entry.objects.count()
    return {
        "persons": Person.objects.count(), "entries": entries, "cases": Case.objects.count(),
        "open_cases": Case.objects.open().count(), "team_members": TeamMember.objects.count(),
        "status_changes": CaseStatusChange.objects.count(), "plans": Plan.objects.count(),
        "tasks": Task.objects.count(), "overdue_tasks": Task.objects.overdue().count(),
        "meetings": Meeting.objects.count(),
        "meeting_participants": MeetingParticipant.objects.count(),
        "guardian_contacts": GuardianContact.objects.count(),
        "concerns": Concern.objects.count(),
    }


def case_sizes(case_ids: list[Any]) -> dict[Any, dict[str, int]]:
    """What each case holds, to set beside its page's query count."""
    found: dict[Any, dict[str, int]] = {pk: {} for pk in case_ids}
    with entries_opened():
        counts: dict[str, Any] = {
            "entries": Entry.objects.filter(case_id__in=case_ids).values("case_id")
            .annotate(n=Count("id")).values_list("case_id", "n"),
        }
    counts |= {
        "team": TeamMember.objects.filter(case_id__in=case_ids).values("case_id")
        .annotate(n=Count("id")).values_list("case_id", "n"),
        "tasks": Task.objects.filter(plan__case_id__in=case_ids).values("plan__case_id")
        .annotate(n=Count("id")).values_list("plan__case_id", "n"),
        "meetings": Meeting.objects.filter(case_id__in=case_ids).values("case_id")
        .annotate(n=Count("id")).values_list("case_id", "n"),
        "status_changes": CaseStatusChange.objects.filter(case_id__in=case_ids)
        .values("case_id").annotate(n=Count("id")).values_list("case_id", "n"),
        "guardian_contacts": GuardianContact.objects.filter(case_id__in=case_ids)
        .values("case_id").annotate(n=Count("id")).values_list("case_id", "n"),
    }
    with entries_opened():
        for name, rows in counts.items():
            for pk, n in rows:
                found[pk][name] = n
    return {pk: {name: values.get(name, 0) for name in counts} for pk, values in found.items()}


# --- measuring -----------------------------------------------------------------------------------

def get(client: Client, url: str) -> tuple[float, int]:
    """One GET through the whole request path; milliseconds and the body's size. Anything but
    200 stops the benchmark (a redirect to the login would measure the wrong page)."""
    start = time.perf_counter()
    response = client.get(url, secure=True)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        where = response.headers.get("Location", "")
        raise SystemExit(f"bench: GET {url} gave {response.status_code} {where}".rstrip())
    return elapsed, len(response.content)


def counted(client: Client, url: str) -> tuple[int, float, list[dict[str, str]]]:
    """The SQL queries one GET makes: their number, their summed time (ms, as the debug cursor
    sees it) and the queries."""
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    queries = captured.captured_queries
    return len(queries), round(sum(float(q["time"]) for q in queries) * 1000, 1), queries


def run(args: argparse.Namespace, client: Client, case_urls: list[str], desk_url: str | None,
        bare_url: str) -> dict[str, Any]:
    times: dict[str, list[float]] = {name: [] for name in TARGETS}
    pairs: dict[str, list[float]] = {"case": [], "desk": []}
    body: dict[str, list[int]] = {name: [] for name in TARGETS}
    for iteration in range(args.warmup + args.iterations):
        urls = {"case": case_urls[iteration % len(case_urls)], "desk": desk_url,
                "bare": bare_url}
        order = list(TARGETS) if iteration % 2 == 0 else list(reversed(TARGETS))
        got: dict[str, tuple[float, int]] = {}
        for name in order:
            url = urls[name]
            if url is not None:
                got[name] = get(client, url)
        if iteration < args.warmup:
            continue
        for name, (ms, size) in got.items():
            times[name].append(ms)
            body[name].append(size)
        for name in ("case", "desk"):
            if name in got:
                pairs[name].append(got[name][0] / got["bare"][0])
    figures = {name: summary(values) for name, values in times.items() if values}
    result: dict[str, Any] = {
        "figures_ms": figures,
        "body_bytes_median": {n: int(statistics.median(v)) for n, v in body.items() if v},
        "case_page_ratio": round(figures["case"]["p95_ms"] / figures["bare"]["p95_ms"], 2),
        "case_page_ratio_median_pair": round(statistics.median(pairs["case"]), 2),
    }
    if "desk" in figures:
        result["desk_ratio"] = round(figures["desk"]["p95_ms"] / figures["bare"]["p95_ms"], 2)
        result["desk_ratio_median_pair"] = round(statistics.median(pairs["desk"]), 2)
    return result


# --- queries and plans ---------------------------------------------------------------------------

def explain_analyze(sql: str) -> str:
    if connection.vendor == "sqlite":  # bench_sqlite.py's laptop run: the plan, no times
        return sqlite_query_plan(sql)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, SETTINGS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def write_queries(directory: Path, name: str, title: str, queries: list[dict[str, str]],
                  slowest: int = 5) -> None:
    """Every query of one request with its time, and the plans of the slowest SELECTs."""
    total = sum(float(q["time"]) for q in queries) * 1000
    parts = [f"# {title}", f"# {len(queries)} queries, {total:.1f} ms in the database cursor", ""]
    selects = [i for i, q in enumerate(queries) if q["sql"].lstrip().upper().startswith("SELECT")]
    explained = set(sorted(selects, key=lambda i: -float(queries[i]["time"]))[:slowest])
    for number, query in enumerate(queries):
        parts += [f"## query {number + 1} ({float(query['time']) * 1000:.2f} ms)", query["sql"],
                  ""]
        if number in explained:
            parts += ["### plan", explain_analyze(query["sql"]), ""]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.txt").write_text("\n".join(parts), encoding="utf-8")


def query_counts(args: argparse.Namespace, client: Client, case_ids: list[Any],
                 desk_url: str | None, bare_url: str,
                 small: tuple[Membership, list[Any]] | None) -> dict[str, Any]:
    """Count each page's queries: every case page of the sample (beside what each case holds),
    the desk of the busiest and of the least busy coordinator, the bare view."""
    per_case = {}
    queries_of: dict[Any, list[dict[str, str]]] = {}
    for pk in case_ids:
        n, db_ms, queries = counted(client, case_url(pk))
        per_case[pk] = (n, db_ms)
        queries_of[pk] = queries
    held = case_sizes(case_ids)
    counts = sorted(n for n, _ms in per_case.values())
    fewest = min(case_ids, key=lambda pk: (per_case[pk][0], str(pk)))
    most = max(case_ids, key=lambda pk: (per_case[pk][0], str(pk)))
    busiest = max(case_ids, key=lambda pk: (held[pk]["entries"] + 10 * held[pk]["tasks"]
                                            + 10 * held[pk]["meetings"], str(pk)))
    result: dict[str, Any] = {
        "case_page": {
            "min": counts[0], "median": counts[len(counts) // 2], "max": counts[-1],
            "by_count": {str(n): counts.count(n) for n in sorted(set(counts))},
            "db_ms_median": round(statistics.median(ms for _n, ms in per_case.values()), 1),
            "fewest": {"queries": per_case[fewest][0], "holds": held[fewest]},
            "most": {"queries": per_case[most][0], "holds": held[most]},
            "busiest_case": {"queries": per_case[busiest][0], "holds": held[busiest]},
        },
    }
    plans = Path(args.plans)
    write_queries(plans, "case_page", f"GET the case page of the sample's busiest case, "
                  f"holding {held[busiest]}", queries_of[busiest])
    if per_case[most][0] != per_case[fewest][0]:  # to compare: what the extra queries are
        for name, pk in (("case_page_fewest_queries", fewest), ("case_page_most_queries", most)):
            write_queries(plans, name, f"GET the case page of the case holding {held[pk]}",
                          queries_of[pk], slowest=0)
    n, db_ms, _queries = counted(client, bare_url)
    result["bare"] = {"queries": n, "db_ms": db_ms}
    if desk_url is not None:
        n, db_ms, queries = counted(client, desk_url)
        result["desk"] = {"queries": n, "db_ms": db_ms}
        write_queries(plans, "desk", "GET the desk of the coordinator on the most cases",
                      queries)
        if small is not None:
            membership, cases = small
            other = verified_client(membership.user)
            n_small, _ms, _q = counted(other, desk_url)
            result["desk_fewest_cases"] = {"queries": n_small, "cases": len(cases)}
    return result


def case_url(pk: Any) -> str:
    return reverse("web:case_detail", kwargs={"case_id": pk})


def desk_url_or_none() -> str | None:
    try:
        return reverse("web:desk")
    except NoReverseMatch:  # the desk is not built yet
        return None


# --- the run -------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--cases", type=int, default=50,
                        help="how many of the coordinator's cases the case page rotates over")
    add_scale_arguments(parser)
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--plans", default=str(ROOT / "bench" / "plans" / "web"))
    args = parse_arguments(parser, {"iterations": 20, "warmup": 3, "cases": 10,
                                    "plans": str(ROOT / "bench" / "plans-quick" / "web")})
    if connection.vendor not in ("postgresql", "sqlite"):  # SQLite: bench_sqlite.py
        raise SystemExit("bench: the web benchmark runs on PostgreSQL (set DATABASE_URL)")
    if settings.DEBUG:
        raise SystemExit("bench: DEBUG is on; run with DEBUG=0 (scripts/bench.sh does)")

    size = scale_size(args)
    ensure_scale_seed(size, args.seed, workflow=True)
    ranked = coordinators_by_load()
    if not ranked:
        raise SystemExit("bench: no coordinator is on an open case; is the database seeded?")
    membership, cases = ranked[0]
    small = ranked[-1] if len(ranked) > 1 else None
    sample = sorted(cases, key=str)
    random.Random(args.seed).shuffle(sample)
    sample = sample[:args.cases]

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise looks there
    with override_settings(ROOT_URLCONF=URLCONF, ALLOWED_HOSTS=["testserver"]):
        from web_urls import BARE_PATH

        desk_url = desk_url_or_none()
        if desk_url is None:
            print("bench: the coordinator's desk (URL name web:desk) does not exist yet; "
                  "measuring the case page and the bare view only", flush=True)
        client = verified_client(membership.user)
        for old in Path(args.plans).glob("*.txt"):
            old.unlink()
        started = dt.datetime.now(dt.UTC)
        load_before = os.getloadavg()
        result = run(args, client, [case_url(pk) for pk in sample], desk_url, BARE_PATH)
        load_after = os.getloadavg()
        queries = query_counts(args, client, sample, desk_url, BARE_PATH, small)

    figures = result["figures_ms"]
    metrics: dict[str, float] = {
        "web.case_page_p50_ms": figures["case"]["p50_ms"],
        "web.case_page_p95_ms": figures["case"]["p95_ms"],
        "web.bare_p50_ms": figures["bare"]["p50_ms"],
        "web.bare_p95_ms": figures["bare"]["p95_ms"],
        "web.case_page_ratio": result["case_page_ratio"],
        "web.case_page_ratio_median_pair": result["case_page_ratio_median_pair"],
        "web.case_page_queries_max": queries["case_page"]["max"],
        "web.bare_queries": queries["bare"]["queries"],
    }
    if "desk" in figures:
        metrics |= {
            "web.desk_p50_ms": figures["desk"]["p50_ms"],
            "web.desk_p95_ms": figures["desk"]["p95_ms"],
            "web.desk_ratio": result["desk_ratio"],
            "web.desk_ratio_median_pair": result["desk_ratio_median_pair"],
            "web.desk_queries": queries["desk"]["queries"],
        }
    block = {
        "date": started.isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "machine": machine(),
        "load_average_1min": {"before": round(load_before[0], 2),
                              "after": round(load_after[0], 2)},
        "seed": {**size.as_dict(), "seed": args.seed},
        "sizes": sizes(),
        "settings": {"DEBUG": settings.DEBUG, "static_manifest": settings.STATIC_MANIFEST,
                     "client": "django.test.Client in the process, HTTPS, one session",
                     "database_connection": "persistent (the test client keeps it open)"},
        "iterations": args.iterations, "warmup": args.warmup,
        "coordinator": {
            "district": membership.agency.district_id, "open_cases_on_team": len(cases),
            "case_sample": len(sample),
            "coordinators_ranked": len(ranked),
            "fewest_cases_coordinator": len(small[1]) if small else None,
        },
        "desk_measured": desk_url is not None,
        **result,
        "queries": queries,
        "plans": sorted(p.name for p in Path(args.plans).glob("*.txt")),
    }
    path = Path(args.results)
    merge_results(path, "web", metrics, block)
    print_figures(metrics)
    spread = queries["case_page"]
    print(f"case page queries: {spread['by_count']} (count: cases); fewest {spread['fewest']}, "
          f"most {spread['most']}")
    if "desk" in queries:
        print(f"desk queries: {queries['desk']['queries']} for {len(cases)} cases; "
              f"{queries.get('desk_fewest_cases')} for the coordinator with the fewest")
    print(f"bench: wrote {path} and the queries in {args.plans}")


if __name__ == "__main__":
    main()
