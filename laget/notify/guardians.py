"""Messages to a young person's guardians about an event (a police stop, an apprehension, a
weapon): one per guardian with parental responsibility who may be told automatically, in the
guardian's language, queued in the caller's transaction. Everyone else is returned with the
reason a person must call instead. The caller audits its own registration; nothing here does."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.models import Agency
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify.models import Channel, Message
from laget.notify.services import enqueue, normalize_phone
from laget.notify.templates import DEFAULT_LANGUAGE, render
from laget.people.models import Guardian, Person

#: from this age guardians no longer act for the person and are not told
AGE_OF_MAJORITY = 18


@dataclass(frozen=True)
class GuardianNotice:
    guardian_id: uuid.UUID
    #: the queued message (also when an earlier call with the same key queued it), else None
    message_id: uuid.UUID | None
    #: "sms", "email", or "" when nothing was queued
    channel: str
    #: why a person must call this guardian instead; "" when a message was queued
    manual_reason: str


def _sms_number(guardian: Guardian) -> str:
    try:
        return normalize_phone(guardian.phone) if guardian.phone.strip() else ""
    except DomainError:
        return ""


def _email(guardian: Guardian) -> str:
    address = guardian.email.strip()
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def _manual(guardian: Guardian, reason: str) -> GuardianNotice:
    return GuardianNotice(guardian_id=guardian.pk, message_id=None, channel="",
                          manual_reason=reason)


def guardian_notify(
    *, person: Person, template_key: str, context: Mapping[str, str], key_prefix: str,
    follow_up_agency: Agency | None = None,
) -> list[GuardianNotice]:
    """Queue the message `template_key` to each guardian of `person` with parental
    responsibility, by SMS (preferred) or e-mail, in the guardian's language (bokmål if there is
    no text in it). `context` fills the template; `first_name` defaults to the person's given
    name. Guardians with restricted contact or without a usable phone or e-mail, and every
    guardian of a person who is 18 or older, get no message and a reason instead.

    Must be called inside the caller's transaction (the outbox row commits or rolls back with
    the event). The key of each message is `f"{key_prefix}:{guardian.pk}"`, so a repeat call
    queues nothing new and returns the messages already queued."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("guardian_notify must run inside the caller's transaction")
    values = {"first_name": person.given_name, **context}
    render(template_key, DEFAULT_LANGUAGE, values)  # a bad key or context fails every time
    guardians = list(person.guardians.filter(parental_responsibility=True)
                     .order_by("family_name", "given_name", "pk"))
    if person.age_on(clock.today()) >= AGE_OF_MAJORITY:
        reason = _("Personen er 18 år eller eldre; foresatte varsles ikke automatisk.")
        return [_manual(guardian, reason) for guardian in guardians]
    notices = []
    for guardian in guardians:
        if guardian.restricted_contact:
            notices.append(_manual(guardian, _(
                "Begrenset kontakt er registrert; ingen automatisk melding.")))
            continue
        number, address = _sms_number(guardian), _email(guardian)
        if number:
            channel, to = Channel.SMS, number
        elif address:
            channel, to = Channel.EMAIL, address
        else:
            reason = (_("Telefonnummeret kan ikke brukes for SMS, og e-post mangler.")
                      if guardian.phone.strip() or guardian.email.strip()
                      else _("Mangler telefon og e-post."))
            notices.append(_manual(guardian, reason))
            continue
        text = render(template_key, guardian.preferred_language, values)
        key = f"{key_prefix}:{guardian.pk}"
        message = enqueue(
            channel=channel, to=to, subject=text.subject if channel == Channel.EMAIL else "",
            body=text.body, key=key, person_id=person.pk, follow_up_agency=follow_up_agency,
        )
        if message is None:  # queued by an earlier call with the same key
            existing = Message.objects.filter(idempotency_key=key).values_list(
                "pk", "channel").first()
            if existing is None:
                notices.append(_manual(guardian, _("Meldingen kunne ikke legges i kø.")))
                continue
            notices.append(GuardianNotice(guardian_id=guardian.pk, message_id=existing[0],
                                          channel=existing[1], manual_reason=""))
            continue
        notices.append(GuardianNotice(guardian_id=guardian.pk, message_id=message.pk,
                                      channel=str(channel), manual_reason=""))
    return notices
