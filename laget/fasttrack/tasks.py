"""The fast track's periodic task: the deadline alerts (laget.fasttrack.alerts). The scheduler
runs it every hour; it acts from LAGET_NOTIFY_REMINDER_HOUR (Oslo time), and the messages' keys
keep it to one alert per person, stage and deadline."""

from django.conf import settings
from django.tasks import task

from laget.core import clock
from laget.fasttrack import alerts


@task
def deadline_alerts() -> int:
    if clock.now().astimezone(clock.OSLO).hour < settings.LAGET_NOTIFY_REMINDER_HOUR:
        return 0
    return alerts.deadline_alerts_send()
