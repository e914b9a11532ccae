import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from laget.core import scheduler
from laget.core.models import ScheduledRun

ROOT = Path(__file__).resolve().parents[3]
AT = dt.datetime(2026, 11, 25, 12, 0, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_each_periodic_task_is_enqueued_once_per_slot(settings):
    first = scheduler.tick(at=AT)
    assert sorted(first) == sorted(settings.LAGET_PERIODIC_TASKS)
    assert scheduler.tick(at=AT + dt.timedelta(seconds=20)) == []
    assert DBTaskResult.objects.count() == len(first)
    later = scheduler.tick(at=AT + dt.timedelta(hours=1))
    hourly_or_more_often = {name for name, spec in settings.LAGET_PERIODIC_TASKS.items()
                            if spec["every"] <= 3600}
    assert sorted(later) == sorted(hourly_or_more_often)
    assert "prune_task_results" not in later


def test_slots_are_aligned():
    every = dt.timedelta(hours=1)
    assert scheduler.slot_for(every, AT) == dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    assert scheduler.slot_for(every, AT.astimezone(dt.timezone(dt.timedelta(hours=1)))) == (
        scheduler.slot_for(every, AT))


def _env_for_subprocess() -> dict[str, str]:
    """The environment for another process that should use this test's database."""
    settings_dict = connection.settings_dict
    env = dict(os.environ)
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{settings_dict['NAME']}"
        if "memory" in str(settings_dict["NAME"]) or not settings_dict["NAME"]:
            pytest.fail("the SQLite test database must be a file for this test")
    else:
        env["DATABASE_URL"] = (
            f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@"
            f"{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/"
            f"{settings_dict['NAME']}"
        )
    return env


@pytest.mark.django_db(transaction=True)
def test_enqueued_housekeeping_tasks_run_in_the_worker():
    scheduler.tick(at=AT)
    command = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch",
               "--no-startup-delay", "--no-reload", "-v0"]
    subprocess.run(command, env=_env_for_subprocess(), cwd=ROOT, check=True, timeout=120)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
def test_scheduler_processes_never_enqueue_the_same_run_twice():
    """Four `manage.py scheduler --once` processes started together against the same database."""
    env = _env_for_subprocess()
    command = [sys.executable, str(ROOT / "manage.py"), "scheduler", "--once", "-v0"]
    processes = [subprocess.Popen(command, env=env, cwd=ROOT) for _ in range(4)]
    assert [p.wait(timeout=60) for p in processes] == [0, 0, 0, 0]
    runs = list(ScheduledRun.objects.values_list("name", "slot"))
    assert len(runs) == len(set(runs)) == len(scheduler.periodic_tasks())
    assert DBTaskResult.objects.count() == len(runs)
