"""A populated log behind a live server, for the verifiers that have never seen Laget's code.
Laget's own code is used here only to produce events and to sequence and sign."""

import time

import pytest
from django.db import transaction

from laget.audit import log
from laget.audit.actions import Action
from laget.audit.models import AuditEvent, Checkpoint
from laget.audit.services import audit_record


@pytest.fixture
def grow(transactional_db):
    """grow(size): append events until the log holds `size`, then sequence and sign a checkpoint
    at exactly that size (committed, so the live server sees it)."""

    def do(size: int) -> None:
        have = AuditEvent.objects.count()
        with transaction.atomic():
            for i in range(have, size):
                audit_record(action=Action.PERSON_VIEW, actor=None, details={"i": i})
        deadline = time.monotonic() + 5
        while True:
            log.checkpoint()
            latest = Checkpoint.objects.order_by("-size").first()
            if latest is not None and latest.size == size:
                return
            assert time.monotonic() < deadline, f"no checkpoint at size {size}"
            time.sleep(0.2)  # checkpoints are signed at most once a second

    return do
