"""Reentry's periodic task: the readiness alerts (laget.reentry.alerts), run hourly by the
scheduler and acting from LAGET_NOTIFY_REMINDER_HOUR (Oslo time), like the other daily alerts."""

from django.conf import settings
from django.tasks import task

from laget.core import clock
from laget.reentry import alerts


@task
def readiness_alerts() -> int:
    if clock.now().astimezone(clock.OSLO).hour < settings.LAGET_NOTIFY_REMINDER_HOUR:
        return 0
    return alerts.readiness_alerts_send()
