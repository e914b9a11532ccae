"""Periodic work on the audit log."""

from django.tasks import task

from laget.audit import log


@task
def sign_checkpoint() -> None:
    """Sequence waiting events and sign a checkpoint when the tree has grown."""
    log.checkpoint()
