"""The end of an audit event's retention period: what identifies people is erased — the payload
and salt that open the leaf's commitment, the acting user, the request's address and id, the
details and the persons the event concerned — while the leaf, the action, the time and the acting
agency and role stay, so the log still verifies and the statistics still count."""

import datetime as dt

from django.conf import settings
from django.db import transaction

from laget.audit import log
from laget.audit.models import AuditEvent, AuditEventPerson
from laget.core import clock


def erase_expired(*, before: dt.datetime | None = None) -> int:
    """Erase the events older than `before` (default: the retention period,
    `LAGET_AUDIT_RETENTION_DAYS`, back from now). Returns how many were erased now."""
    if before is None:
        if not settings.LAGET_AUDIT_RETENTION_DAYS:
            return 0
        before = clock.now() - dt.timedelta(days=settings.LAGET_AUDIT_RETENTION_DAYS)
    with transaction.atomic():
        expired = AuditEvent.objects.filter(occurred_at__lt=before, erased_at__isnull=True)
        AuditEventPerson.objects.filter(event__in=expired).delete()
        expired.update(actor=None, actor_label="", ip_address=None, request_id="", details={})
        return log.erase_payloads(before=before)
