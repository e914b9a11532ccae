"""Concerns from an agency's own system (scope `concerns:write`), through the same service as the
web form (laget.cases.concerns.concern_submit). The person's number is in the body, never the URL,
and the answer is the same receipt whatever became of the concern."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from laget.api.auth import api_actor, audited, callers
from laget.api.idempotency import OPENAPI_PARAMETERS, idempotent, json_response
from laget.api.problems import Problem
from laget.apiclients.models import Scope
from laget.areas.models import District
from laget.cases import concerns
from laget.core.errors import DomainError

router = Router(tags=["concerns"], auth=callers(Scope.CONCERNS_WRITE))


class ConcernIn(Schema):
    model_config = ConfigDict(extra="forbid")

    district: str = Field(min_length=6, max_length=6,
                          description="The bydel's six-digit code (e.g. 030110).")
    given_name: str = Field(max_length=200)
    family_name: str = Field(max_length=200)
    text: str = Field(max_length=20_000)
    national_id: str = Field("", max_length=20,
                             description="Fødselsnummer or D-number, when known.")
    birth_date: dt.date | None = Field(None, description="Needed when no number is given.")


class ConcernReceipt(Schema):
    submitted_at: dt.datetime
    district: str
    district_name: str
    detail: str


@router.post(
    "", response={202: ConcernReceipt, 400: Problem, 401: Problem, 403: Problem, 409: Problem,
                  422: Problem},
    url_name="concern_submit", operation_id="concern_submit", summary="Submit a concern",
    description=("Sends a concern to the SaLTo coordinator of the bydel. The receipt is the "
                 "same whether or not the person is registered or has a case. Requires an "
                 "`Idempotency-Key` header."),
    openapi_extra=OPENAPI_PARAMETERS,
)
@audited
@idempotent
def concern_submit(request: HttpRequest, payload: ConcernIn) -> HttpResponse:
    district = District.objects.filter(pk=payload.district, has_administration=True).first()
    if district is None:
        raise DomainError(_("Velg en av Oslos bydeler."), code="district")
    concern = concerns.concern_submit(
        actor=api_actor(request), district=district, given_name=payload.given_name,
        family_name=payload.family_name, text=payload.text, national_id=payload.national_id,
        birth_date=payload.birth_date)
    return json_response(202, ConcernReceipt(
        submitted_at=concern.submitted_at, district=district.pk, district_name=district.name,
        detail=_("Bekymringen er sendt til SaLTo-koordinatoren i bydel %(district)s.")
        % {"district": district.name}))
