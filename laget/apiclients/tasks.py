"""Housekeeping of the API clients, run by the scheduler."""

from django.tasks import task

from laget.apiclients import services


@task
def prune_idempotency_records() -> None:
    """Forget the stored responses of old creating requests (`services.idempotency_prune`)."""
    services.idempotency_prune()
