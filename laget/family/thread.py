"""The family's message thread with the case's coordinator (issue 13): the family writes on its
own pages, the coordinator of the case's bydel reads and replies on the case page.

No notification carries the message or anything about the person. The coordinators are told
«Familien har sendt en melding i en sak» with a link to the case (its UUID only); the guardians
«Du har en ny melding i Laget» with a link to the family pages (the `family.new_message` text, in
the guardian's language). The message itself is read only after logging in, and every read and
write is audited: the family's reads as `family.view` (`view: messages`), the staff's as
`case.view` (`view: family_messages`), both sides' messages as `family.message`.

Who writes and reads for the family is whoever may see the person on the family pages
(laget.family.selectors), re-checked when they write. On the staff side it is the coordinator
or leader of the case's bydel (`records.services.is_district_coordinator`): the rest of the team,
however close to the family, does not read what the family wrote to the coordinator, and to them
the thread does not exist (NotFound).
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import User
from laget.audit.actions import Action, Outcome
from laget.audit.services import audit_record
from laget.cases.reminders import case_coordinators
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.family.models import TEXT_MAX_LENGTH, AuthorKind, FamilyMessage
from laget.family.selectors import (
    PURPOSE,
    FamilyAccess,
    family_case,
    guardian_may_see,
    youth_may_see,
)
from laget.notify.guardians import GuardianNotice, guardian_notify
from laget.notify.services import notify_user
from laget.people.models import Guardian
from laget.records.models import Case
from laget.records.services import case_require_open, is_district_coordinator

#: the outbox text the family gets (laget.notify.templates)
TEMPLATE_KEY = "family.new_message"
#: where the thread sits on the case page
CASE_ANCHOR = "#familiemeldinger"


@dataclass(frozen=True)
class ThreadMessage:
    message: FamilyMessage
    #: who wrote it, as the reader is to see it
    author: str
    #: from the other side and not read by the reader's side before this read
    new: bool

    @property
    def from_family(self) -> bool:
        return self.message.author_kind == AuthorKind.FAMILY


@dataclass(frozen=True)
class StaffReply:
    message: FamilyMessage
    #: one per guardian who may see the person on the family pages: told, or why not
    notices: list[GuardianNotice]


def text_clean(text: str) -> str:
    """The message as it will be stored, or a DomainError that says what is wrong with it."""
    cleaned = text.replace("\r\n", "\n").strip()
    if not cleaned:
        raise DomainError(_("Skriv en melding før du sender."), code="empty")
    if len(cleaned) > TEXT_MAX_LENGTH:
        raise DomainError(
            _("Meldingen er for lang. Den kan ha høyst %(max)s tegn, og den har %(count)s.")
            % {"max": TEXT_MAX_LENGTH, "count": len(cleaned)}, code="too_long")
    return cleaned


def _messages(case: Case) -> list[FamilyMessage]:
    return list(FamilyMessage.objects.filter(case=case).select_related("author_user")
                .order_by("created_at", "id"))


def _family_names(case: Case, messages: list[FamilyMessage]) -> dict[str, str]:
    """The family authors' names by guardian id (one query), for the staff's view."""
    ids = {m.details.get("guardian") for m in messages if m.author_kind == AuthorKind.FAMILY}
    ids.discard(None)
    names: dict[str, str] = {}
    if not ids:
        return names
    for guardian in Guardian.objects.filter(person_id=case.person_id, pk__in=list(ids)):
        names[str(guardian.pk)] = (f"{guardian.given_name} {guardian.family_name} "
                                   f"({guardian.get_relation_display()})")
    return names


def _family_author(message: FamilyMessage, case: Case, names: dict[str, str]) -> str:
    if message.details.get("citizen") == "self":
        return case.person.full_name
    return names.get(str(message.details.get("guardian")), _("Foresatt"))


def _staff_author(message: FamilyMessage) -> str:
    user = message.author_user
    return (user.get_full_name() or user.username) if user is not None else ""


# --- the family's side --------------------------------------------------------------------------

def _still_may_see(access: FamilyAccess) -> bool:
    """The access the view worked out, checked again against the register as it is now."""
    if access.is_self:
        return youth_may_see(access.person)
    if access.guardian is None:
        return False
    guardian = Guardian.objects.filter(pk=access.guardian.pk).first()
    return guardian is not None and guardian_may_see(guardian, access.person)


def family_thread_for(*, access: FamilyAccess) -> list[ThreadMessage] | None:
    """The thread on the person's current case as the family sees it (None with no open case);
    the coordinator's replies are marked read by the family. Audited."""
    case = family_case(access.person)
    if case is None:
        return None
    with transaction.atomic():
        messages = _messages(case)
        names = _family_names(case, messages)
        rows = [ThreadMessage(
            m, _family_author(m, case, names) if m.author_kind == AuthorKind.FAMILY
            else _staff_author(m),
            new=m.author_kind == AuthorKind.STAFF and m.read_by_family_at is None)
            for m in messages]
        unread = [row.message.pk for row in rows if row.new]
        if unread:
            FamilyMessage.objects.filter(pk__in=unread, read_by_family_at__isnull=True).update(
                read_by_family_at=clock.now())
        audit_record(action=Action.FAMILY_VIEW, actor=None, obj=case, persons=[access.person],
                     purpose=PURPOSE,
                     details={**access.audit_details(), "view": "messages",
                              "messages": len(rows), "new": len(unread)})
    return rows


def family_message_post(*, access: FamilyAccess, text: str) -> FamilyMessage:
    """Write the citizen's message to the coordinator on the person's current case and tell the
    case's coordinators (laget.cases.reminders.case_coordinators) that there is one — in bokmål,
    with no personal data, linked to the case. Everything is checked before the first write."""
    cleaned = text_clean(text)
    if not _still_may_see(access):
        audit_record(action=Action.FAMILY_ACCESS_DENIED, actor=None, outcome=Outcome.DENIED,
                     persons=[access.person], purpose=PURPOSE,
                     details={**access.audit_details(), "view": "messages"})
        raise NotFound()
    return _family_message_write(access=access, text=cleaned)


@transaction.atomic
def _family_message_write(*, access: FamilyAccess, text: str) -> FamilyMessage:
    case = family_case(access.person)
    if case is None:
        raise DomainError(_("Det er ingen sak å sende en melding i nå."), code="no_case")
    case_require_open(case)
    details: dict[str, Any] = {"citizen": access.relation}
    if access.guardian is not None:
        details["guardian"] = str(access.guardian.pk)
    message = FamilyMessage.objects.create(case=case, author_kind=AuthorKind.FAMILY,
                                           details=details, text=text)
    audit_record(action=Action.FAMILY_MESSAGE, actor=None, obj=message,
                 persons=[access.person], purpose=PURPOSE,
                 details={**access.audit_details(), "case": str(case.pk),
                          "direction": "to_coordinator", "characters": len(text)})
    coordinators = case_coordinators([(case.pk, case.district_id)], day=clock.today())
    users = User.objects.filter(pk__in=sorted(coordinators.get(case.pk, set())))
    link = reverse("web:case_detail", kwargs={"case_id": case.pk}) + CASE_ANCHOR
    # Staff read Laget in bokmål; the citizen may be reading the family pages in English.
    with translation.override(settings.LANGUAGE_CODE):
        for user in users.order_by("pk"):
            notify_user(
                user=user, key=f"family-message:{message.pk}:{user.pk}",
                subject=_("Ny melding fra familien"),
                body=_("Familien har sendt en melding i en sak. Les den og svar i Laget."),
                link=link,
            )
    return message


# --- the coordinator's side ---------------------------------------------------------------------

def may_use_thread(*, actor: Actor, case: Case) -> bool:
    """The case's bydel coordinator (or leader) reads and answers the family's messages."""
    return is_district_coordinator(actor, case.district_id)


def _refuse(actor: Actor, case_id: uuid.UUID) -> NotFound:
    audit_record(action=Action.CASE_ACCESS_DENIED, actor=actor, outcome=Outcome.DENIED,
                 purpose=PURPOSE, details={"view": "family_messages", "object_id": str(case_id)})
    return NotFound()


def staff_thread_for(*, actor: Actor, case: Case) -> list[ThreadMessage]:
    """The thread for the case's bydel coordinator (NotFound, audited, for anyone else); the
    family's messages are marked read by staff. Audited."""
    if not may_use_thread(actor=actor, case=case):
        raise _refuse(actor, case.pk)
    with transaction.atomic():
        messages = _messages(case)
        names = _family_names(case, messages)
        rows = [ThreadMessage(
            m, _family_author(m, case, names) if m.author_kind == AuthorKind.FAMILY
            else _staff_author(m),
            new=m.author_kind == AuthorKind.FAMILY and m.read_by_staff_at is None)
            for m in messages]
        unread = [row.message.pk for row in rows if row.new]
        if unread:
            FamilyMessage.objects.filter(pk__in=unread, read_by_staff_at__isnull=True).update(
                read_by_staff_at=clock.now())
        audit_record(action=Action.CASE_VIEW, actor=actor, obj=case, persons=[case.person_id],
                     purpose=PURPOSE,
                     details={"view": "family_messages", "messages": len(rows),
                              "new": len(unread)})
    return rows


def staff_reply_post(*, actor: Actor, case: Case, text: str) -> StaffReply:
    """The coordinator's reply, and the family told that there is a new message (never what it
    says) through the outbox. NotFound, audited, for anyone but the case's bydel coordinator."""
    if not may_use_thread(actor=actor, case=case):
        raise _refuse(actor, case.pk)
    cleaned = text_clean(text)
    return _staff_reply_write(actor=actor, case=case, text=cleaned)


@transaction.atomic
def _staff_reply_write(*, actor: Actor, case: Case, text: str) -> StaffReply:
    case_require_open(case)
    message = FamilyMessage.objects.create(case=case, author_kind=AuthorKind.STAFF,
                                           author_user=actor.user, text=text)
    audit_record(action=Action.FAMILY_MESSAGE, actor=actor, obj=message,
                 persons=[case.person_id], purpose=PURPOSE,
                 details={"case": str(case.pk), "direction": "to_family",
                          "characters": len(text)})
    return StaffReply(message, family_notify(actor=actor, case=case, message=message))


def family_notify(*, actor: Actor, case: Case, message: FamilyMessage) -> list[GuardianNotice]:
    """Tell the family that a reply is waiting, in the caller's transaction: the guardians who
    may see the person on the family pages (`selectors.guardian_may_see`) and could log in there
    (a national identity number of their own) get `family.new_message` by SMS or e-mail through
    laget.notify.guardians — which also leaves out anyone KRR says is reserved, and gives the
    reason for each it cannot reach. The others are not told: the family pages would show them
    nothing.

    A young person who sees their own case (from LAGET_FAMILY_OWN_ACCESS_AGE) is not told: the
    people register holds no phone or e-mail for the person, only for guardians, so Laget has
    nowhere to send it. They see the reply the next time they log in; until the register holds
    their contact details the coordinator tells them another way."""
    person = case.person
    allowed = [g.pk for g in person.guardians.all()
               if g.national_id and guardian_may_see(g, person)]
    if not allowed:
        return []
    link = settings.LAGET_NOTIFY_LINK_BASE_URL.rstrip("/") + reverse("family:start")
    return guardian_notify(person=person, template_key=TEMPLATE_KEY, context={"link": link},
                           key_prefix=f"family-message:{message.pk}",
                           follow_up_agency=actor.agency, only=allowed)
