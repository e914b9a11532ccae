"""The structured exchange between kriminalomsorgen and the police about a person in custody or
serving a sentence. A message goes only from one of the two agency types to the other, and only
when the sharing engine (`sharing.engine.report_basis`, a disclosure outside a team) finds a rule
in force for the sender's category of information, the receiver's agency type and the purpose; the
rule's id and citation are stored on the message and in the audit basis. Only the sender's and
the receiver's agencies know of a message (NAV and everyone else: it does not exist); the
receiver's first read sets the read receipt (time and reader), and every read is audited, so who
knew what, when, is provable."""

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType
from laget.audit.actions import Action
from laget.audit.actions import Outcome as AuditOutcome
from laget.audit.services import audit_record
from laget.cases import concerns
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.people.models import Person
from laget.records.vocabulary import InfoCategory, SharingPurpose
from laget.reentry import access
from laget.reentry.models import ExchangeMessage, MessageCategory
from laget.sharing.engine import report_basis

TEXT_MAX_LENGTH = 4000
#: the other side of the exchange, and the category of information each side sends
COUNTERPART = {AgencyType.KRIMINALOMSORG: AgencyType.POLITI,
               AgencyType.POLITI: AgencyType.KRIMINALOMSORG}
INFO_CATEGORY = {AgencyType.KRIMINALOMSORG: InfoCategory.KRIMINALOMSORG,
                 AgencyType.POLITI: InfoCategory.POLITI}
PURPOSES = (SharingPurpose.STRAFFESAK, SharingPurpose.FOREBYGGING)
#: police intelligence: only the police send it
POLICE_ONLY = frozenset({MessageCategory.NETWORK})


def person_by_number(national_id: str) -> Person:
    """The person a message, a placement or a registration is about, by the full number both
    agencies hold for someone in custody."""
    if not (national_id or "").strip():
        raise DomainError(_("Fyll ut fødselsnummeret."), code="person")
    number, _birth = concerns.identity_resolve(national_id=national_id.strip(), birth_date=None)
    person = Person.objects.filter(national_id=number).first()
    if person is None:
        raise DomainError(_("Fant ingen person med dette fødselsnummeret i Laget."),
                          code="person")
    return person


def receivers_for(actor: Actor) -> QuerySet[Agency]:
    """The agencies the actor's agency may write to."""
    if not access.in_exchange(actor):
        return Agency.objects.none()
    assert actor.agency is not None
    return Agency.objects.filter(type=COUNTERPART[actor.agency.type]).order_by("name")


def message_send(*, actor: Actor, person: Person, receiver: Agency, category: str,
                 purpose: str, text: str) -> ExchangeMessage:
    if not access.in_exchange(actor):
        raise DomainError(_("Bare kriminalomsorgen og politiet kan sende slike meldinger."),
                          code="role")
    sender = actor.agency
    assert sender is not None
    if receiver.type != COUNTERPART[sender.type]:
        raise DomainError(_("Meldingen kan bare gå mellom kriminalomsorgen og politiet."),
                          code="receiver")
    if category not in MessageCategory.values:
        raise DomainError(_("Velg kategori."), code="category")
    if category in POLICE_ONLY and sender.type != AgencyType.POLITI:
        raise DomainError(_("Bare politiet sender etterretning om nettverkstilknytning."),
                          code="category")
    if purpose not in PURPOSES:
        raise DomainError(_("Velg formål."), code="purpose")
    text = concerns.text_clean(text, _("meldingen"), TEXT_MAX_LENGTH)
    info_category = INFO_CATEGORY[sender.type]
    rule = report_basis(source_type=sender.type, recipient_type=receiver.type,
                        category=info_category, purpose=purpose, birth_date=person.birth_date)
    if rule is None:
        audit_record(action=Action.REENTRY_MESSAGE_SEND, actor=actor, persons=[person],
                     purpose=purpose, outcome=AuditOutcome.DENIED,
                     details={"category": category, "receiver": str(receiver.pk),
                              "reason": "no_rule"})
        raise DomainError(_("Regelboken gir ikke hjemmel for å sende dette til %(receiver)s for "
                            "dette formålet. Meldingen er ikke sendt.")
                          % {"receiver": receiver.name}, code="no_basis")
    # the refusal above is logged outside any transaction, so it stays; the message and its
    # event are written together
    with transaction.atomic():
        message = ExchangeMessage.objects.create(
            person=person, category=category, info_category=info_category, purpose=purpose,
            sender_agency=sender, sender=actor.user, receiver_agency=receiver, text=text,
            rule_id=rule.rule_id, rule_citation=rule.citation[:300], sent_at=clock.now())
        audit_record(action=Action.REENTRY_MESSAGE_SEND, actor=actor, obj=message,
                     persons=[person], purpose=purpose, basis=rule.rule_id,
                     details={"category": category, "receiver": str(receiver.pk),
                              "info_category": info_category})
    return message


@dataclass(frozen=True)
class Mailbox:
    received: list[ExchangeMessage]
    sent: list[ExchangeMessage]


def messages_for(*, actor: Actor) -> Mailbox:
    """The agency's received and sent messages (the list shows category, person, dates and the
    receipt; the text only on the message's page)."""
    if not access.in_exchange(actor):
        return Mailbox([], [])
    rows = list(ExchangeMessage.objects
                .filter(Q(receiver_agency=actor.agency) | Q(sender_agency=actor.agency))
                .select_related("person", "sender_agency", "receiver_agency", "read_by"))
    audit_record(action=Action.REENTRY_LIST, actor=actor, persons=[m.person_id for m in rows],
                 purpose=SharingPurpose.STRAFFESAK,
                 details={"list": "exchange", "count": len(rows)})
    return Mailbox([m for m in rows if m.receiver_agency_id == actor.agency.pk],
                   [m for m in rows if m.sender_agency_id == actor.agency.pk])


def message_read_for(*, actor: Actor, message_id: uuid.UUID) -> ExchangeMessage:
    """Open a message: the receiver's case roles and the sender's. The receiver's first read is
    the receipt. Audited on the message's rule; a refusal is logged and kept."""
    agencies = (ExchangeMessage.objects.filter(pk=message_id)
                .values_list("sender_agency_id", "receiver_agency_id").first())
    if agencies is None or not access.in_exchange(actor) or actor.agency is None or \
            actor.agency.pk not in agencies:
        audit_record(action=Action.REENTRY_MESSAGE_READ, actor=actor,
                     outcome=AuditOutcome.DENIED, purpose=SharingPurpose.STRAFFESAK,
                     details={"object_id": str(message_id)})
        raise NotFound()
    return _read(actor, message_id)


@transaction.atomic
def _read(actor: Actor, message_id: uuid.UUID) -> ExchangeMessage:
    assert actor.agency is not None
    message = (ExchangeMessage.objects.select_for_update(of=("self",))
               .select_related("person", "sender_agency", "receiver_agency", "sender")
               .get(pk=message_id))
    first = message.receiver_agency_id == actor.agency.pk and message.read_at is None
    if first:
        message.read_at, message.read_by = clock.now(), actor.user
        message.updated_at = message.read_at
        message.save(update_fields=["read_at", "read_by", "updated_at"])
    audit_record(action=Action.REENTRY_MESSAGE_READ, actor=actor, obj=message,
                 persons=[message.person_id], purpose=message.purpose, basis=message.rule_id,
                 details={"receipt": first, "category": message.category})
    return message
