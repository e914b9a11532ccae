"""Concerns: any agency's caseworker, coordinator or leader submits one and sees their receipts;
the bydel's SaLTo coordinator assesses it (open a case from it, or no basis).

The submitter's pages say the same whatever became of the concern: whether the person is
registered or has a case is never told (laget.cases.concerns)."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from laget.accounts.access import Actor, actor_required
from laget.cases import concerns
from laget.cases.models import Concern, ConcernStatus
from laget.core.errors import DomainError, NotFound
from laget.records.services import CASE_ROLES
from laget.sharing.selectors import case_open_for_person
from laget.web.forms.concerns import ConcernDismissForm, ConcernForm
from laget.web.services import people as people_services


def _concern(actor: Actor, concern_id: uuid.UUID) -> Concern:
    try:
        return concerns.concern_get_for(actor=actor, concern_id=concern_id)
    except NotFound:
        raise Http404 from None


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def concern_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    agency = actor.agency
    initial = {"district": agency.district_id} if agency and agency.district_id else {}
    form = ConcernForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            concern = concerns.concern_submit(
                actor=actor, district=data["district"], given_name=data["given_name"],
                family_name=data["family_name"], text=data["text"],
                national_id=data["national_id"], birth_date=data["birth_date"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            # The one receipt, whatever happened to the concern.
            messages.success(request, _("Bekymringen er sendt til SaLTo-koordinatoren i bydel "
                                        "%(district)s.") % {"district": concern.district.name})
            return redirect("web:concern_mine")
    return render(request, "web/concerns/form.html", {"form": form})


@actor_required(CASE_ROLES)
def concern_mine(request: HttpRequest, actor: Actor) -> HttpResponse:
    page = concerns.concern_receipts_for(actor=actor, page=request.GET.get("side", 1))
    return render(request, "web/concerns/mine.html", {"page": page})


def _detail(request: HttpRequest, actor: Actor, concern: Concern,
            dismiss_form: ConcernDismissForm | None = None) -> HttpResponse:
    person = concerns.concern_person_match(concern=concern)
    open_case = None
    if person is not None and concern.status == ConcernStatus.NEW:
        open_case = case_open_for_person(actor=actor, person_id=person.pk)
    return render(request, "web/concerns/detail.html", {
        "concern": concern,
        "name": f"{concern.given_name} {concern.family_name}",
        "person": person,
        "open_case": open_case,
        "age": concerns.concern_age(concern=concern),
        "age_refusal": concerns.age_refusal(concern.birth_date),
        "is_new": concern.status == ConcernStatus.NEW,
        "dismiss_form": dismiss_form or ConcernDismissForm(),
    })


@actor_required(CASE_ROLES)
def concern_detail(request: HttpRequest, actor: Actor, concern_id: uuid.UUID) -> HttpResponse:
    return _detail(request, actor, _concern(actor, concern_id))


@actor_required(CASE_ROLES)
@require_POST
def concern_case_open(request: HttpRequest, actor: Actor, concern_id: uuid.UUID
                      ) -> HttpResponse:
    try:
        case = people_services.concern_case_open(actor=actor, concern_id=str(concern_id))
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, _("Personen kunne ikke registreres: %(reason)s")
                           % {"reason": message})
    else:
        messages.success(request, _("Bekymringen står nå på saken som en opplysning fra "
                                    "virksomheten som meldte den. Er saken ny, er du med i "
                                    "teamet som koordinator."))
        return redirect("web:case_detail", case_id=case.pk)
    return redirect("web:concern_detail", concern_id=concern_id)


@actor_required(CASE_ROLES)
@require_POST
def concern_dismiss(request: HttpRequest, actor: Actor, concern_id: uuid.UUID) -> HttpResponse:
    form = ConcernDismissForm(request.POST)
    if form.is_valid():
        try:
            concerns.concern_dismiss(actor=actor, concern_id=concern_id,
                                     assessment=form.cleaned_data["assessment"])
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Bekymringen er vurdert: ikke grunnlag for sak."))
            return redirect("web:desk")
        return redirect("web:concern_detail", concern_id=concern_id)
    return _detail(request, actor, _concern(actor, concern_id), dismiss_form=form)
