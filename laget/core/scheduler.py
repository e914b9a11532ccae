"""Periodic tasks for django-tasks-db, which has none of its own.

Each periodic task (settings.LAGET_PERIODIC_TASKS) runs once per time slot of its interval. The
scheduler records the run and enqueues the task in one transaction; a unique constraint on
(name, slot) is the database lock that makes a second scheduler — another process, another server —
skip a slot that is already taken.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import Task
from django.utils.module_loading import import_string

from laget.core import clock
from laget.core.models import ScheduledRun

logger = logging.getLogger(__name__)

_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    task: Task
    every: dt.timedelta


def periodic_tasks() -> list[PeriodicTask]:
    """The configured periodic tasks, validated."""
    result = []
    for name, spec in settings.LAGET_PERIODIC_TASKS.items():
        task = import_string(spec["task"])
        if not isinstance(task, Task):
            raise TypeError(f"{spec['task']} is not a task (decorate it with @task)")
        every = int(spec["every"])
        if every < 1:
            raise ValueError(f"periodic task {name}: 'every' must be at least one second")
        result.append(PeriodicTask(name=name, task=task, every=dt.timedelta(seconds=every)))
    return result


def slot_for(every: dt.timedelta, at: dt.datetime) -> dt.datetime:
    """The start of the slot of length `every` that `at` falls in (counted from 2000-01-01 UTC)."""
    elapsed = at.astimezone(dt.UTC) - _EPOCH
    return _EPOCH + (elapsed // every) * every


def tick(*, at: dt.datetime | None = None) -> list[str]:
    """Enqueue every periodic task whose current slot has not been taken; returns their names."""
    at = at or clock.now()
    enqueued = []
    for periodic in periodic_tasks():
        slot = slot_for(periodic.every, at)
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=periodic.name, slot=slot)
                result = periodic.task.enqueue()
                run.task_result_id = str(result.id)
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another scheduler took this slot
        logger.info("scheduled %s for slot %s", periodic.name, slot.isoformat())
        enqueued.append(periodic.name)
    return enqueued
