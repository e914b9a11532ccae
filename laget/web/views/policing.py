"""Police registrations: the one-page form, the receipt of what happened with a printable letter
for each guardian, and the unit's list with each guardian notification's status. Police case roles
only; a unit sees its own registrations.

The receipt names a SaLTo case only to an officer on its team: to anyone else the registration
was «sent to the SaLTo coordinator», whether it landed on a case or became a concern."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.core.errors import DomainError, NotFound
from laget.policing import selectors, services
from laget.records.services import CASE_ROLES
from laget.web.forms.policing import RegistrationForm
from laget.web.services.guardian_letter import guardian_letter_pdf


def _require_police(actor: Actor) -> None:
    if not services.is_police(actor):
        raise PermissionDenied


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def registration_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    _require_police(actor)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.registration_create(
                actor=actor, kind=data["kind"], subdistrict=data["subdistrict"],
                occurred_at=data["occurred_at"], given_name=data["given_name"],
                family_name=data["family_name"], national_id=data["national_id"],
                birth_date=data["birth_date"], grounds=data["grounds"],
                found_items=data["found_items"], offence_category=data["offence_category"],
                weapon_type=data["weapon_type"], held=data["held"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("web:police_receipt", registration_id=result.registration.pk)
    return render(request, "web/policing/form.html", {"form": form, "unit": actor.agency})


@actor_required(CASE_ROLES)
def registration_receipt(request: HttpRequest, actor: Actor, registration_id: uuid.UUID
                         ) -> HttpResponse:
    _require_police(actor)
    try:
        view = selectors.registration_get_for(actor=actor, registration_id=registration_id)
    except NotFound:
        raise Http404 from None
    return render(request, "web/policing/receipt.html", {"view": view,
                                                         "r": view.registration})


@actor_required(CASE_ROLES)
def guardian_letter(request: HttpRequest, actor: Actor, registration_id: uuid.UUID,
                    guardian_id: uuid.UUID) -> HttpResponse:
    """The guardian's message as a letter (PDF) in the guardian's language, for a guardian the
    unit tells by hand. The guardian's name is only inside the PDF, never in the URL or the file
    name."""
    _require_police(actor)
    try:
        letter = selectors.guardian_letter_get_for(actor=actor, registration_id=registration_id,
                                                   guardian_id=guardian_id)
    except NotFound:
        raise Http404 from None
    response = HttpResponse(guardian_letter_pdf(actor=actor, letter=letter),
                            content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="brev-til-foresatt.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@actor_required(CASE_ROLES)
def registration_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    _require_police(actor)
    page = selectors.registration_list_for(actor=actor, page=request.GET.get("side", 1))
    return render(request, "web/policing/list.html", {"page": page, "unit": actor.agency})
