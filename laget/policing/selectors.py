"""The police unit's own registrations: its list, one registration's receipt, with each
guardian notification's delivery status read from the outbox, and the letter to a guardian the
unit tells by hand. A unit sees only its own."""

import uuid
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.services import audit_record
from laget.cases.barnevern import report_status_for_sender
from laget.cases.models import BarnevernReport
from laget.core.errors import NotFound
from laget.notify.guardians import contact_refusal
from laget.notify.models import Message
from laget.notify.templates import DEFAULT_LANGUAGE, RTL_LANGUAGES, Rendered, render
from laget.people.models import Guardian
from laget.policing.models import FastTrackRequest, PoliceRegistration
from laget.policing.services import SaltoRoute, is_police, template_key
from laget.records.models import Case
from laget.sharing.selectors import is_team_member

PAGE_SIZE = 25
_NORWEGIAN = frozenset({"nb", "nn"})


@dataclass(frozen=True)
class NoticeLine:
    guardian: str
    channel: str
    status: str  # a MessageStatus value, or "manual"
    status_label: str
    manual_reason: str
    #: the guardian's id for the letter link; "" for registrations made before it was kept,
    #: and on the receipt for a guardian no letter may go to (protected address, restricted
    #: contact)
    guardian_id: str = ""
    #: KRR could not be asked: the message went to the guardian record's details
    krr_unavailable: bool = False


@dataclass(frozen=True)
class RegistrationView:
    registration: PoliceRegistration
    notices: list[NoticeLine]
    #: the open case the entry went to, only when the reader is on its team
    case: Case | None
    #: the weapon trigger's report to barnevern (sent, received?) and fast-track request
    barnevern_report: BarnevernReport | None = None
    fast_track: FastTrackRequest | None = None


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
            guardian_id = notice.get("guardian_id", "")
            if message is None:
                rows.append(NoticeLine(notice["guardian"], "", "manual", _("Ring selv"),
                                       notice.get("manual_reason", ""), guardian_id))
            else:
                rows.append(NoticeLine(notice["guardian"], message.get_channel_display(),
                                       message.status, message.get_status_display(), "",
                                       guardian_id, bool(notice.get("krr_unavailable"))))
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


def _letter_links(registration: PoliceRegistration, lines: list[NoticeLine]) -> list[NoticeLine]:
    """Keep the letter link only for guardians a letter may go to (see contact_refusal)."""
    person = registration.person
    ids = [line.guardian_id for line in lines if line.guardian_id]
    if person is None or not ids:
        return lines
    allowed = {str(g.pk) for g in Guardian.objects.filter(pk__in=ids, person=person)
               if not contact_refusal(person=person, guardian=g)}
    return [line if line.guardian_id in allowed else replace(line, guardian_id="")
            for line in lines]


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
    return RegistrationView(
        registration, _letter_links(registration, _notice_lines([registration])[registration.pk]),
        case,
        barnevern_report=report_status_for_sender(report_id=registration.barnevern_report_id),
        fast_track=FastTrackRequest.objects.filter(registration=registration).first())


@dataclass(frozen=True)
class GuardianLetter:
    """The guardian's message as a letter: the same template text the SMS or e-mail carries."""

    registration: PoliceRegistration
    guardian: Guardian
    #: in the guardian's language (bokmål when there is no text in it)
    text: Rendered
    #: the bokmål text printed below a translation, so that a helper or interpreter can check
    #: it (most translations are unreviewed drafts); None for a letter in bokmål or nynorsk
    original: Rendered | None
    unit_name: str
    phone: str

    @property
    def direction(self) -> str:
        return "rtl" if self.text.language in RTL_LANGUAGES else "ltr"


def guardian_letter_get_for(*, actor: Actor, registration_id: uuid.UUID | str,
                            guardian_id: uuid.UUID | str) -> GuardianLetter:
    """The letter to one guardian named on one of the unit's registrations, for a guardian the
    unit tells by hand (no phone, restricted contact, a message that failed). NotFound (audited as
    denied) for another unit's registration, a guardian not on its notices, or a registration
    guardians are not told of. The caller audits the letter it makes."""
    registration = (_unit_registrations(actor).select_related("unit", "person")
                    .filter(pk=registration_id).first())
    key = (template_key(kind=registration.kind, weapon_type=registration.weapon_type)
           if registration is not None else None)
    named = ({str(n.get("guardian_id", "")) for n in registration.notices}
             if registration is not None else set())
    guardian = None
    if registration is not None and registration.person_id and key and str(guardian_id) in named:
        guardian = Guardian.objects.filter(pk=guardian_id, person_id=registration.person_id,
                                           parental_responsibility=True).first()
        # A protected address or restricted contact: a letter could reveal what the protection
        # hides; a person decides how to reach this guardian, not a printout.
        if guardian is not None and contact_refusal(person=registration.person,
                                                    guardian=guardian):
            guardian = None
    if registration is None or guardian is None or key is None:
        audit_record(action=Action.POLICE_VIEW, actor=actor, outcome=Outcome.DENIED,
                     purpose=Purpose.FOREBYGGING,
                     details={"object_id": str(registration_id), "letter": True})
        raise NotFound()
    assert registration.person is not None
    context = {"first_name": registration.person.given_name, "unit": registration.unit.name,
               "phone": settings.LAGET_POLICE_PHONE}
    text = render(key, guardian.preferred_language, context)
    original = (render(key, DEFAULT_LANGUAGE, context)
                if text.language not in _NORWEGIAN else None)
    return GuardianLetter(registration=registration, guardian=guardian, text=text,
                          original=original, unit_name=registration.unit.name,
                          phone=settings.LAGET_POLICE_PHONE)
