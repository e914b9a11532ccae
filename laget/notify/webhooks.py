"""Webhooks to agencies' own systems: when something happens that an agency's system should act
on — a task for the agency, a concern to the bydel, a weapon trigger on a case in the bydel — one
message per subscribed endpoint goes into the same outbox as e-mail and SMS (laget.notify.services),
in the transaction of the event, with the same retries, backoff, leases and final failure.

A webhook says what happened and names things by id only (`data`); never a name, a number or a
text. The system then reads what it may see through the API with its own client token, and that
read is checked by the sharing engine and audited like any other. The signature
(laget.notify.signing) and `Laget-Delivery` let the receiver check the sender and drop repeats.

Endpoints are kept with `manage.py webhook` (add, rotate, remove, list); changes are audited as
API-client changes."""

import datetime as dt
import json
import re
import uuid

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.models import Agency, User
from laget.audit.actions import Action
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify.channels import WEBHOOK_PREFIX
from laget.notify.endpoints import url_allowed
from laget.notify.models import Channel, Message, WebhookEndpoint, WebhookEvent
from laget.notify.services import enqueue

#: what a value in a webhook's `data` may look like: an id or a code, nothing a person could be
#: recognised by (a fødselsnummer is eleven digits, which the pattern allows, hence the check below)
_DATA_VALUE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_DIGITS_11 = re.compile(r"^\d{11}$")


def _audit(endpoint: WebhookEndpoint, change: str, by: User | None) -> None:
    audit_record(action=Action.API_CLIENT_CHANGE, actor=by, agency=endpoint.agency, obj=endpoint,
                 details={"webhook": str(endpoint.pk), "change": change,
                          "events": list(endpoint.events)})


def _events_clean(events: list[str]) -> list[str]:
    unknown = sorted(set(events) - set(WebhookEvent.values))
    if unknown:
        raise DomainError(_("Ukjent hendelse: %(events)s.") % {"events": ", ".join(unknown)},
                          code="event")
    if not events:
        raise DomainError(_("Velg minst én hendelse."), code="event")
    return sorted(set(events))


@transaction.atomic
def endpoint_create(*, agency: Agency, url: str, events: list[str],
                    by: User | None = None) -> WebhookEndpoint:
    """A new endpoint for the agency's system; its secret is `endpoint.secret()`, shown once."""
    url = url.strip()
    if len(url) > 500 or not url_allowed(url):
        raise DomainError(_("Adressen må bruke https (http bare til denne maskinen)."),
                          code="url")
    endpoint = WebhookEndpoint.objects.create(agency=agency, url=url,
                                              events=_events_clean(events))
    _audit(endpoint, "webhook_create", by)
    return endpoint


@transaction.atomic
def endpoint_rotate(*, endpoint: WebhookEndpoint, grace_hours: int | None = None,
                    by: User | None = None) -> WebhookEndpoint:
    """A new secret; deliveries carry the old signature beside the new one for the grace period,
    so the agency can switch without losing a delivery."""
    hours = settings.LAGET_WEBHOOK_ROTATION_GRACE_HOURS if grace_hours is None else grace_hours
    if hours < 0:
        raise DomainError(_("Overgangstiden kan ikke være negativ."), code="grace")
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.secret_version += 1
    endpoint.previous_valid_until = clock.now() + dt.timedelta(hours=hours)
    endpoint.save(update_fields=["secret_version", "previous_valid_until", "updated_at"])
    _audit(endpoint, "webhook_rotate", by)
    return endpoint


@transaction.atomic
def endpoint_deactivate(*, endpoint: WebhookEndpoint, by: User | None = None) -> None:
    """No more deliveries; queued ones fail for good when their turn comes."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False, updated_at=clock.now())
    endpoint.active = False
    _audit(endpoint, "webhook_deactivate", by)


def emit(*, event: str, agencies: list[Agency] | list[uuid.UUID], data: dict[str, str],
         key: str, person_id: uuid.UUID | None = None) -> list[Message]:
    """Queue `event` for every active endpoint of `agencies` that subscribes to it, in the
    caller's transaction. `key` names the occurrence (the same key never sends twice to an
    endpoint); `person_id` is whom it concerns, for the person's access report."""
    if event not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {event!r}")
    for name, value in data.items():
        if not _DATA_VALUE.fullmatch(str(value)) or _DIGITS_11.fullmatch(str(value)):
            raise ValueError(f"webhook data {name!r} must be an id or a code")
    agency_ids = [a.pk if isinstance(a, Agency) else a for a in agencies]
    endpoints = [e for e in WebhookEndpoint.objects.filter(agency_id__in=agency_ids, active=True)
                 .select_related("agency") if event in e.events]
    queued = []
    occurred_at = clock.now().isoformat(timespec="seconds")
    for endpoint in endpoints:
        body = json.dumps({"id": str(uuid.uuid4()), "event": event, "occurred_at": occurred_at,
                           "agency": endpoint.agency.code, "data": data},
                          ensure_ascii=False, sort_keys=True)
        message = enqueue(channel=Channel.WEBHOOK, to=f"{WEBHOOK_PREFIX}{endpoint.pk}",
                          subject=event, body=body, key=f"webhook:{endpoint.pk}:{key}",
                          person_id=person_id)
        if message is not None:
            queued.append(message)
    return queued
