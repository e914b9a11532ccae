"""The base model every Laget table builds on, and the scheduler's record of runs."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from laget.core import clock


class BaseModel(models.Model):
    """UUID primary key (never guessable, never a row count) and creation/update times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("opprettet"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("endret"), default=clock.now, editable=False)

    class Meta:
        abstract = True


class ScheduledRun(models.Model):
    """One run of a periodic task in one time slot; the unique constraint is the lock that stops
    two schedulers from enqueuing the same run twice."""

    name = models.CharField(max_length=100)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(default=clock.now)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            # one run per task and time slot: the scheduler's claim
            models.UniqueConstraint(fields=["name", "slot"], name="core_scheduledrun_once_per_slot")
        ]
        ordering = ["-slot"]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot.isoformat()}"


class RateCounter(models.Model):
    """Attempts in one fixed window of one rate-limit bucket (laget.core.ratelimit)."""

    bucket = models.CharField(max_length=80)
    #: the window's number: epoch seconds // period
    slot = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)
    #: epoch seconds after which the row is of no use
    expires = models.BigIntegerField()

    class Meta:
        # the rate limiter's upsert of a bucket's count in a window
        constraints = [models.UniqueConstraint(fields=["bucket", "slot"],
                                               name="core_ratecounter_bucket_slot")]
        # housekeeping deletes expired counters
        indexes = [models.Index(fields=["expires"], name="core_ratecounter_expires")]

    def __str__(self) -> str:
        return f"{self.bucket} #{self.slot}: {self.count}"
