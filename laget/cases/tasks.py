"""The SaLTo workflow's periodic tasks: the daily reminders (laget.cases.reminders). The
scheduler runs them every hour; they act from LAGET_NOTIFY_REMINDER_HOUR (Oslo time), and the
messages' keys keep it to one per person a day."""

from django.conf import settings
from django.tasks import task

from laget.cases import reminders
from laget.core import clock


def _reminder_time() -> bool:
    return clock.now().astimezone(clock.OSLO).hour >= settings.LAGET_NOTIFY_REMINDER_HOUR


@task
def remind_overdue_tasks() -> int:
    return reminders.overdue_task_reminders_send() if _reminder_time() else 0


@task
def warn_turning_18() -> int:
    return reminders.majority_warnings_send() if _reminder_time() else 0


@task
def alert_weapon_checkpoints() -> int:
    return reminders.weapon_checkpoint_alerts_send() if _reminder_time() else 0
