"""PostgreSQL stopped and started again while the app is under load: the web and the API answer
503 (a page, a problem document; Retry-After) during the outage and never 500; the same server
process works again afterwards; every write is whole (a concern with its audit event, or
nothing); and the audit log's sequencer, running throughout, leaves no index out."""

import subprocess
import threading
import time
import uuid
from dataclasses import dataclass

import pytest
import requests

from tests.faults.conftest import MANAGE, ROOT, manage

pytestmark = pytest.mark.postgres_only

CONCERNS = "/api/v1/concerns"


@dataclass
class Answer:
    at: float
    status: int  # 0: no answer (connection refused or reset)
    content_type: str = ""
    retry_after: str = ""
    body: str = ""


def _answer(call) -> Answer:
    at = time.monotonic()
    try:
        response = call()
    except requests.RequestException:
        return Answer(at, 0)
    return Answer(at, response.status_code, response.headers.get("Content-Type", ""),
                  response.headers.get("Retry-After", ""), response.text[:3000])


def _concern(key: str) -> dict[str, str]:
    return {"district": "030111", "given_name": "Sara", "family_name": "Syntetisk",
            "text": f"Lasttest {key}", "birth_date": "2012-03-01"}


def test_postgresql_restart_under_load(cluster, server, seeded):
    sequencer = subprocess.Popen([*MANAGE, "audit", "-v", "0", "sequencer", "--interval", "0.3"],
                                 env=cluster.env(LAGET_VAR_DIR=str(server.var_dir)), cwd=ROOT,
                                 stderr=subprocess.PIPE, text=True)
    headers = {"Authorization": f"Bearer {seeded['token']}"}
    cookies = {"sessionid": seeded["session"]}
    stop = threading.Event()
    posts: list[tuple[str, Answer]] = []
    pages: list[Answer] = []

    def writer(n: int) -> None:
        i = 0
        while not stop.is_set():
            key = f"w{n}-{i}-{uuid.uuid4().hex[:6]}"
            answer = _answer(lambda key=key: server.post(
                CONCERNS, json=_concern(key), headers={**headers, "Idempotency-Key": key}))
            posts.append((key, answer))
            i += 1
            time.sleep(0.02 if answer.status == 202 else 0.2)  # a client backs off

    def reader() -> None:
        while not stop.is_set():
            pages.append(_answer(lambda: server.get("/", cookies=cookies)))
            time.sleep(0.05)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    threads.append(threading.Thread(target=reader))
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        assert sequencer.poll() is None, "the sequencer did not start"
        cluster.stop()
        down_at = time.monotonic()
        time.sleep(2.0)
        cluster.start()
        up_at = time.monotonic()
        time.sleep(2.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    # Never a 500; while PostgreSQL was away, 503 with Retry-After in the right shape.
    assert {a.status for _key, a in posts} <= {202, 503}, sorted({a.status for _k, a in posts})
    assert {a.status for a in pages} <= {200, 503}, sorted({a.status for a in pages})
    api_down = [a for _key, a in posts if a.status == 503]
    pages_down = [a for a in pages if a.status == 503]
    assert api_down, "no API call met the outage"
    assert pages_down, "no page met the outage"
    for answer in api_down:
        assert answer.content_type == "application/problem+json"
        assert answer.retry_after.isdigit()
        assert '"status": 503' in answer.body
    for answer in pages_down:
        assert answer.content_type.startswith("text/html")
        assert answer.retry_after.isdigit()
        assert "Laget er midlertidig utilgjengelig" in answer.body
    assert all(down_at - 1 <= a.at <= up_at + 1 for a in api_down + pages_down)
    # The same server process recovered by itself.
    assert server.process.poll() is None
    assert any(a.status == 202 for _key, a in posts if a.at > up_at)
    assert any(a.status == 200 for a in pages if a.at > up_at)
    assert server.get("/", cookies=cookies).status_code == 200

    # A client retries what was refused, under the same key: replayed if it did commit.
    accepted = {key for key, a in posts if a.status == 202}
    for key, answer in posts:
        if answer.status != 202:
            retry = server.post(CONCERNS, json=_concern(key),
                                headers={**headers, "Idempotency-Key": key})
            assert retry.status_code == 202, retry.text
            accepted.add(key)

    # Whole writes: one concern per key, each with its audit event; no event without its concern.
    with cluster.connect() as conn:
        concerns = dict(conn.execute(
            "SELECT text, id::text FROM cases_concern WHERE text LIKE 'Lasttest %'").fetchall())
        events = {row[0] for row in conn.execute(
            "SELECT object_id FROM audit_auditevent WHERE action = 'concern.submit'")}
        keys = {row[0] for row in conn.execute("SELECT key FROM apiclients_idempotencyrecord")}
    assert set(concerns) == {f"Lasttest {key}" for key in accepted}
    assert set(concerns.values()) == events
    assert keys == accepted

    # The sequencer lived through the outage and catches up: every event in the log, signed,
    # no index left out.
    deadline = time.monotonic() + 15
    while True:
        with cluster.connect() as conn:
            count, unsequenced, low, high = conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE log_index IS NULL), min(log_index),"
                " max(log_index) FROM audit_auditevent").fetchone()
            signed = conn.execute("SELECT max(size) FROM audit_checkpoint").fetchone()[0]
        if (unsequenced, signed) == (0, count) or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert sequencer.poll() is None, sequencer.stderr.read() if sequencer.stderr else ""
    sequencer.terminate()
    sequencer.wait(timeout=30)
    assert (unsequenced, signed) == (0, count)
    assert (low, high) == (0, count - 1)
    verify = manage(cluster, server.var_dir, "audit", "verify")
    assert verify.returncode == 0, verify.stderr
    assert f"verified {count} entries" in verify.stdout


def test_the_outage_page_needs_no_database(cluster, server, seeded):
    """With PostgreSQL away before the request comes in (the session and the token cannot be
    read), the page and the API still answer 503 in their own shapes."""
    cluster.stop()
    try:
        page = server.get("/", cookies={"sessionid": seeded["session"]})
        api = server.post(CONCERNS, json=_concern("down"),
                          headers={"Authorization": "Bearer lgt_x_y", "Idempotency-Key": "k"})
    finally:
        cluster.start()
    assert (page.status_code, page.headers["Retry-After"]) == (503, "10")
    assert 'href="/"' in page.text and "pkt-container" in page.text
    assert (api.status_code, api.headers["Content-Type"]) == (503, "application/problem+json")
    assert api.json()["status"] == 503
    assert server.get("/", cookies={"sessionid": seeded["session"]}).status_code == 200

