"""Writes to the SaLTo case workflow: opening a case with the start of its status history, and
moving its status. Atomic and audited, like every write of personal data."""

from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.lifecycle import allowed_next
from laget.cases.models import CaseStatusChange
from laget.core import clock
from laget.core.errors import DomainError
from laget.people.models import Person
from laget.records import services as records
from laget.records.models import Case, CaseStatus
from laget.records.services import is_district_coordinator

REASON_MAX_LENGTH = 2000


@transaction.atomic
def case_open(*, actor: Actor, person: Person) -> Case:
    """Open a case in assessment (records.services.case_open: who, age range, one open case per
    person) and write the first row of its status history."""
    case = records.case_open(actor=actor, person=person)
    CaseStatusChange.objects.create(case=case, to_status=case.status, changed_by=actor.user,
                                    changed_at=case.created_at)
    return case


@transaction.atomic
def case_transition(*, actor: Actor, case: Case, to: str, reason: str) -> CaseStatusChange:
    """Move a case to another status with a stated reason. Only the SaLTo coordinator or leader
    of the case's bydel may. The case row is locked and its status read again, so two people
    moving the same case at once cannot both succeed from the same status."""
    locked = Case.objects.select_for_update(no_key=True).filter(pk=case.pk).first()
    if locked is None:
        raise DomainError(_("Saken finnes ikke."), code="not_found")
    if not is_district_coordinator(actor, locked.district_id):
        raise DomainError(_("Bare SaLTo-koordinatoren eller lederen i sakens bydel kan endre "
                            "status."), code="not_coordinator")
    if to not in CaseStatus.values:
        raise DomainError(_("Ukjent status."), code="unknown_status")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Skriv en begrunnelse for statusendringen."), code="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(_("Begrunnelsen kan være høyst %(n)s tegn.")
                          % {"n": REASON_MAX_LENGTH}, code="reason")
    current = CaseStatus(locked.status)
    target = CaseStatus(to)
    if locked.status != case.status:
        raise DomainError(
            _("Saken har fått status «%(status)s» i mellomtiden. Se over og prøv igjen.")
            % {"status": current.label}, code="stale")
    if target not in allowed_next(current):
        raise DomainError(
            _("En sak med status «%(current)s» kan ikke flyttes til «%(target)s».")
            % {"current": current.label, "target": target.label}, code="transition")
    now = clock.now()
    locked.status = target
    locked.closed_at = now if target == CaseStatus.CLOSED else None
    locked.updated_at = now
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    change = CaseStatusChange.objects.create(
        case=locked, from_status=current, to_status=target, reason=reason,
        changed_by=actor.user, changed_at=now,
    )
    # The reason is free text and may name people: it stays in the history, not in the log.
    audit_record(action=Action.CASE_STATUS, actor=actor, obj=locked, persons=[locked.person_id],
                 purpose=Purpose.FOREBYGGING,
                 details={"from": str(current), "to": str(target), "change_id": str(change.pk)})
    case.status, case.closed_at, case.updated_at = locked.status, locked.closed_at, now
    return change
