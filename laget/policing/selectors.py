"""The police unit's own registrations: its list and one registration's receipt, with each
guardian notification's delivery status read from the outbox. A unit sees only its own."""

import uuid
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.services import audit_record
from laget.core.errors import NotFound
from laget.notify.models import Message
from laget.policing.models import PoliceRegistration
from laget.policing.services import SaltoRoute, is_police
from laget.records.models import Case
from laget.sharing.selectors import is_team_member

PAGE_SIZE = 25


@dataclass(frozen=True)
class NoticeLine:
    guardian: str
    channel: str
    status: str  # a MessageStatus value, or "manual"
    status_label: str
    manual_reason: str


@dataclass(frozen=True)
class RegistrationView:
    registration: PoliceRegistration
    notices: list[NoticeLine]
    #: the open case the entry went to, only when the reader is on its team
    case: Case | None


def _unit_registrations(actor: Actor) -> QuerySet[PoliceRegistration]:
    if not is_police(actor):
        return PoliceRegistration.objects.none()
    return (PoliceRegistration.objects.filter(unit_id=actor.membership.agency_id)  # type: ignore[union-attr]
            .select_related("subdistrict", "officer"))


def _notice_lines(registrations: list[PoliceRegistration]) -> dict[uuid.UUID, list[NoticeLine]]:
    ids = [n["message_id"] for r in registrations for n in r.notices if n.get("message_id")]
    messages = {str(m.pk): m for m in Message.objects.filter(pk__in=ids).only(
        "id", "status", "channel")}
    lines: dict[uuid.UUID, list[NoticeLine]] = {}
    for registration in registrations:
        rows = []
        for notice in registration.notices:
            message = messages.get(notice.get("message_id") or "")
            if message is None:
                rows.append(NoticeLine(notice["guardian"], "", "manual", _("Ring selv"),
                                       notice.get("manual_reason", "")))
            else:
                rows.append(NoticeLine(notice["guardian"], message.get_channel_display(),
                                       message.status, message.get_status_display(), ""))
        lines[registration.pk] = rows
    return lines


def registration_list_for(*, actor: Actor, page: int | str = 1) -> Page:
    """The unit's registrations, newest first, each with its notifications' status (audited:
    the persons listed)."""
    result = Paginator(_unit_registrations(actor).order_by("-occurred_at", "-id"),
                       PAGE_SIZE).get_page(page)
    registrations = list(result.object_list)
    lines = _notice_lines(registrations)
    result.object_list = [RegistrationView(r, lines[r.pk], None) for r in registrations]
    if registrations:
        audit_record(action=Action.POLICE_VIEW, actor=actor,
                     persons=[r.person_id for r in registrations if r.person_id],
                     purpose=Purpose.FOREBYGGING, details={"list": len(registrations)})
    return result


def registration_get_for(*, actor: Actor, registration_id: uuid.UUID | str) -> RegistrationView:
    """One of the unit's registrations as its receipt (audited); NotFound for anything else. The
    case is named only to a reader on its team: to anyone else the registration went «to the
    SaLTo coordinator», whether it landed on a case or became a concern."""
    registration = _unit_registrations(actor).filter(pk=registration_id).first()
    if registration is None:
        audit_record(action=Action.POLICE_VIEW, actor=actor, outcome=Outcome.DENIED,
                     purpose=Purpose.FOREBYGGING, details={"object_id": str(registration_id)})
        raise NotFound()
    case = None
    if registration.salto_route == SaltoRoute.ENTRY and registration.salto_case_id:
        found = Case.objects.filter(pk=registration.salto_case_id).first()
        if found is not None and is_team_member(actor=actor, case=found):
            case = found
    audit_record(action=Action.POLICE_VIEW, actor=actor, obj=registration,
                 persons=[registration.person_id] if registration.person_id else [],
                 purpose=Purpose.FOREBYGGING)
    return RegistrationView(registration, _notice_lines([registration])[registration.pk], case)
