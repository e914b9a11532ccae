"""Reads of the family support, each audited in the same transaction; an object the reader may
not see does not exist for them (NotFound, audited as denied without saying more — outside any
transaction of the selector's own, so that the refusal's event stays).

A relocation's destination is read through `relocation_get_for` only, which says whether the
reader may see it and audits that read as its own event (`details.view: destination`)."""

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.services import audit_record
from laget.cases.access import known_agency_ids, may_see_workflow
from laget.cases.models import Meeting
from laget.core.errors import NotFound
from laget.familysupport import access
from laget.familysupport.models import (
    InterpreterBooking,
    ParentSupportReferral,
    ReferralStatus,
    RelocationApplication,
)
from laget.records.models import Case

PURPOSE = Purpose.OPPFOLGING

# --- parent support -------------------------------------------------------------------------------


def _referrals() -> QuerySet[ParentSupportReferral]:
    return ParentSupportReferral.objects.select_related(
        "guardian", "offer__provider", "referring_agency", "referred_by", "case__district")


@transaction.atomic
def referrals_on_case_for(*, actor: Actor, case: Case) -> list[ParentSupportReferral]:
    """The case's referrals from agencies whose involvement the reader may know."""
    if not may_see_workflow(actor, case):
        return []
    known = known_agency_ids(actor, case, PURPOSE)
    rows = list(_referrals().filter(case=case, referring_agency_id__in=known))
    if rows:
        audit_record(action=Action.FAMILYSUPPORT_PARENT_VIEW, actor=actor, obj=case,
                     persons=[case.person_id], purpose=PURPOSE,
                     details={"referrals": len(rows)})
    return rows


@transaction.atomic
def referrals_received_for(*, actor: Actor) -> list[ParentSupportReferral]:
    """The provider's list: referrals to its programmes, open first."""
    rows = list(_referrals().filter(access.provider_filter(actor)))
    order = {ReferralStatus.SENT: 0, ReferralStatus.ACCEPTED: 1}
    rows.sort(key=lambda r: (order.get(r.status, 2), -r.created_at.timestamp()))
    if rows:
        audit_record(action=Action.FAMILYSUPPORT_PARENT_VIEW, actor=actor, purpose=PURPOSE,
                     persons=sorted({r.case.person_id for r in rows}),
                     details={"received": len(rows)})
    return rows


def referral_get_for(*, actor: Actor, referral_id: uuid.UUID | str) -> ParentSupportReferral:
    referral = _referrals().select_related("case__person").filter(pk=referral_id).first()
    if referral is None or not access.may_see_referral(actor, referral, PURPOSE):
        audit_record(action=Action.FAMILYSUPPORT_PARENT_VIEW, actor=actor,
                     outcome=Outcome.DENIED, purpose=PURPOSE,
                     details={"object_id": str(referral_id)})
        raise NotFound()
    audit_record(action=Action.FAMILYSUPPORT_PARENT_VIEW, actor=actor, obj=referral,
                 persons=[referral.case.person_id], purpose=PURPOSE)
    return referral


# --- relocation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelocationView:
    """An application as one reader may see it: `destination` is None where it is hidden
    («Skjermet»)."""

    application: RelocationApplication
    protected: bool
    destination: str | None
    paid: int
    may_decide: bool
    may_handle: bool


def _applications() -> QuerySet[RelocationApplication]:
    return RelocationApplication.objects.select_related(
        "case__person", "district", "registered_by", "leader")


@transaction.atomic
def relocation_list_for(*, actor: Actor, case: Case | None = None) -> list[RelocationApplication]:
    """The applications the reader may see (of one case, with `case`). Lists never show the
    destination."""
    rows = _applications().filter(access.relocation_filter(actor)).distinct()
    if case is not None:
        rows = rows.filter(case=case)
    result = list(rows.order_by("-created_at"))
    if result:
        audit_record(action=Action.FAMILYSUPPORT_RELOCATION_LIST, actor=actor, purpose=PURPOSE,
                     persons=sorted({a.case.person_id for a in result}),
                     details={"results": len(result)})
    return result


def relocation_get_for(*, actor: Actor,
                       application_id: uuid.UUID | str) -> RelocationView:
    application = _applications().filter(pk=application_id).first()
    if application is None or not access.may_see_relocation(actor, application):
        audit_record(action=Action.FAMILYSUPPORT_RELOCATION_VIEW, actor=actor,
                     outcome=Outcome.DENIED, purpose=PURPOSE,
                     details={"object_id": str(application_id)})
        raise NotFound()
    protected = access.destination_protected(application)
    shown = access.has_destination_need(actor, application) or not protected
    person = application.case.person_id
    with transaction.atomic():
        audit_record(action=Action.FAMILYSUPPORT_RELOCATION_VIEW, actor=actor, obj=application,
                     persons=[person], purpose=PURPOSE)
        if shown:
            # the destination's read is an event of its own (without the destination in it)
            audit_record(action=Action.FAMILYSUPPORT_RELOCATION_VIEW, actor=actor,
                         obj=application, persons=[person], purpose=PURPOSE,
                         details={"view": "destination", "protected": protected})
    paid = sum(p.amount for p in application.payments.all())
    return RelocationView(
        application=application, protected=protected,
        destination=(f"{application.destination_number} {application.destination_name}"
                     if shown else None),
        paid=paid, may_decide=access.may_decide(actor, application),
        may_handle=access.may_handle(actor, application))


# --- interpreters ---------------------------------------------------------------------------------


@transaction.atomic
def interpreter_bookings_on_case_for(*, actor: Actor, case: Case) -> list[InterpreterBooking]:
    """The case's bookings for its workflow readers (interpreter, language, time and cost; the
    young person is only the case)."""
    if not may_see_workflow(actor, case):
        return []
    rows = list(InterpreterBooking.objects.filter(case=case)
                .select_related("agency", "booked_by", "meeting"))
    if rows:
        audit_record(action=Action.FAMILYSUPPORT_INTERPRETER_LIST, actor=actor, obj=case,
                     persons=[case.person_id], purpose=PURPOSE,
                     details={"results": len(rows)})
    return rows


def meetings_of(case: Case) -> list[Meeting]:
    """The case's meetings an interpreter booking may be linked to (the reader sees the case)."""
    return list(Meeting.objects.filter(case=case).order_by("-starts_at"))
