"""The youth fast track for the systems of the agencies a case names — the police unit, the
court, the konfliktråd, kriminalomsorgen: read a case with its milestones and its stages against
the targets (scope `fasttrack:read`), and record the milestones the client's agency records
(scope `fasttrack:write`), through the same selector and service as the web pages
(laget.fasttrack). A client whose agency the case does not name gets 404. On the police side
only a prosecutor records milestones, so a police unit's client reads only."""

import datetime as dt
import uuid

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from laget.api.auth import api_actor, audited, callers
from laget.api.idempotency import OPENAPI_PARAMETERS, idempotent, json_response
from laget.api.problems import Problem
from laget.apiclients.models import Scope
from laget.fasttrack import access, selectors, services
from laget.fasttrack.models import ChargeOutcome, Milestone, MilestoneKind

router = Router(tags=["fasttrack"])

ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem}


class MilestoneOut(Schema):
    id: uuid.UUID
    kind: str
    occurred_on: dt.date
    outcome: str
    recorded_at: dt.datetime


class StageOut(Schema):
    stage: str
    started_on: dt.date
    ended_on: dt.date | None
    due: dt.date | None = Field(description="The target's due date (the city's or the law's).")
    legal_due: dt.date | None
    days_used: int
    days_left: int | None
    overdue: bool
    met: bool | None


class YouthCaseOut(Schema):
    id: uuid.UUID
    police_case_number: str
    district: str
    status: str
    offence_on: dt.date
    age_at_offence: int
    offence_categories: list[str]
    milestones: list[MilestoneOut]
    stages: list[StageOut]
    may_record: list[str] = Field(description="The milestones the client may record next.")


class MilestoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: MilestoneKind
    occurred_on: dt.date
    outcome: ChargeOutcome | None = Field(None, description="Only for `charge_decision`.")


def _milestone_out(m: Milestone) -> MilestoneOut:
    return MilestoneOut(id=m.pk, kind=m.kind, occurred_on=m.occurred_on, outcome=m.outcome,
                        recorded_at=m.recorded_at)


def _case_out(detail: selectors.CaseDetail) -> YouthCaseOut:
    case = detail.case
    return YouthCaseOut(
        id=case.pk, police_case_number=case.police_case_number, district=case.district_id,
        status=case.status, offence_on=case.offence_on, age_at_offence=case.age_at_offence,
        offence_categories=list(case.offence_categories),
        milestones=[_milestone_out(m) for m in detail.milestones],
        stages=[StageOut(stage=s.stage.code, started_on=s.started_on, ended_on=s.ended_on,
                         due=s.due, legal_due=s.legal_due, days_used=s.days_used,
                         days_left=s.days_left, overdue=s.overdue, met=s.met)
                for s in detail.stages],
        may_record=detail.may_record)


@router.get("/cases/{uuid:case_id}", response={200: YouthCaseOut, **ERRORS},
            url_name="api_fasttrack_case_get", operation_id="fasttrack_case_get",
            summary="A fast-track case with its milestones and stages",
            auth=callers(Scope.FASTTRACK_READ))
@audited
def case_get(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    actor = api_actor(request)
    access.require_reader(actor)
    detail = selectors.youth_case_get_for(actor=actor, case_id=case_id)
    request.audit_persons = [detail.case.person_id]  # type: ignore[attr-defined]
    return json_response(200, _case_out(detail))


@router.post(
    "/cases/{uuid:case_id}/milestones",
    response={201: MilestoneOut, **ERRORS, 409: Problem, 422: Problem},
    url_name="api_fasttrack_milestone_create", operation_id="fasttrack_milestone_create",
    summary="Record that the case reached a milestone",
    description=("The client's agency must be the one that records this milestone (the court "
                 "its hearings and judgments, the konfliktråd or kriminalomsorgen the reaction); "
                 "milestones keep their order. Requires an `Idempotency-Key` header."),
    openapi_extra=OPENAPI_PARAMETERS, auth=callers(Scope.FASTTRACK_WRITE))
@audited
@idempotent
def milestone_create(request: HttpRequest, case_id: uuid.UUID,
                     payload: MilestoneIn) -> HttpResponse:
    actor = api_actor(request)
    access.require_reader(actor)
    detail = selectors.youth_case_get_for(actor=actor, case_id=case_id)
    request.audit_persons = [detail.case.person_id]  # type: ignore[attr-defined]
    milestone = services.milestone_record(actor=actor, case=detail.case, kind=payload.kind,
                                          occurred_on=payload.occurred_on,
                                          outcome=payload.outcome or "")
    return json_response(201, _milestone_out(milestone))
