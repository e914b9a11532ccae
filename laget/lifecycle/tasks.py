"""The records lifecycle's periodic task (settings.LAGET_PERIODIC_TASKS)."""

from django.tasks import task


@task
def find_due_erasures() -> int:
    """Find the cases and concerns due for erasure under the retention schedule, for the owning
    bydel leaders to confirm (laget.lifecycle.erasure.find_due; a second run finds nothing new)."""
    from laget.lifecycle.erasure import find_due

    return find_due()
