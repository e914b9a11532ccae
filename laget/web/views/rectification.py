"""The rectification and objection pages (GDPR art. 16 and 21): the agency's list of requests
with their deadlines, a team member registering a request on the person's behalf from the case or
entry page, and one request with the entries it concerns — read through the sharing engine's
selectors — and the decision form for the agency that owns them. A request or case the user may
not open is a 404. The work is in laget.rectification; the views parse, call and render."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.records.services import CASE_ROLES, is_district_coordinator
from laget.rectification import selectors, services
from laget.rectification.models import RectificationRequest
from laget.sharing import selectors as sharing
from laget.web.forms.rectification import SELF, DecideForm, ExtendForm, RequestForm


@actor_required(CASE_ROLES)
@require_http_methods(["GET"])
def request_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    listing = selectors.requests_for(actor=actor)
    return render(request, "web/rectification/list.html", {"listing": listing})


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    try:
        case = sharing.case_get_for(actor=actor, case_id=case_id, purpose=selectors.ENTRY_PURPOSE)
    except NotFound:
        raise Http404 from None
    may_register = case.is_open and (sharing.is_team_member(actor=actor, case=case)
                                     or is_district_coordinator(actor, case.district_id))
    shown = selectors.requestable_entries_for(actor=actor, case=case) if may_register else []
    guardians = selectors.requesting_guardians(case)
    form = RequestForm(request.POST or None, shown=shown, guardians=guardians,
                       initial={"entries": [request.GET.get("opplysning", "")][:1]})
    if request.method == "POST" and may_register and form.is_valid():
        data = form.cleaned_data
        by_guardian = data["requested_by"] != SELF
        try:
            created = services.request_register(
                actor=actor, case=case, entry_ids=data["entries"], kind=data["kind"],
                what_is_wrong=data["what_is_wrong"], should_say=data["should_say"],
                requested_by="guardian" if by_guardian else "self",
                guardian_id=data["requested_by"] if by_guardian else None,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Kravet er registrert, og virksomheten som eier "
                                        "opplysningene, har fått beskjed."))
            return redirect("web:rectification_detail", rectification_id=created.pk)
    return render(request, "web/rectification/create.html", {
        "case": case, "form": form, "shown": shown, "may_register": may_register,
        "selected": {str(v) for v in (form["entries"].value() or [])},
    })


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, actor: Actor,
                   rectification_id: uuid.UUID) -> HttpResponse:
    try:
        found = selectors.request_get_for(actor=actor, request_id=rectification_id)
    except NotFound:
        raise Http404 from None
    may_decide = found.is_open and selectors.may_decide(actor, found)
    may_extend = (may_decide and not found.is_extended
                  and clock.today() <= found.deadline)
    if request.method == "POST" and request.POST.get("step") == "extend":
        return _extend(request, actor, found, may_extend=may_extend)
    form = DecideForm(request.POST or None, kind=found.kind) if may_decide else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Du kan ikke avgjøre dette kravet."))
            return redirect("web:rectification_detail", rectification_id=found.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.request_decide(actor=actor, request=found, decision=data["decision"],
                                        reason=data["reason"],
                                        corrected_text=data["corrected_text"])
            except NotFound:
                raise Http404 from None
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Kravet er avgjort."))
                return redirect("web:rectification_detail", rectification_id=found.pk)
    return _detail(request, actor, found, form=form,
                   extend_form=ExtendForm() if may_extend else None)


def _detail(request: HttpRequest, actor: Actor, found: RectificationRequest, *,
            form: DecideForm | None, extend_form: ExtendForm | None,
            status: int = 200) -> HttpResponse:
    concerned = selectors.request_entries_for(actor=actor, request=found)
    return render(request, "web/rectification/detail.html", {
        "item": found, "concerned": concerned, "form": form, "extend_form": extend_form,
        "overdue": found.is_open and found.deadline < clock.today(),
    }, status=status)


def _extend(request: HttpRequest, actor: Actor, found: RectificationRequest, *,
            may_extend: bool) -> HttpResponse:
    """The deadline extended by two months (GDPR art. 12(3)), once, within the first month."""
    if not may_extend:
        messages.error(request, _("Du kan ikke forlenge fristen for dette kravet."))
        return redirect("web:rectification_detail", rectification_id=found.pk)
    extend_form = ExtendForm(request.POST)
    if extend_form.is_valid():
        try:
            services.request_extend(actor=actor, request=found,
                                    reason=extend_form.cleaned_data["extension_reason"])
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            extend_form.add_error(None, error.message)
        else:
            messages.success(request, _("Fristen er forlenget med to måneder. Gi personen "
                                        "beskjed om forlengelsen og grunnen."))
            return redirect("web:rectification_detail", rectification_id=found.pk)
    form = DecideForm(kind=found.kind) if found.is_open else None
    return _detail(request, actor, found, form=form, extend_form=extend_form, status=400)
