"""The outbox with real worker processes: `manage.py db_worker --batch` delivers what a committed
transaction queued; a worker killed (SIGKILL) mid-delivery is replaced once its lease runs out
and the gateway sees the same key twice, so it sends once; several processes delivering at once
never send a message twice; on PostgreSQL a claimer skips rows another holds (SKIP LOCKED)."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction
from django_tasks_db.models import DBTaskResult

from laget.notify import services
from laget.notify.models import Channel, Message, MessageStatus
from laget.notify.services import enqueue
from laget.notify.tasks import deliver_due_messages

ROOT = Path(__file__).resolve().parents[3]
WORKER = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--no-startup-delay",
          "--no-reload", "-v0"]


def _env(**extra: str) -> dict[str, str]:
    """This test's database (and the given settings) for another process."""
    s = connection.settings_dict
    env = dict(os.environ)
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{s['NAME']}"
    else:
        env["DATABASE_URL"] = (f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}"
                               f":{s['PORT'] or 5432}/{s['NAME']}")
    env.update(extra)
    return env


def _gateway_env(gateway, **extra: str) -> dict[str, str]:
    return _env(LAGET_NOTIFY_SMS_URL=gateway.url, LAGET_NOTIFY_SMS_TOKEN="test-token-123",
                **extra)


def _sms(key: str) -> Message:
    message = enqueue(channel=Channel.SMS, to="99999999", subject="", body=f"Melding {key}",
                      key=key)
    assert message is not None
    return message


@pytest.mark.django_db(transaction=True)
def test_db_worker_delivers_what_a_commit_queued(sms_gateway, smtp_server, tmp_path):
    with transaction.atomic():
        sms = _sms("w-sms")
        mail = enqueue(channel=Channel.EMAIL, to="leder@bydel.example", subject="Emne",
                       body="Tekst", key="w-mail")
        console = enqueue(channel=Channel.CONSOLE, to="user:1", subject="Emne", body="Tekst",
                          key="w-console")
    assert DBTaskResult.objects.count() == 3
    env = _gateway_env(
        sms_gateway, EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST=smtp_server.host, EMAIL_PORT=str(smtp_server.port),
        LAGET_NOTIFY_CONSOLE_FILE=str(tmp_path / "console.log"))
    subprocess.run(WORKER, env=env, cwd=ROOT, check=True, timeout=120)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert [r.payload["reference"] for r in sms_gateway.requests] == [str(sms.pk)]
    assert [to for to, _email in smtp_server.received] == [["leder@bydel.example"]]
    assert smtp_server.received[0][1]["Message-ID"] == f"<{mail.delivery_key}@laget.invalid>"
    assert f"key={console.delivery_key}" in (tmp_path / "console.log").read_text()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_is_replaced_and_the_gateway_sends_once(sms_gateway):
    sms_gateway.hold.set()  # the first request hangs until the worker is killed
    with transaction.atomic():
        message = _sms("kill-1")
    worker = subprocess.Popen(WORKER, env=_gateway_env(sms_gateway, LAGET_NOTIFY_LEASE_SECONDS="2"),
                              cwd=ROOT)
    try:
        assert sms_gateway.holding.wait(timeout=60), "the worker never reached the gateway"
    finally:
        worker.kill()
        worker.wait(timeout=30)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENDING, 1)
    # The scheduler's sweep, once the dead worker's lease has run out.
    time.sleep(max(0.0, (message.lease_until - services.clock.now()).total_seconds()) + 0.2)
    deliver_due_messages.enqueue()
    subprocess.run(WORKER, env=_gateway_env(sms_gateway), cwd=ROOT, check=True, timeout=120)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert sms_gateway.keys() == [message.delivery_key] * 2
    assert list(sms_gateway.delivered()) == [message.delivery_key]


DELIVER = """
import os, sys, time, django
django.setup()
from laget.notify.services import deliver_due
ready, go = sys.argv[1], sys.argv[2]
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.005)
print(deliver_due().as_dict()["sent"])
"""


@pytest.mark.django_db(transaction=True)
def test_processes_delivering_at_once_never_send_a_message_twice(sms_gateway, tmp_path):
    count, processes = 40, 3
    with transaction.atomic():
        messages = [_sms(f"many-{i}") for i in range(count)]
    go, ready = tmp_path / "go", [tmp_path / f"ready-{i}" for i in range(processes)]
    env = _gateway_env(sms_gateway, LAGET_NOTIFY_BATCH_SIZE="4")
    workers = [subprocess.Popen([sys.executable, "-c", DELIVER, str(ready[i]), str(go)], env=env,
                                cwd=ROOT, stdout=subprocess.PIPE, text=True)
               for i in range(processes)]
    deadline = time.monotonic() + 60
    while not all(path.exists() for path in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()  # all of them at once
    sent = [int(w.communicate(timeout=120)[0].strip() or 0) for w in workers]
    assert [w.returncode for w in workers] == [0] * processes
    assert sum(sent) == count
    assert sorted(sms_gateway.keys()) == sorted(m.delivery_key for m in messages)
    assert set(Message.objects.values_list("status", "attempts")) == {(MessageStatus.SENT, 1)}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_claimer_skips_messages_another_worker_holds():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's")
    held, free = _sms("held"), _sms("free")
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Message.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # a claimer that waited would fail here
        claimed = services._claim(limit=10)
        assert [m.pk for m in claimed] == [free.pk]
    finally:
        release.set()
        thread.join(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert services._claim(limit=10)[0].pk == held.pk
