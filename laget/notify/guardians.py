"""Messages to a young person's guardians about an event (a police stop, an apprehension, a
weapon): one per guardian with parental responsibility who may be told automatically, in the
guardian's language, queued in the caller's transaction. Everyone else is returned with the
reason a person must call instead. The caller audits its own registration; nothing here does.

When LAGET_KRR_URL is set, the guardians' reservations and contact details come from
Kontakt- og reservasjonsregisteret (one lookup per call): a public agency sends its notices to the
details in KRR and does not contact a reserved person digitally (eForvaltningsforskriften). A
guardian KRR does not know, or knows without usable details, is reached through the guardian
record as before. If KRR cannot be asked, the record is used too and the notice says so
(`krr_unavailable`): the message tells a parent that their child met the police, which should not
wait for KRR, and the record was entered by the bydel from what the family told it."""

import logging
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.models import Agency
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify.krr import KrrPerson, KrrUnavailable, krr_enabled, krr_lookup
from laget.notify.models import Channel, Message
from laget.notify.services import enqueue, normalize_phone
from laget.notify.templates import DEFAULT_LANGUAGE, render
from laget.people.models import Guardian, Person

logger = logging.getLogger(__name__)

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
    #: KRR was to be asked about this guardian but could not be (timeout, error): the record's
    #: details were used without KRR's reservation check, to be followed up by hand
    krr_unavailable: bool = False


def _sms_number(phone: str) -> str:
    try:
        return normalize_phone(phone) if phone.strip() else ""
    except DomainError:
        return ""


def _email(email: str) -> str:
    address = email.strip()
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def _manual(guardian: Guardian, reason: str, *, krr_unavailable: bool = False) -> GuardianNotice:
    return GuardianNotice(guardian_id=guardian.pk, message_id=None, channel="",
                          manual_reason=reason, krr_unavailable=krr_unavailable)


def _protected_reason() -> str:
    # The same words whether it is the guardian's address or the young person's: the reader
    # learns that someone's address is protected, not whose.
    return _("Adressebeskyttelse er registrert; ingen automatisk melding.")


def contact_refusal(*, person: Person, guardian: Guardian) -> str:
    """Why a guardian must not be contacted unless a person decides to — by message or by a
    printed letter: a protected address (the young person's or the guardian's) or restricted
    contact. "" when nothing stands in the way."""
    if person.address_protection or guardian.address_protection:
        return _protected_reason()
    if guardian.restricted_contact:
        return _("Begrenset kontakt er registrert; ingen automatisk melding.")
    return ""


def _krr_lookup(guardians: list[Guardian]) -> tuple[dict[str, KrrPerson], bool]:
    """KRR's answers for the guardians with a number, in one request, and whether KRR was to be
    asked but could not be. Without LAGET_KRR_URL nothing is asked."""
    numbers = [guardian.national_id for guardian in guardians if guardian.national_id]
    if not numbers or not krr_enabled():
        return {}, False
    try:
        return krr_lookup(numbers), False
    except KrrUnavailable as error:
        logger.warning("notify: KRR lookup for %s guardians failed (%s); guardian records used",
                       len(numbers), error.reason)
        return {}, True


def guardian_notify(
    *, person: Person, template_key: str, context: Mapping[str, str], key_prefix: str,
    follow_up_agency: Agency | None = None, only: Collection[uuid.UUID] | None = None,
) -> list[GuardianNotice]:
    """Queue the message `template_key` to each guardian of `person` with parental
    responsibility, by SMS (preferred) or e-mail, in the guardian's language (bokmål if there is
    no text in it). `context` fills the template; `first_name` defaults to the person's given
    name. Guardians with a protected address, restricted contact, a reservation in KRR or no
    usable phone or e-mail, and every guardian of a person who is 18 or older or has a protected
    address, get no message and a reason instead. With KRR in use, a guardian registered there
    with usable details is reached at KRR's mobile (else e-mail) instead of the record's.

    Must be called inside the caller's transaction (the outbox row commits or rolls back with
    the event). `only` narrows the guardians to these ids (a caller with a stricter rule of its
    own, e.g. the family pages' who-may-see); the others are neither told nor returned. The key
    of each message is `f"{key_prefix}:{guardian.pk}"`, so a repeat call
    queues nothing new and returns the messages already queued. The KRR lookup (at most one
    request) runs inside that transaction, bounded by LAGET_KRR_TIMEOUT_SECONDS."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("guardian_notify must run inside the caller's transaction")
    values = {"first_name": person.given_name, **context}
    render(template_key, DEFAULT_LANGUAGE, values)  # a bad key or context fails every time
    chosen = person.guardians.filter(parental_responsibility=True)
    if only is not None:
        chosen = chosen.filter(pk__in=list(only))
    guardians = list(chosen.order_by("family_name", "given_name", "pk"))
    if person.age_on(clock.today()) >= AGE_OF_MAJORITY:
        reason = _("Personen er 18 år eller eldre; foresatte varsles ikke automatisk.")
        return [_manual(guardian, reason) for guardian in guardians]
    notices: dict[uuid.UUID, GuardianNotice] = {}
    for guardian in guardians:
        refusal = contact_refusal(person=person, guardian=guardian)
        if refusal:
            notices[guardian.pk] = _manual(guardian, refusal)
    reachable = [guardian for guardian in guardians if guardian.pk not in notices]
    krr, krr_down = _krr_lookup(reachable)
    for guardian in reachable:
        notices[guardian.pk] = _notify_one(
            guardian=guardian, krr=krr.get(guardian.national_id or ""),
            krr_unavailable=krr_down and bool(guardian.national_id),
            person=person, template_key=template_key, values=values, key_prefix=key_prefix,
            follow_up_agency=follow_up_agency)
    return [notices[guardian.pk] for guardian in guardians]


def _notify_one(
    *, guardian: Guardian, krr: KrrPerson | None, krr_unavailable: bool, person: Person,
    template_key: str, values: Mapping[str, str], key_prefix: str,
    follow_up_agency: Agency | None,
) -> GuardianNotice:
    if krr is not None and krr.reserved:
        return _manual(guardian, _(
            "Reservert mot digital kontakt i Kontakt- og reservasjonsregisteret."))
    number = address = ""
    if krr is not None and krr.active and krr.can_notify:
        number, address = _sms_number(krr.mobile), _email(krr.email)
    if not (number or address):  # not in KRR, or nothing there that may be used
        number, address = _sms_number(guardian.phone), _email(guardian.email)
    if number:
        channel, to = Channel.SMS, number
    elif address:
        channel, to = Channel.EMAIL, address
    else:
        reason = (_("Telefonnummeret kan ikke brukes for SMS, og e-post mangler.")
                  if guardian.phone.strip() or guardian.email.strip()
                  else _("Mangler telefon og e-post."))
        return _manual(guardian, reason, krr_unavailable=krr_unavailable)
    text = render(template_key, guardian.preferred_language, values)
    key = f"{key_prefix}:{guardian.pk}"
    message = enqueue(
        channel=channel, to=to, subject=text.subject if channel == Channel.EMAIL else "",
        body=text.body, key=key, person_id=person.pk, follow_up_agency=follow_up_agency,
    )
    if message is not None:
        return GuardianNotice(guardian_id=guardian.pk, message_id=message.pk,
                              channel=str(channel), manual_reason="",
                              krr_unavailable=krr_unavailable)
    # queued by an earlier call with the same key
    existing = Message.objects.filter(idempotency_key=key).values_list("pk", "channel").first()
    if existing is None:
        return _manual(guardian, _("Meldingen kunne ikke legges i kø."),
                       krr_unavailable=krr_unavailable)
    return GuardianNotice(guardian_id=guardian.pk, message_id=existing[0], channel=existing[1],
                          manual_reason="", krr_unavailable=krr_unavailable)
