"""Reads of the youth fast track for the pages another engineer builds: the responsible
agencies' list of open cases by days left, and one case with its milestones and stages. Every
read of personal data is audited in the same transaction; a case the reader may not see does not
exist for them (NotFound, never a refusal that confirms it)."""

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import NotFound
from laget.fasttrack import access
from laget.fasttrack.deadlines import StageStatus, stages_for
from laget.fasttrack.models import (
    CaseStatus,
    Milestone,
    MilestoneKind,
    ReactionPlan,
    YouthCase,
)
from laget.policing.models import FastTrackRequest


def case_stages(case: YouthCase, milestones: list[Milestone], *,
                today: dt.date | None = None) -> list[StageStatus]:
    """The case's stages from its milestones (see deadlines.stages_for)."""
    by_kind = {m.kind: m.occurred_on for m in milestones}
    outcome = next((m.outcome for m in milestones if m.kind == MilestoneKind.CHARGE_DECISION), "")
    return stages_for(by_kind, outcome=outcome, target_set=case.target_set,
                      today=today or clock.today(), is_open=case.status == CaseStatus.OPEN)


def most_urgent(stages: list[StageStatus]) -> StageStatus | None:
    """The running stage with a target and the fewest days left (the most overdue first)."""
    running = [s for s in stages if s.running and s.days_left is not None]
    return min(running, key=lambda s: (s.days_left, s.stage.code)) if running else None


@dataclass(frozen=True)
class OpenCaseRow:
    """One line of a responsible agency's list. `urgent` is the running stage with the fewest
    days left (None when no running stage has a target); `stages` all the case's stages."""

    case_id: uuid.UUID
    police_case_number: str
    person_name: str
    age_at_offence: int
    target_set: str
    weapon: bool
    urgent: StageStatus | None
    stages: list[StageStatus]
    #: the sides of the case the reader acts for ("police", "court", …)
    sides: frozenset[str]

    @property
    def overdue(self) -> bool:
        return self.urgent is not None and self.urgent.overdue

    @property
    def days_left(self) -> int | None:
        return self.urgent.days_left if self.urgent is not None else None


def _sort_key(row: OpenCaseRow) -> tuple[int, int]:
    # Overdue first (the most overdue at the top), then by days left; cases with no running
    # target last. The sort is stable, so ties keep the oldest offence first.
    if row.urgent is None or row.urgent.days_left is None:
        return (1, 0)
    return (0, row.urgent.days_left)


@transaction.atomic
def open_cases_for(*, actor: Actor, today: dt.date | None = None) -> list[OpenCaseRow]:
    """The open cases where the actor's agency is responsible or named, ordered by days left,
    overdue first. A fixed number of queries whatever the number of cases."""
    today = today or clock.today()
    cases = list(YouthCase.objects.filter(access.visible_filter(actor), status=CaseStatus.OPEN)
                 .select_related("person").order_by("offence_on", "pk"))
    by_case: dict[uuid.UUID, list[Milestone]] = defaultdict(list)
    for milestone in Milestone.objects.filter(case__in=cases).order_by("occurred_on"):
        by_case[milestone.case_id].append(milestone)
    rows = []
    for case in cases:
        stages = case_stages(case, by_case[case.pk], today=today)
        rows.append(OpenCaseRow(
            case_id=case.pk, police_case_number=case.police_case_number,
            person_name=case.person.full_name, age_at_offence=case.age_at_offence,
            target_set=case.target_set, weapon=case.weapon, urgent=most_urgent(stages),
            stages=stages, sides=frozenset(access.sides_of(actor, case))))
    rows.sort(key=_sort_key)
    audit_record(action=Action.FASTTRACK_LIST, actor=actor, purpose=Purpose.STRAFFESAK,
                 persons=[case.person_id for case in cases], details={"results": len(rows)})
    return rows


@dataclass(frozen=True)
class CaseDetail:
    """One case as its page shows it: the case, its milestones in order, its stages against their
    targets, the milestones the reader may record next, and the reaction plan (if any)."""

    case: YouthCase
    milestones: list[Milestone]
    stages: list[StageStatus]
    may_record: list[str]
    may_change_reaction: bool
    reaction_plan: ReactionPlan | None


@transaction.atomic
def youth_case_get_for(*, actor: Actor, case_id: uuid.UUID) -> CaseDetail:
    case = (YouthCase.objects.select_related("person", "unit", "court", "konfliktraad",
                                             "kriminalomsorg")
            .filter(pk=case_id).first())
    if case is None or not access.may_see(actor, case):
        raise NotFound()
    milestones = list(case.milestones.select_related("recorded_by").order_by("occurred_on"))
    done = {m.kind for m in milestones}
    is_open = case.status == CaseStatus.OPEN
    recordable = [kind for kind in MilestoneKind.values
                  if is_open and kind not in done and access.may_record(actor, case, kind)]
    reaction = (ReactionPlan.objects.filter(case=case)
                .prefetch_related("components__agency", "breaches").first())
    audit_record(action=Action.FASTTRACK_VIEW, actor=actor, obj=case, persons=[case.person_id],
                 purpose=Purpose.STRAFFESAK)
    return CaseDetail(case=case, milestones=milestones, stages=case_stages(case, milestones),
                      may_record=recordable,
                      may_change_reaction=is_open and access.may_change_reaction(actor, case),
                      reaction_plan=reaction)


@dataclass(frozen=True)
class PendingRequest:
    """A weapon trigger's request for the fast track not yet taken up, for the unit's prosecutor
    to open a case from (`services.fasttrack_open_from_request`). `person_id` is None when the
    police registered someone not (yet) in Laget; the name is then the one registered."""

    request_id: uuid.UUID
    requested_at: dt.datetime
    person_id: uuid.UUID | None
    name: str
    birth_date: dt.date
    occurred_at: dt.datetime
    offence_category: str
    weapon_type: str


@transaction.atomic
def pending_requests_for(*, actor: Actor) -> list[PendingRequest]:
    """The requests of the prosecutor's own unit that no case has taken up, oldest first."""
    if not access.is_prosecutor(actor) or actor.membership is None:
        return []
    requests = list(FastTrackRequest.objects.filter(unit_id=actor.membership.agency_id,
                                                    taken_up_at__isnull=True)
                    .select_related("registration").order_by("requested_at", "pk"))
    rows = [PendingRequest(
        request_id=request.pk, requested_at=request.requested_at, person_id=request.person_id,
        name=f"{request.registration.given_name} {request.registration.family_name}",
        birth_date=request.registration.birth_date,
        occurred_at=request.registration.occurred_at,
        offence_category=request.registration.offence_category,
        weapon_type=request.registration.weapon_type) for request in requests]
    audit_record(action=Action.FASTTRACK_LIST, actor=actor, purpose=Purpose.STRAFFESAK,
                 persons=[r.person_id for r in rows if r.person_id is not None],
                 details={"requests": len(rows)})
    return rows
