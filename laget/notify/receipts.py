"""Delivery receipts from the SMS gateway: the gateway POSTs, for a message it was given, what
became of it on the phone network — `delivered`, or a final failure (`failed`, `expired`,
`rejected`, `undeliverable`). Interim states (`buffered`, `enroute`, `accepted`) change nothing.

A receipt is believed only when signed (laget.notify.signing): the gateway sends the header
`Laget-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." ‖ raw body)>` with the
shared secret LAGET_NOTIFY_SMS_RECEIPT_SECRET (several `v1=` values are accepted while a secret is
rotated). A timestamp further than LAGET_NOTIFY_SMS_RECEIPT_TOLERANCE_SECONDS from now is refused,
so a captured receipt cannot be replayed later; a receipt repeated within the window changes
nothing the second time.

The body is JSON: `{"reference": "<the message id Laget sent>", "status": "...",
"timestamp": "<ISO 8601, optional>"}`. A delivered message becomes `delivered` (also when a worker
had not yet recorded it as sent, or had given up on it after timeouts: the phone has it); a final
failure of a sent message makes it `failed`, for the police unit or coordinator to call instead.
Each change is an audit event, as sending is."""

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.notify import signing
from laget.notify.models import Message, MessageStatus

SIGNATURE_HEADER = signing.HEADER
DELIVERED = frozenset({"delivered"})
FAILED = frozenset({"failed", "expired", "rejected", "undeliverable"})
INTERIM = frozenset({"accepted", "buffered", "enroute", "sent"})
BODY_MAX_BYTES = 4096


class ReceiptRejected(DomainError):
    """The receipt's signature is missing, wrong or too old (HTTP 401)."""


@dataclass(frozen=True)
class Receipt:
    message_id: uuid.UUID
    status: str
    at: dt.datetime


def verify(*, header: str, body: bytes) -> None:
    """Refuse (ReceiptRejected) unless `header` signs `body` with the configured secret, within
    the tolerance. Without a configured secret no receipt is accepted."""
    secret = settings.LAGET_NOTIFY_SMS_RECEIPT_SECRET
    if not secret:
        raise ReceiptRejected(_("Kvitteringer tas ikke imot: ingen nøkkel er satt opp."),
                              code="receipt_unconfigured")
    stamp, candidates = signing.parse(header)
    if stamp is None or not candidates:
        raise ReceiptRejected(_("Kvitteringen mangler signatur."), code="receipt_unsigned")
    skew = abs(clock.now().timestamp() - stamp)
    if skew > settings.LAGET_NOTIFY_SMS_RECEIPT_TOLERANCE_SECONDS:
        raise ReceiptRejected(_("Kvitteringens tidsstempel er for gammelt eller fram i tid."),
                              code="receipt_stale")
    if not signing.matches(secret=secret, timestamp=stamp, body=body, candidates=candidates):
        raise ReceiptRejected(_("Kvitteringens signatur stemmer ikke."), code="receipt_signature")


def parse(body: bytes) -> Receipt:
    """The receipt in a (verified) body; DomainError if it is not one."""
    if len(body) > BODY_MAX_BYTES:
        raise DomainError(_("Kvitteringen er for stor."), code="receipt_size")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DomainError(_("Kvitteringen er ikke gyldig JSON."), code="receipt_json") from None
    if not isinstance(data, dict):
        raise DomainError(_("Kvitteringen må være et JSON-objekt."), code="receipt_json")
    try:
        message_id = uuid.UUID(str(data.get("reference", "")))
    except ValueError:
        raise DomainError(_("Kvitteringen mangler en gyldig referanse."),
                          code="receipt_reference") from None
    status = str(data.get("status", "")).lower()
    if status not in DELIVERED | FAILED | INTERIM:
        raise DomainError(_("Ukjent status i kvitteringen."), code="receipt_status")
    at = clock.now()
    stamp = data.get("timestamp")
    if stamp:
        parsed = parse_datetime(str(stamp)) if isinstance(stamp, str) else None
        if parsed is None or parsed.tzinfo is None:
            raise DomainError(_("Kvitteringens tidspunkt er ikke gyldig."), code="receipt_time")
        # The phone network's time, but never later than now (a gateway's clock may run ahead).
        at = min(parsed, at)
    return Receipt(message_id=message_id, status=status, at=at)


def _audit(message: Message, action: Action, status: str) -> None:
    audit_record(action=action, actor=None,
                 persons=[message.person_id] if message.person_id else [],
                 purpose=Purpose.OPPFOLGING, obj=message,
                 details={"channel": message.channel, "receipt": status})


@transaction.atomic
def receipt_record(receipt: Receipt) -> str:
    """Apply a receipt; returns the message's status afterwards (NotFound for an unknown
    reference). Repeating a receipt changes nothing and audits nothing."""
    message = (Message.objects.select_for_update().filter(pk=receipt.message_id)
               .only("id", "status", "channel", "person_id", "sent_at").first())
    if message is None:
        raise NotFound(_("Ingen melding med denne referansen."))
    now = clock.now()
    if receipt.status in DELIVERED and message.status != MessageStatus.DELIVERED:
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.DELIVERED, delivered_at=receipt.at, receipt_at=now,
            sent_at=message.sent_at or receipt.at, lease_until=None, last_error="",
            updated_at=now)
        _audit(message, Action.NOTIFY_DELIVERED, receipt.status)
        return MessageStatus.DELIVERED
    if receipt.status in FAILED and message.status in (MessageStatus.SENT,
                                                       MessageStatus.SENDING):
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.FAILED, failed_at=now, receipt_at=now, lease_until=None,
            last_error=f"receipt {receipt.status}", updated_at=now)
        _audit(message, Action.NOTIFY_FAILED, receipt.status)
        return MessageStatus.FAILED
    return message.status
