"""The notification outbox: `enqueue` writes a message in the caller's transaction (nothing is
sent if the caller rolls back) and, once that transaction commits, a task delivers it;
`deliver_due` is that delivery: take due messages under a lease, send, record the outcome, retry
with exponential backoff and finally mark the message failed for a human to follow up.

Delivery is at least once: a worker that dies mid-send leaves a `sending` row whose lease runs
out, and the next worker sends it again with the same key, which the receiver uses to drop the
duplicate (laget.notify.channels)."""

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from laget.accounts.models import Agency, User
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify import channels
from laget.notify.models import Channel, Message, MessageStatus

logger = logging.getLogger(__name__)

KEY_MAX_LENGTH = 200
SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10_000

_PHONE = re.compile(r"^\+[1-9]\d{7,14}$")
#: eleven digits in a row, with or without a space after the birth date: a fødselsnummer
# Eleven digits standing alone (a UUID's last group, letters and digits, is not a number).
_NATIONAL_ID = re.compile(r"(?<![\w-])\d{6}\s?\d{5}(?![\w-])")


def normalize_phone(number: str) -> str:
    """E.164: +47 is added to an eight-digit Norwegian number; spaces and dashes go."""
    compact = re.sub(r"[\s\-()]", "", number)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if re.fullmatch(r"\d{8}", compact):
        compact = "+47" + compact
    if not _PHONE.fullmatch(compact):
        raise DomainError(_("Telefonnummeret er ikke gyldig for SMS."), code="bad_address")
    return compact


def _address(channel: str, to: str) -> str:
    to = to.strip()
    if channel == Channel.EMAIL:
        try:
            validate_email(to)
        except ValidationError:
            raise DomainError(_("E-postadressen er ikke gyldig."), code="bad_address") from None
        return to
    if channel == Channel.SMS:
        return normalize_phone(to)
    if channel == Channel.CONSOLE and to and len(to) <= 254:
        return to
    if channel == Channel.WEBHOOK and to.startswith(channels.WEBHOOK_PREFIX):
        try:
            return channels.WEBHOOK_PREFIX + str(uuid.UUID(to.removeprefix(
                channels.WEBHOOK_PREFIX)))
        except ValueError:
            pass
    raise DomainError(_("Mangler mottaker for meldingen."), code="bad_address")


def enqueue(
    *, channel: str, to: str, subject: str, body: str, key: str, user: User | None = None,
    person_id: uuid.UUID | None = None, follow_up_agency: Agency | None = None,
) -> Message | None:
    """Queue one message in the caller's transaction and deliver it after the commit. Idempotent
    on `key`: a message with that key already queued or sent gives None, and the caller's
    transaction goes on (no failed INSERT, also on PostgreSQL). `follow_up_agency` handles it by
    hand if it cannot be delivered."""
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if not key or len(key) > KEY_MAX_LENGTH:
        raise ValueError("an idempotency key of 1–200 characters is needed")
    if len(subject) > SUBJECT_MAX_LENGTH or "\n" in subject or "\r" in subject:
        raise ValueError("a subject is one line of at most 200 characters")
    if not body or len(body) > BODY_MAX_LENGTH:
        raise ValueError("a body of 1–10000 characters is needed")
    message = Message(
        channel=channel, to_address=_address(channel, to), subject=subject, body=body,
        idempotency_key=key, recipient_user=user, person_id=person_id,
        follow_up_agency=follow_up_agency, next_attempt_at=clock.now(),
    )
    # INSERT … ON CONFLICT DO NOTHING (PostgreSQL) / INSERT OR IGNORE (SQLite): a duplicate key
    # is skipped without an error that would abort the caller's transaction. The row is checked
    # above, so the only conflict left is the key.
    Message.objects.bulk_create([message], ignore_conflicts=True)
    if not Message.objects.filter(pk=message.pk).exists():
        return None
    transaction.on_commit(partial(_schedule, message.pk), robust=True)
    return message


def _is_email(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def notify_user(*, user: User, key: str, subject: str, body: str, link: str = "") -> Message | None:
    """A message to a member of staff: by e-mail if the user has a valid address, else to the
    console channel. Staff notifications carry no personal data — say what kind of thing is
    waiting and link to it (a case's UUID in the link is fine); names and numbers stay in Laget."""
    if _NATIONAL_ID.search(subject) or _NATIONAL_ID.search(body) or _NATIONAL_ID.search(link):
        raise ValueError("staff notifications must not carry a national identity number")
    if not user.is_active:
        return None
    text = body
    if link:
        if link.startswith("/"):
            link = settings.LAGET_NOTIFY_LINK_BASE_URL.rstrip("/") + link
        text += "\n\n" + link
    text += "\n\n-- \n" + _("Denne meldingen er sendt automatisk fra Laget.")
    if _is_email(user.email):
        return enqueue(channel=Channel.EMAIL, to=user.email, subject=subject, body=text,
                       key=key, user=user)
    return enqueue(channel=Channel.CONSOLE, to=f"user:{user.pk}", subject=subject, body=text,
                   key=key, user=user)


# --- delivery -------------------------------------------------------------------------------------

@dataclass
class DeliveryRun:
    sent: list[uuid.UUID] = field(default_factory=list)
    retrying: list[uuid.UUID] = field(default_factory=list)
    failed: list[uuid.UUID] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"sent": len(self.sent), "retrying": len(self.retrying), "failed": len(self.failed)}


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: base, 2 × base, 4 × base, … up to max."""
    seconds = settings.LAGET_NOTIFY_BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, settings.LAGET_NOTIFY_BACKOFF_MAX_SECONDS))


def _schedule(message_id: uuid.UUID, run_after: dt.datetime | None = None) -> None:
    from laget.notify.tasks import deliver_message  # the task module imports this one

    task = deliver_message if run_after is None else deliver_message.using(run_after=run_after)
    task.enqueue(str(message_id))


def _claim(*, limit: int, message_id: uuid.UUID | str | None = None) -> list[Message]:
    """Take up to `limit` due messages: mark them `sending` with a lease and count the attempt,
    and commit before anything is sent. On PostgreSQL, rows another worker holds are skipped
    (FOR UPDATE SKIP LOCKED); SQLite's IMMEDIATE transactions let one claimer in at a time."""
    now = clock.now()
    with transaction.atomic(durable=True):
        due = Message.objects.due()
        if message_id is not None:
            due = due.filter(pk=message_id)
        ids = list(due.order_by("next_attempt_at", "created_at").select_for_update(skip_locked=True)
                   .values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        Message.objects.filter(pk__in=ids).update(
            status=MessageStatus.SENDING, attempts=F("attempts") + 1, updated_at=now,
            lease_until=now + dt.timedelta(seconds=settings.LAGET_NOTIFY_LEASE_SECONDS),
        )
        return list(Message.objects.filter(pk__in=ids).order_by("next_attempt_at", "created_at"))


def _audit_outcome(message: Message, action: Action) -> None:
    """The audit event of a message's outcome: which channel and after how many attempts, never
    the address or the text."""
    audit_record(
        action=action, actor=None,
        persons=[message.person_id] if message.person_id else [],
        purpose=Purpose.OPPFOLGING, obj=message,
        details={"channel": message.channel, "attempts": message.attempts},
    )


def _mark_sent(message: Message) -> None:
    now = clock.now()
    # Sent wins: if a slower earlier attempt of this message already failed it for good, or a
    # later one is still leased, the message has nonetheless reached the receiver. A delivery
    # receipt that came before this (delivered, or failed on the phone network) knows better.
    with transaction.atomic():
        changed = Message.objects.filter(pk=message.pk).exclude(
            status__in=[MessageStatus.SENT, MessageStatus.DELIVERED]).exclude(
            status=MessageStatus.FAILED, receipt_at__isnull=False).update(
            status=MessageStatus.SENT, sent_at=now, lease_until=None, last_error="",
            updated_at=now)
        if changed:
            _audit_outcome(message, Action.NOTIFY_SENT)


def _mark_failed_attempt(message: Message, reason: str, *, permanent: bool) -> str:
    """Record a failed attempt: queue again after the backoff, or fail for good after the last
    attempt or a permanent refusal. A stale worker (its lease taken over) changes nothing."""
    now = clock.now()
    final = permanent or message.attempts >= settings.LAGET_NOTIFY_MAX_ATTEMPTS
    mine = Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING,
                                  attempts=message.attempts)
    if final:
        with transaction.atomic():
            changed = mine.update(status=MessageStatus.FAILED, failed_at=now, lease_until=None,
                                  last_error=reason[:200], updated_at=now)
            if changed:
                _audit_outcome(message, Action.NOTIFY_FAILED)
        return MessageStatus.FAILED if changed else ""
    next_at = now + backoff(message.attempts)
    changed = mine.update(status=MessageStatus.QUEUED, next_attempt_at=next_at,
                          lease_until=None, last_error=reason[:200], updated_at=now)
    if changed:
        _schedule(message.pk, run_after=next_at)
        return MessageStatus.QUEUED
    return ""


def _renew_lease(message: Message) -> bool:
    """Extend this worker's lease before sending a later message of its batch (the earlier ones
    took time); False if the lease ran out and another worker has taken the message."""
    now = clock.now()
    return bool(Message.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, attempts=message.attempts,
    ).update(lease_until=now + dt.timedelta(seconds=settings.LAGET_NOTIFY_LEASE_SECONDS),
             updated_at=now))


def _deliver(messages: list[Message], run: DeliveryRun) -> None:
    for position, message in enumerate(messages):
        if position and not _renew_lease(message):
            continue
        try:
            channels.send(message)
        except channels.DeliveryError as error:
            outcome = _mark_failed_attempt(message, error.reason, permanent=error.permanent)
            reason = error.reason
        except Exception as error:
            # One broken message must not stop the rest. Only the type is kept: the exception's
            # text may hold the address or the body.
            reason = f"unexpected {type(error).__name__}"
            outcome = _mark_failed_attempt(message, reason, permanent=False)
        else:
            _mark_sent(message)
            run.sent.append(message.pk)
            logger.info("notify: message %s sent by %s (attempt %s)", message.pk,
                        message.channel, message.attempts)
            continue
        if outcome == MessageStatus.FAILED:
            run.failed.append(message.pk)
            logger.error("notify: message %s failed for good after %s attempts: %s",
                         message.pk, message.attempts, reason)
        elif outcome == MessageStatus.QUEUED:
            run.retrying.append(message.pk)
            logger.warning("notify: message %s attempt %s failed (%s); retrying", message.pk,
                           message.attempts, reason)


def deliver_due(*, limit: int | None = None) -> DeliveryRun:
    """Deliver every due message, a batch at a time. Call outside a transaction (a worker)."""
    batch = limit or settings.LAGET_NOTIFY_BATCH_SIZE
    run = DeliveryRun()
    while True:
        messages = _claim(limit=batch)
        _deliver(messages, run)
        if limit is not None or len(messages) < batch:
            return run


def message_deliver(*, message_id: uuid.UUID | str) -> DeliveryRun:
    """Deliver the message if it is due (the task enqueued when it was queued or retried), and
    with it one batch of whatever else is due: under a burst, each task then drains up to
    LAGET_NOTIFY_BATCH_SIZE messages instead of one, and the tasks behind it find their messages
    sent and end at once (bench/README.md, «Notifications»: a task per message was four times
    the cost of the delivery itself)."""
    run = DeliveryRun()
    _deliver(_claim(limit=1, message_id=message_id), run)
    others = settings.LAGET_NOTIFY_BATCH_SIZE - 1
    if others > 0:
        _deliver(_claim(limit=others), run)
    return run


def messages_scrub(*, older_than_days: int | None = None) -> int:
    """Blank the address and text of messages sent or failed longer ago than
    LAGET_NOTIFY_RETENTION_DAYS; the rows (and their keys) stay, so nothing is sent twice."""
    days = settings.LAGET_NOTIFY_RETENTION_DAYS if older_than_days is None else older_than_days
    if days <= 0:
        return 0
    cutoff = clock.now() - dt.timedelta(days=days)
    return Message.objects.filter(
        status__in=[MessageStatus.SENT, MessageStatus.FAILED], updated_at__lt=cutoff,
    ).exclude(to_address="").update(to_address="", subject="", body="")
