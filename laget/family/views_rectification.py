"""The family's requests for rectification and objections (GDPR art. 16 and 21; the work is in
laget.rectification): the page with the form and the list of the person's requests with their
status, decision and reason. The family sees the plan, not the agencies' entries, so a request
names the case, says freely what is wrong and may point at a goal or task of the plan."""

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from laget.core.errors import DomainError
from laget.family import selectors, services
from laget.family.citizen import Citizen
from laget.family.views import citizen_required
from laget.rectification.models import TEXT_MAX_LENGTH, Kind


@require_http_methods(["GET", "POST"])
@citizen_required
def rectification_page(request: HttpRequest, citizen: Citizen, person_id: uuid.UUID
                       ) -> HttpResponse:
    access = selectors.family_access_get(citizen=citizen, person_id=person_id,
                                         view="rectification")
    error = ""
    values = {"kind": Kind.CORRECTION.value, "item": "", "what_is_wrong": "", "should_say": ""}
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        try:
            services.family_rectification_request(
                access=access, kind=values["kind"], what_is_wrong=values["what_is_wrong"],
                should_say=values["should_say"], item=values["item"])
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, _("Kravet er sendt. Du får svar her innen én måned."))
            return redirect("family:rectification", person_id=access.person.pk)
    case = selectors.family_case(access.person)
    items = selectors.family_plan_items(access=access, case=case) if case is not None else []
    requests = selectors.family_rectifications_for(access=access)
    return render(request, "family/rectification.html", {
        "access": access, "person": access.person, "has_case": case is not None,
        "items": items, "requests": requests, "error": error, "values": values,
        "kinds": Kind.choices, "max_length": TEXT_MAX_LENGTH,
    }, status=400 if error else 200)
