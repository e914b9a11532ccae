"""Housekeeping tasks run by the scheduler."""

from django.conf import settings
from django.core.management import call_command
from django.tasks import task


@task
def prune_task_results() -> None:
    """Delete finished task results past their retention."""
    call_command(
        "prune_db_task_results",
        "--min-age-days", str(settings.LAGET_TASK_RESULT_RETENTION_DAYS),
        verbosity=0,
    )


@task
def clear_expired_sessions() -> None:
    """Remove expired login sessions from the database."""
    call_command("clearsessions", verbosity=0)


@task
def prune_rate_counters() -> None:
    """Delete the rate-limit counters of windows that are over."""
    from laget.core import ratelimit

    ratelimit.prune()
