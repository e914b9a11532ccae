"""Case pages for the workflow around the team: handing the case over to another bydel (and the
team's answers whether they stay), the guardians' contact history, and the timeline."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from laget.accounts.access import Actor, actor_required
from laget.areas.models import District
from laget.cases import guardians as case_guardians
from laget.cases import handover as handovers
from laget.cases.access import may_see_workflow
from laget.cases.timeline import timeline_for
from laget.core.errors import DomainError, NotFound
from laget.records.services import CASE_ROLES, is_district_coordinator
from laget.sharing import selectors as sharing
from laget.web.forms.workflow import GuardianContactForm, HandoverDistrictForm, HandoverForm
from laget.web.views.cases import PURPOSE, _case


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def case_handover(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    """The coordinator hands the case over: pick the new bydel, then its coordinator and a note."""
    case = _case(actor, case_id, PURPOSE)
    if not (case.is_open and is_district_coordinator(actor, case.district_id)):
        raise Http404
    districts = District.objects.exclude(pk=case.district_id).order_by("name")
    data = request.POST if request.method == "POST" else request.GET
    picker = HandoverDistrictForm(data or None, districts=districts)
    form = None
    if data and picker.is_valid():
        district = picker.cleaned_data["bydel"]
        coordinators = [u for u, _a in handovers.receiving_coordinators(district=district)]
        form = HandoverForm(request.POST if request.method == "POST" else None,
                            districts=districts, coordinators=coordinators,
                            initial={"bydel": district.code})
        if request.method == "POST" and form.is_valid():
            try:
                handovers.case_handover(
                    actor=actor, case=case, to_district=district,
                    to_coordinator=form.cleaned_data["coordinator"],
                    note=form.cleaned_data["note"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Saken er overført til %(bydel)s. Teamet blir spurt "
                                            "om hvem som blir med videre.")
                                 % {"bydel": district.name})
                return redirect("web:case_detail", case_id=case.pk)
    return render(request, "web/cases/workflow/handover_form.html",
                  {"case": case, "picker": picker, "form": form})


@actor_required(CASE_ROLES)
@require_POST
def handover_answer(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                    confirmation_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    try:
        confirmation = handovers.handover_question_get_for(actor=actor, case=case,
                                                           confirmation_id=confirmation_id)
    except NotFound:
        raise Http404 from None
    answer = request.POST.get("blir")
    if answer not in ("ja", "nei"):
        messages.error(request, _("Svar ja eller nei."))
        return redirect("web:case_detail", case_id=case.pk)
    try:
        handovers.handover_confirm(actor=actor, confirmation=confirmation,
                                       stays=answer == "ja")
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("web:case_detail", case_id=case.pk)
    if answer == "ja":
        messages.success(request, _("Takk. Du er fortsatt med i teamet."))
        return redirect("web:case_detail", case_id=case.pk)
    messages.success(request, _("Medlemskapet i teamet er avsluttet."))
    return redirect("web:start")


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def guardian_contact_create(request: HttpRequest, actor: Actor,
                            case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    if not (case.is_open and may_see_workflow(actor, case)):
        raise Http404
    form = GuardianContactForm(request.POST or None, guardians=case.person.guardians.all())
    if request.method == "POST" and form.is_valid():
        try:
            case_guardians.guardian_contact_add(actor=actor, case=case, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Kontakten er registrert."))
            return redirect(f"{reverse('web:case_detail', kwargs={'case_id': case.pk})}"
                            "#foresatte")
    return render(request, "web/cases/workflow/guardian_contact_form.html",
                  {"case": case, "form": form})


@actor_required(CASE_ROLES)
def case_timeline(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    if not may_see_workflow(actor, case):
        raise Http404
    return render(request, "web/cases/workflow/timeline.html", {
        "case": case,
        "items": timeline_for(actor=actor, case=case, purpose=PURPOSE),
        "hidden": sharing.hidden_summary_for(actor=actor, case=case, purpose=PURPOSE),
    })
