"""Reading the audit log (the auditor's search). Searching is itself recorded."""

import datetime as dt

from django.core.paginator import Page, Paginator

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Purpose
from laget.audit.models import AuditEvent
from laget.audit.services import audit_record

PAGE_SIZE = 50


def audit_event_search(
    *,
    actor: Actor,
    action: str = "",
    username: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    page: int | str = 1,
) -> Page:
    events = AuditEvent.objects.select_related("actor", "agency").order_by("-id")
    if action:
        events = events.filter(action=action)
    if username:
        events = events.filter(actor_label=username)
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    result = Paginator(events, PAGE_SIZE).get_page(page)
    audit_record(
        action=Action.AUDIT_SEARCH, actor=actor, purpose=Purpose.TILSYN,
        details={"action": action, "by_user": bool(username),
                 "from": date_from.isoformat() if date_from else None,
                 "to": date_to.isoformat() if date_to else None},
    )
    return result
