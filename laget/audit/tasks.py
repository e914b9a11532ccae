"""Periodic work on the audit log."""

from django.tasks import task

from laget.audit import log, retention


@task
def sign_checkpoint() -> None:
    """Sequence waiting events and sign a checkpoint when the tree has grown."""
    log.checkpoint()


@task
def erase_expired_events() -> None:
    """Erase what identifies people in events past the retention period (the log still verifies)."""
    retention.erase_expired()
