"""Writes: a request registered (by a team member on the person's behalf, or from the family
pages), and its decision. Each is one transaction with its audit event. A decision that changes
the record corrects each entry concerned through `sharing.services.entry_correct`: a new entry
supersedes the old one, which the normal views no longer show but the history, the archive and
the audit log keep. The deciding agency's team members are told through the outbox, with no
personal data in the text."""

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType, User
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.models import Goal, Task
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.notify.services import notify_user
from laget.people.models import Guardian
from laget.records.models import Case, TeamMember
from laget.records.services import CASE_ROLES, is_district_coordinator
from laget.rectification.models import (
    CHANGING,
    DECISIONS,
    TEXT_MAX_LENGTH,
    Channel,
    Kind,
    RectificationRequest,
    RequestedBy,
    RequestedEntry,
)
from laget.rectification.selectors import ENTRY_PURPOSE, may_decide, requesting_guardians
from laget.sharing import selectors as sharing
from laget.sharing import services as sharing_services

#: Requests are handled as keeping the record right: registration and maintenance.
PURPOSE = Purpose.REGISTRERING


#: GDPR art. 12(3): "extended by two further months where necessary".
EXTENSION_MONTHS = 2


def deadline_for(received_at: dt.datetime) -> dt.date:
    """One month after receipt (GDPR art. 12(3)): the same day of the next month in Oslo, or that
    month's last day when it has no such day (31 January → 28 or 29 February)."""
    return clock.add_months(received_at.astimezone(clock.OSLO).date(), 1)


def _text(value: str, *, required: bool, message: str, code: str) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(message, code=code)
    if len(value) > TEXT_MAX_LENGTH:
        raise DomainError(_("Teksten er for lang (høyst %(max)s tegn).")
                          % {"max": TEXT_MAX_LENGTH}, code=code)
    return value


def _requester(case: Case, requested_by: str, guardian_id: uuid.UUID | str | None
               ) -> Guardian | None:
    if requested_by == RequestedBy.SELF:
        return None
    if requested_by != RequestedBy.GUARDIAN:
        raise DomainError(_("Oppgi hvem som ber om retting."), code="requested_by")
    guardian = next((g for g in requesting_guardians(case) if str(g.pk) == str(guardian_id)),
                    None)
    if guardian is None:
        raise DomainError(_("Velg hvilken foresatt som ber om retting."), code="guardian")
    return guardian


def _team_users(case: Case, agency: Agency) -> list[User]:
    """The deciding agency's current members of the case's team; for a bydel with none there,
    the coordinators of the case's bydel agencies on the team."""
    members = TeamMember.objects.active().filter(case=case, agency=agency).select_related("user")
    users = {m.user for m in members}
    if not users and agency.type == AgencyType.BYDEL:
        users = {m.user for m in TeamMember.objects.active().filter(
            case=case, agency__type=AgencyType.BYDEL, agency__district_id=case.district_id,
        ).select_related("user")}
    return sorted(users, key=lambda u: str(u.pk))


def _tell_agency(request: RectificationRequest) -> None:
    link = reverse("web:rectification_detail", kwargs={"rectification_id": request.pk})
    # Staff read Laget in bokmål; a request from the family pages may come in another language.
    with translation.override(settings.LANGUAGE_CODE):
        for user in _team_users(request.case, request.agency):
            notify_user(
                user=user, key=f"rectification-request:{request.pk}:{user.pk}",
                subject=_("Et krav om retting er mottatt"),
                body=_("Et krav om retting eller en innsigelse gjelder opplysninger din "
                       "virksomhet har registrert i en sak du er med i. Kravet skal avgjøres "
                       "innen %(deadline)s.") % {"deadline": request.deadline.strftime("%d.%m.%Y")},
                link=link,
            )


def _create(*, kind: str, case: Case, agency: Agency, channel: str, requested_by: str,
            guardian: Guardian | None, what_is_wrong: str, should_say: str,
            registered_by: Actor | None = None, task: Task | None = None,
            goal: Goal | None = None) -> RectificationRequest:
    now = clock.now()
    plan_item = (task.title if task is not None else goal.title if goal is not None else "")
    return RectificationRequest.objects.create(
        kind=kind, person_id=case.person_id, case=case, agency=agency, channel=channel,
        requested_by=requested_by, guardian=guardian,
        registered_by=registered_by.user if registered_by is not None else None,
        registered_by_agency=registered_by.agency if registered_by is not None else None,
        task=task, goal=goal, plan_item=plan_item[:300],
        what_is_wrong=what_is_wrong, should_say=should_say, received_at=now,
        deadline=deadline_for(now),
    )


def _check_kind(kind: str) -> None:
    if kind not in Kind.values:
        raise DomainError(_("Velg om det er et krav om retting eller en innsigelse."),
                          code="kind")


def request_register(
    *, actor: Actor, case: Case, entry_ids: Sequence[uuid.UUID | str], kind: str,
    what_is_wrong: str, should_say: str = "", requested_by: str = RequestedBy.SELF,
    guardian_id: uuid.UUID | str | None = None,
) -> RectificationRequest:
    """A team member registers a request on behalf of the person (or a guardian) about entries
    they can read. The entries must be current versions from one agency, which decides. Each is
    read through the sharing engine (audited) before the write."""
    if actor.role not in CASE_ROLES or actor.agency is None:
        raise DomainError(_("Rollen din kan ikke registrere krav om retting."), code="role")
    if not (sharing.is_team_member(actor=actor, case=case)
            or is_district_coordinator(actor, case.district_id)):
        raise DomainError(_("Du må være med i teamet for å registrere krav om retting."),
                          code="not_on_team")
    _check_kind(kind)
    what_is_wrong = _text(what_is_wrong, required=True, code="what_is_wrong",
                          message=_("Skriv hva som er feil."))
    should_say = _text(should_say, required=False, code="should_say", message="")
    ids = list(dict.fromkeys(str(i) for i in entry_ids))
    if not ids:
        raise DomainError(_("Velg hvilke opplysninger kravet gjelder."), code="entries")
    shown = []
    for entry_id in ids:
        try:
            one = sharing.entry_get_for(actor=actor, case=case, entry_id=entry_id,
                                        purpose=ENTRY_PURPOSE)
        except NotFound:
            raise DomainError(_("Du kan bare be om retting av opplysninger du ser."),
                              code="entries") from None
        history = sharing.entry_history_for(actor=actor, shown=one, purpose=ENTRY_PURPOSE)
        if any(h.entry.supersedes_id == one.entry.pk for h in history):
            raise DomainError(_("Opplysningen er allerede rettet; velg den nyeste versjonen."),
                              code="superseded")
        shown.append(one)
    agencies = {s.entry.source_agency_id for s in shown}
    if len(agencies) != 1:
        raise DomainError(_("Et krav gjelder opplysninger fra én virksomhet, som avgjør det. "
                            "Registrer ett krav for hver virksomhet."), code="agencies")
    with transaction.atomic():
        guardian = _requester(case, requested_by, guardian_id)
        request = _create(kind=kind, case=case, agency=shown[0].entry.source_agency,
                          channel=Channel.STAFF, requested_by=requested_by, guardian=guardian,
                          what_is_wrong=what_is_wrong, should_say=should_say,
                          registered_by=actor)
        RequestedEntry.objects.bulk_create(
            [RequestedEntry(request=request, entry_id=s.entry.pk) for s in shown])
        audit_record(action=Action.RECTIFICATION_REQUEST, actor=actor, obj=request,
                     persons=[case.person_id], purpose=PURPOSE,
                     details={"kind": kind, "channel": Channel.STAFF,
                              "requested_by": requested_by,
                              **({"guardian": str(guardian.pk)} if guardian else {}),
                              "entries": ids, "deadline": request.deadline.isoformat()})
        _tell_agency(request)
    return request


def _bydel_agency(case: Case) -> Agency:
    """The case's bydel: the bydel agency of its district on its team (the coordinator's), else
    the district's bydel agency."""
    member = (TeamMember.objects.active()
              .filter(case=case, agency__type=AgencyType.BYDEL,
                      agency__district_id=case.district_id)
              .select_related("agency").order_by("joined_on", "created_at").first())
    if member is not None:
        return member.agency
    agency = (Agency.objects.filter(type=AgencyType.BYDEL, district_id=case.district_id)
              .order_by("created_at").first())
    if agency is None:
        raise DomainError(_("Saken har ingen bydel som kan avgjøre kravet."), code="agency")
    return agency


@transaction.atomic
def request_register_family(
    *, case: Case, kind: str, what_is_wrong: str, should_say: str, requested_by: str,
    guardian: Guardian | None, task: Task | None, goal: Goal | None, details: dict[str, Any],
) -> RectificationRequest:
    """A request from the family pages. The family sees the plan, not entries: the request names
    the case and says freely what is wrong, optionally pointing at a plan item the family sees
    (laget.family checks who the citizen is, what they see, and names them in `details`). The
    agency responsible for the task decides, else the case's bydel."""
    _check_kind(kind)
    what_is_wrong = _text(what_is_wrong, required=True, code="what_is_wrong",
                          message=_("Skriv hva som er feil."))
    should_say = _text(should_say, required=False, code="should_say", message="")
    if (requested_by == RequestedBy.GUARDIAN) != (guardian is not None):
        raise DomainError(_("Oppgi hvem som ber om retting."), code="requested_by")
    if guardian is not None and guardian.person_id != case.person_id:
        raise DomainError(_("Oppgi hvem som ber om retting."), code="requested_by")
    agency = task.agency if task is not None else _bydel_agency(case)
    request = _create(kind=kind, case=case, agency=agency, channel=Channel.FAMILY,
                      requested_by=requested_by, guardian=guardian,
                      what_is_wrong=what_is_wrong, should_say=should_say, task=task, goal=goal)
    audit_record(action=Action.RECTIFICATION_REQUEST, actor=None, obj=request,
                 persons=[case.person_id], purpose=PURPOSE,
                 details={**details, "kind": kind, "channel": Channel.FAMILY,
                          "plan_item": "task" if task else "goal" if goal else "",
                          "deadline": request.deadline.isoformat()})
    _tell_agency(request)
    return request


@transaction.atomic
def _locked_open(actor: Actor, request: RectificationRequest,
                 refusal: str) -> RectificationRequest:
    """The request under its row lock, still open, for one who may decide it."""
    locked = RectificationRequest.objects.select_for_update().filter(pk=request.pk).first()
    if locked is None:
        raise NotFound()
    if not may_decide(actor, locked):
        raise DomainError(refusal, code="forbidden")
    if not locked.is_open:
        raise DomainError(_("Kravet er allerede avgjort."), code="decided")
    return locked


def request_decide(
    *, actor: Actor, request: RectificationRequest, decision: str, reason: str,
    corrected_text: str = "",
) -> RectificationRequest:
    """The deciding agency's caseworker, coordinator or leader on the team decides. A decision
    that changes the record (corrected, partly, objection upheld) needs the new text, and each
    entry concerned is superseded by a new entry with it; a reason is always required."""
    request = _locked_open(actor, request,
                           _("Bare virksomheten som eier opplysningene, kan avgjøre kravet."))
    if decision not in DECISIONS[request.kind]:
        raise DomainError(_("Velg en avgjørelse."), code="decision")
    reason = _text(reason, required=True, code="reason",
                   message=_("Skriv begrunnelsen for avgjørelsen."))
    corrected_text = (corrected_text or "").strip()
    changing = decision in CHANGING
    rows = list(request.entries.order_by("created_at", "id"))
    if changing and not corrected_text:
        raise DomainError(_("Skriv hva opplysningen skal si etter rettingen."),
                          code="corrected_text")
    if not changing:
        corrected_text = ""
    now = clock.now()
    for row in rows if changing else []:
        correction = sharing_services.entry_correct(
            actor=actor, case=request.case, entry_id=row.entry_id, text=corrected_text)
        row.correction = correction
        row.save(update_fields=["correction", "updated_at"])
    request.decision = decision
    request.reason = reason
    request.corrected_text = corrected_text
    request.decided_by = actor.user
    request.decided_at = now
    request.save(update_fields=["decision", "reason", "corrected_text", "decided_by",
                                "decided_at", "updated_at"])
    audit_record(action=Action.RECTIFICATION_DECIDE, actor=actor, obj=request,
                 persons=[request.person_id], purpose=PURPOSE,
                 details={"decision": decision, "kind": request.kind,
                          "entries": [str(r.entry_id) for r in rows],
                          "corrections": [str(r.correction_id) for r in rows if r.correction_id],
                          "overdue": now.astimezone(clock.OSLO).date() > request.deadline})
    if request.registered_by_id and request.registered_by_id != actor.user.pk:
        with translation.override(settings.LANGUAGE_CODE):
            notify_user(
                user=request.registered_by,  # type: ignore[arg-type]
                key=f"rectification-decided:{request.pk}",
                subject=_("Et krav om retting er avgjort"),
                body=_("Et krav om retting eller en innsigelse du registrerte, er avgjort. Gi "
                       "personen svar og begrunnelse. Se avgjørelsen i Laget."),
                link=reverse("web:rectification_detail",
                             kwargs={"rectification_id": request.pk}),
            )
    return request


def request_extend(*, actor: Actor, request: RectificationRequest,
                   reason: str) -> RectificationRequest:
    """GDPR art. 12(3): where a request is complex or there are many, the deciding agency may
    extend the month once by two further months, within the first month and with its reasons.
    Whoever registered the request is asked to tell the person; the family pages show the new
    deadline and the reasons."""
    request = _locked_open(actor, request,
                           _("Bare virksomheten som eier opplysningene, kan forlenge fristen."))
    if request.is_extended:
        raise DomainError(_("Fristen er allerede forlenget én gang."), code="extended")
    today = clock.today()
    if today > request.deadline:
        raise DomainError(_("Fristen kan bare forlenges før den første måneden er ute."),
                          code="too_late")
    reason = _text(reason, required=True, code="reason",
                   message=_("Skriv hvorfor fristen må forlenges."))
    now = clock.now()
    request.extended_from = request.deadline
    request.deadline = clock.add_months(request.deadline, EXTENSION_MONTHS)
    request.extended_at = now
    request.extended_by = actor.user
    request.extension_reason = reason
    request.save(update_fields=["extended_from", "deadline", "extended_at", "extended_by",
                                "extension_reason", "updated_at"])
    audit_record(action=Action.RECTIFICATION_EXTEND, actor=actor, obj=request,
                 persons=[request.person_id], purpose=PURPOSE,
                 details={"kind": request.kind, "from": request.extended_from.isoformat(),
                          "to": request.deadline.isoformat()})
    link = reverse("web:rectification_detail", kwargs={"rectification_id": request.pk})
    with translation.override(settings.LANGUAGE_CODE):
        body = _("Fristen for et krav om retting eller en innsigelse er forlenget til "
                 "%(deadline)s. Personen skal få vite om forlengelsen og grunnen innen den "
                 "første fristen.") % {"deadline": request.deadline.strftime("%d.%m.%Y")}
        if request.registered_by_id and request.registered_by_id != actor.user.pk:
            notify_user(user=request.registered_by,  # type: ignore[arg-type]
                        key=f"rectification-extended:{request.pk}",
                        subject=_("Fristen for et krav om retting er forlenget"),
                        body=body, link=link)
    return request


#: Days before the deadline the deciding agency is reminded of an open request.
REMINDER_DAYS = 7


def remind_due(*, today: dt.date | None = None) -> int:
    """Once a day: the deciding agency's people on the case are reminded of every open request
    whose deadline is within `REMINDER_DAYS` days, and told once more when it has passed. Each
    message is keyed by request, user and deadline, so a day's second run sends nothing and an
    extended deadline is reminded afresh. No personal data in the text. Returns the messages
    queued."""
    today = today or clock.today()
    soon = today + dt.timedelta(days=REMINDER_DAYS)
    sent = 0
    due = (RectificationRequest.objects.filter(decision="", deadline__lte=soon)
           .select_related("case", "agency").order_by("deadline", "id"))
    with translation.override(settings.LANGUAGE_CODE):
        for request in due:
            overdue = request.deadline < today
            link = reverse("web:rectification_detail", kwargs={"rectification_id": request.pk})
            deadline = request.deadline.strftime("%d.%m.%Y")
            if overdue:
                subject = _("Et krav om retting har passert fristen")
                body = _("Fristen for et krav om retting eller en innsigelse i en sak du er med "
                         "i, gikk ut %(deadline)s. Avgjør kravet så snart som mulig.") % {
                             "deadline": deadline}
            else:
                subject = _("Et krav om retting skal avgjøres snart")
                body = _("Et krav om retting eller en innsigelse i en sak du er med i, skal "
                         "avgjøres innen %(deadline)s.") % {"deadline": deadline}
            stage = "overdue" if overdue else "soon"
            for user in _team_users(request.case, request.agency):
                with transaction.atomic():
                    message = notify_user(
                        user=user, subject=subject, body=body, link=link,
                        key=f"rectification-{stage}:{request.pk}:{user.pk}:{request.deadline}")
                sent += message is not None
    return sent
