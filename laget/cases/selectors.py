"""Reads of a case's workflow. The case itself is opened through laget.sharing.selectors (which
audits the read); these read what hangs on a case the caller has already opened."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from laget.accounts.actor import Actor
from laget.cases.access import may_see_workflow
from laget.cases.guardians import GuardianPanel, guardian_panel_for, majority_day
from laget.cases.lifecycle import allowed_next
from laget.cases.models import CaseStatusChange, Handover, HandoverConfirmation
from laget.cases.timeline import TimelineItem, timeline_for
from laget.core import clock
from laget.records.models import Case, CaseStatus
from laget.records.services import is_district_coordinator


@dataclass(frozen=True)
class StatusPanel:
    history: list[CaseStatusChange]
    #: the statuses the actor may move the case to (empty: the actor may not move it)
    choices: list[tuple[str, str]]


def status_history(*, case: Case) -> list[CaseStatusChange]:
    return list(case.status_changes.select_related("changed_by").order_by("changed_at", "id"))


def status_choices_for(*, actor: Actor, case: Case) -> list[tuple[str, str]]:
    if not is_district_coordinator(actor, case.district_id):
        return []
    return [(str(s), str(CaseStatus(s).label)) for s in allowed_next(case.status)]


def status_panel_for(*, actor: Actor, case: Case) -> StatusPanel:
    return StatusPanel(history=status_history(case=case),
                       choices=status_choices_for(actor=actor, case=case))


@dataclass(frozen=True)
class HandoverLine:
    handover: Handover
    #: the note is for the two coordinators only
    shows_note: bool


@dataclass(frozen=True)
class WorkflowPanel:
    handovers: list[HandoverLine]
    #: the actor's own unanswered "do you stay?" questions after a handover
    my_questions: list[HandoverConfirmation]
    #: for the coordinator: questions still open for others
    open_questions: int
    guardians: GuardianPanel | None
    #: the person turns 18 on this day, within LAGET_CONSENT_LAPSE_WARNING_DAYS (coordinator only)
    majority_on: dt.date | None
    majority_in_days: int | None
    recent: list[TimelineItem]
    may_hand_over: bool


def workflow_panel_for(*, actor: Actor, case: Case, purpose: str) -> WorkflowPanel | None:
    """What the case page shows around the team: handovers and the questions they raised, the
    guardians and contacts with them, the 18-year warning and the latest timeline lines."""
    if not may_see_workflow(actor, case):
        return None
    coordinator = is_district_coordinator(actor, case.district_id)
    handovers = [
        HandoverLine(h, actor.user.pk in (h.handed_over_by_id, h.to_coordinator_id))
        for h in case.handovers.select_related("from_district", "to_district", "to_coordinator",
                                               "handed_over_by")[:5]
    ]
    pending = HandoverConfirmation.objects.filter(handover__case=case, answered_at__isnull=True)
    mine = [c for c in pending.select_related("member", "handover__to_district")
            if c.member.user_id == actor.user.pk and actor.membership is not None
            and c.member.agency_id == actor.membership.agency_id]
    majority_on, days = None, None
    if coordinator and case.is_open:
        turns = majority_day(case.person.birth_date)
        left = (turns - clock.today()).days
        if 0 <= left <= settings.LAGET_CONSENT_LAPSE_WARNING_DAYS:
            majority_on, days = turns, left
    return WorkflowPanel(
        handovers=handovers, my_questions=mine,
        open_questions=pending.count() if coordinator else 0,
        guardians=guardian_panel_for(actor=actor, case=case),
        majority_on=majority_on, majority_in_days=days,
        recent=timeline_for(actor=actor, case=case, purpose=purpose, limit=8, entries=False),
        may_hand_over=coordinator and case.is_open,
    )
