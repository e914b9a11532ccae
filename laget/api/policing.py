"""Police registrations from the police's own systems (scope `police:write`), through the same
service as the web form (laget.policing.services.registration_create): one transaction with the
guardians' messages, the SaLTo entry or concern, the weapon trigger's acts and the audit event.
The person's number is in the body, never the URL. The answer is the receipt the officer sees on
the web: what became of each guardian's message, and that SaLTo was told — naming the case only
to a client on its team."""

import datetime as dt
import uuid

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from laget.api.auth import api_actor, audited, callers
from laget.api.idempotency import OPENAPI_PARAMETERS, idempotent, json_response
from laget.api.problems import Problem, problem
from laget.apiclients.models import Scope
from laget.areas.models import Subdistrict
from laget.core.errors import DomainError
from laget.policing import selectors, services
from laget.policing.models import OffenceCategory, RegistrationKind, WeaponType

router = Router(tags=["police"], auth=callers(Scope.POLICE_WRITE))

ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem}


class RegistrationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: RegistrationKind
    subdistrict: str = Field(min_length=1, max_length=8,
                             description="The delbydel's code (the place is kept no finer).")
    occurred_at: dt.datetime = Field(description="With a time zone.")
    given_name: str = Field(max_length=200)
    family_name: str = Field(max_length=200)
    national_id: str = Field("", max_length=20,
                             description="Fødselsnummer or D-number, when known.")
    birth_date: dt.date | None = Field(None, description="Needed when no number is given.")
    grounds: str = Field("", max_length=4000)
    found_items: str = Field("", max_length=4000)
    offence_category: OffenceCategory | None = Field(
        None, description="For an apprehension: the offence's category.")
    weapon_type: WeaponType = WeaponType.NONE
    held: bool = Field(False, description="For an apprehension: held in custody.")


class GuardianNoticeOut(Schema):
    guardian: str
    channel: str
    status: str = Field(description="The message's status in the outbox, or `manual`: the unit "
                                    "tells this guardian itself (see `manual_reason`).")
    manual_reason: str


class RegistrationReceipt(Schema):
    id: uuid.UUID
    kind: str
    occurred_at: dt.datetime
    subdistrict: str
    salto: str = Field(description="What the SaLTo coordinator was told, as the officer reads "
                                   "it; empty outside the SaLTo age range.")
    case: uuid.UUID | None = Field(description="The case the entry went to, only when the "
                                               "client is on its team.")
    guardians: list[GuardianNoticeOut]
    barnevern_report: bool = Field(description="A report to barnevern was sent (a child with a "
                                               "weapon).")
    fast_track_requested: bool


def _receipt(view: selectors.RegistrationView) -> RegistrationReceipt:
    r = view.registration
    return RegistrationReceipt(
        id=r.pk, kind=r.kind, occurred_at=r.occurred_at, subdistrict=r.subdistrict_id,
        salto=_("Sendt til SaLTo-koordinatoren i bydelen.") if r.salto_route else "",
        case=view.case.pk if view.case else None,
        # the channel's code as the registration keeps it (the receipt's line has its label)
        guardians=[GuardianNoticeOut(guardian=n.guardian, channel=kept.get("channel", ""),
                                     status=n.status, manual_reason=n.manual_reason)
                   for n, kept in zip(view.notices, r.notices, strict=True)],
        barnevern_report=view.barnevern_report is not None,
        fast_track_requested=view.fast_track is not None)


@router.post(
    "/registrations", response={201: RegistrationReceipt, **ERRORS, 409: Problem, 422: Problem},
    url_name="api_police_registration_create", operation_id="police_registration_create",
    summary="Register a stop and search, an apprehension or a concern",
    description=("What the client's police unit did, with its effects: guardians told, SaLTo "
                 "told, and for a child with a weapon a report to barnevern and a request for "
                 "the youth fast track. Requires an `Idempotency-Key` header."),
    openapi_extra=OPENAPI_PARAMETERS,
)
@audited
@idempotent
def registration_create(request: HttpRequest, payload: RegistrationIn) -> HttpResponse:
    actor = api_actor(request)
    if not services.is_police(actor):
        return problem(403, _("Bare politiet kan registrere dette."))
    subdistrict = (Subdistrict.objects.select_related("district")
                   .filter(pk=payload.subdistrict).first())
    if subdistrict is None:
        raise DomainError(_("Ukjent delbydel."), code="subdistrict")
    if payload.occurred_at.tzinfo is None:
        raise DomainError(_("Tidspunktet må ha tidssone."), code="occurred_at")
    result = services.registration_create(
        actor=actor, kind=payload.kind, subdistrict=subdistrict,
        occurred_at=payload.occurred_at, given_name=payload.given_name,
        family_name=payload.family_name, national_id=payload.national_id,
        birth_date=payload.birth_date, grounds=payload.grounds,
        found_items=payload.found_items, offence_category=payload.offence_category or "",
        weapon_type=payload.weapon_type, held=payload.held)
    registration = result.registration
    persons = [registration.person_id] if registration.person_id else []
    request.audit_persons = persons  # type: ignore[attr-defined]
    view = selectors.registration_get_for(actor=actor, registration_id=registration.pk)
    return json_response(201, _receipt(view))


@router.get("/registrations/{uuid:registration_id}",
            response={200: RegistrationReceipt, **ERRORS},
            url_name="api_police_registration_get", operation_id="police_registration_get",
            summary="One of the unit's registrations, with its messages' status now")
@audited
def registration_get(request: HttpRequest, registration_id: uuid.UUID) -> HttpResponse:
    actor = api_actor(request)
    if not services.is_police(actor):
        return problem(403, _("Bare politiet kan registrere dette."))
    view = selectors.registration_get_for(actor=actor, registration_id=registration_id)
    r = view.registration
    request.audit_persons = [r.person_id] if r.person_id else []  # type: ignore[attr-defined]
    return json_response(200, _receipt(view))
