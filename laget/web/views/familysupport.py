"""The family support's pages (/familiestotte/): referrals of guardians to parent support (from
the case, and the programme provider's list and answer), the outcome figures for the evaluation,
relocation applications with their strict visibility, interpreter bookings on a case and the
report of their use and cost.

Case pages are for the case's workflow readers (404 to other case roles); a referral exists for
its case's readers and its provider; a relocation application only for those
`familysupport.access` names. The reads and writes (and their audit events) are the familysupport
app's selectors and services; the views parse, call and render."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.accounts.models import AgencyType
from laget.cases.access import may_see_workflow
from laget.core.dbrouter import reads_from_replica
from laget.core.errors import DomainError, NotFound
from laget.familysupport import access, selectors, services, stats
from laget.familysupport.models import ParentSupportReferral, ReferralStatus, RelocationReason
from laget.pathways.models import Offer, OfferKind
from laget.records.models import Case
from laget.records.services import CASE_ROLES
from laget.sharing import selectors as sharing
from laget.web.forms.familysupport import (
    AppealDecisionForm,
    AppealForm,
    DecisionForm,
    InterpreterForm,
    OutcomeForm,
    PaymentForm,
    ReferralAnswerForm,
    ReferralForm,
    RelocationForm,
    SessionForm,
    YearForm,
)
from laget.web.services.familysupport_export import (
    XLSX_CONTENT_TYPE,
    interpreter_xlsx,
    month_name,
)

PURPOSE = services.PURPOSE


def _case(actor: Actor, case_id: uuid.UUID) -> Case:
    try:
        case = sharing.case_get_for(actor=actor, case_id=case_id, purpose=PURPOSE)
    except NotFound:
        raise Http404 from None
    if not may_see_workflow(actor, case):
        raise Http404
    return case


def _parent_offers(case: Case) -> Any:
    """Active parent-support programmes city-wide or in the case's bydel."""
    return (Offer.objects.filter(kind=OfferKind.PARENT_SUPPORT, active=True)
            .filter(district__isnull=True) | Offer.objects.filter(
                kind=OfferKind.PARENT_SUPPORT, active=True, district_id=case.district_id)
            ).select_related("provider").order_by("name")


# --- parent support -------------------------------------------------------------------------------

@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def parent_case(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    """The case's referrals to parent support, and the form to refer guardians."""
    case = _case(actor, case_id)
    form = ReferralForm(request.POST or None, guardians=services.eligible_guardians(case),
                        offers=_parent_offers(case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.parent_referral_create(actor=actor, case=case,
                                            guardian_ids=data["guardians"],
                                            offer=data["offer"], text=data["text"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Henvisningen er sendt til tilbyderen."))
            return redirect("web:familysupport_parent_case", case_id=case.pk)
    return render(request, "web/familysupport/parent_case.html", {
        "case": case, "form": form, "is_open": case.is_open,
        "referrals": selectors.referrals_on_case_for(actor=actor, case=case),
    })


@actor_required(CASE_ROLES)
def parent_received(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The provider's list of referrals to its programmes."""
    return render(request, "web/familysupport/parent_received.html", {
        "referrals": selectors.referrals_received_for(actor=actor), "agency": actor.agency})


def _parent_post(request: HttpRequest, actor: Actor, referral: ParentSupportReferral,
                 forms: dict[str, Any]) -> str | None:
    which = request.POST.get("form", "")
    form = forms.get(which)
    if form is None:
        raise PermissionDenied
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if which == "answer":
            services.parent_referral_answer(actor=actor, referral=referral,
                                            accept=data["answer"] == "accept",
                                            reason=data["reason"])
            return _("Svaret er registrert.")
        if which == "session":
            services.parent_session_record(actor=actor, referral=referral,
                                           held_on=data["held_on"])
            return _("Oppmøtet er registrert.")
        services.parent_outcome_record(actor=actor, referral=referral, outcome=data["outcome"],
                                       benefit=data["benefit"], note=data["note"])
        return _("Resultatet er registrert.")
    except DomainError as error:
        form.add_error(None, error.message)
        return None


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def parent_detail(request: HttpRequest, actor: Actor,
                  parent_referral_id: uuid.UUID) -> HttpResponse:
    try:
        referral = selectors.referral_get_for(actor=actor, referral_id=parent_referral_id)
    except NotFound:
        raise Http404 from None
    provider = access.is_provider(actor, referral)
    forms: dict[str, Any] = {}
    if provider and referral.status == ReferralStatus.SENT:
        forms["answer"] = ReferralAnswerForm(
            request.POST if request.POST.get("form") == "answer" else None)
    if provider and referral.status == ReferralStatus.ACCEPTED:
        forms["session"] = SessionForm(
            request.POST if request.POST.get("form") == "session" else None)
        forms["outcome"] = OutcomeForm(
            request.POST if request.POST.get("form") == "outcome" else None)
    if request.method == "POST":
        done = _parent_post(request, actor, referral, forms)
        if done is not None:
            messages.success(request, done)
            return redirect("web:familysupport_parent_detail", parent_referral_id=referral.pk)
    return render(request, "web/familysupport/parent_detail.html", {
        "referral": referral, "guardian": referral.guardian, "is_provider": provider,
        "sessions": list(referral.sessions.all()),
        "answer_form": forms.get("answer"), "session_form": forms.get("session"),
        "outcome_form": forms.get("outcome"),
    })


@actor_required()
def parent_statistics(request: HttpRequest, actor: Actor) -> HttpResponse:
    if actor is None or actor.membership is None:
        raise PermissionDenied
    form = YearForm(request.GET or None)
    figures = stats.parent_outcome_statistics(actor=actor, year=form.year_or_current())
    return render(request, "web/familysupport/parent_statistics.html",
                  {"form": form, "figures": figures})


# --- relocation -----------------------------------------------------------------------------------

def _require_bydel(actor: Actor) -> None:
    if actor.agency is None or actor.agency.type != AgencyType.BYDEL:
        raise PermissionDenied


@actor_required(CASE_ROLES)
def relocation_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    _require_bydel(actor)
    return render(request, "web/familysupport/relocation_list.html", {
        "applications": selectors.relocation_list_for(actor=actor)})


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def relocation_create(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id)
    if not access.may_register_relocation(actor, case):
        raise Http404
    form = RelocationForm(
        request.POST or None, guardians=list(case.person.guardians.all()),
        leaders=services.district_staff(case.district_id, "leader"),
        staff=[u for u in services.district_staff(case.district_id) if u.pk != actor.user.pk])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.relocation_create(
                actor=actor, case=case, guardian_ids=data["guardians"], leader=data["leader"],
                handlers=data["handlers"], grounds=data["grounds"], reasons=data["reasons"],
                destination_number=data["destination"], protected=data["protected"],
                cost_moving=data["cost_moving"], cost_deposit=data["cost_deposit"],
                cost_other=data["cost_other"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Søknaden er registrert."))
            return redirect("web:familysupport_relocation_detail",
                            relocation_id=application.pk)
    response = render(request, "web/familysupport/relocation_form.html",
                      {"case": case, "form": form})
    response["Cache-Control"] = "no-store"
    return response


def _relocation_forms(view: selectors.RelocationView, data: Any, which: str) -> dict[str, Any]:
    application = view.application

    def bound(name: str) -> Any:
        return data if which == name else None

    forms: dict[str, Any] = {}
    if view.may_decide and not application.decision:
        forms["decide"] = DecisionForm(bound("decide"))
    if view.may_handle and application.decision:
        if application.appeal_lodged_on is None:
            forms["appeal"] = AppealForm(bound("appeal"))
        elif not application.appeal_outcome:
            forms["appeal_decision"] = AppealDecisionForm(bound("appeal_decision"))
        if application.granted_amount > view.paid:
            forms["payment"] = PaymentForm(bound("payment"))
    return forms


def _relocation_post(actor: Actor, view: selectors.RelocationView, which: str,
                     forms: dict[str, Any]) -> str | None:
    form = forms.get(which)
    if form is None:
        raise PermissionDenied
    if not form.is_valid():
        return None
    data, application = form.cleaned_data, view.application
    try:
        if which == "decide":
            services.relocation_decide(actor=actor, application=application,
                                       decision=data["decision"], amount=data["amount"],
                                       reason=data["reason"], decided_on=data["decided_on"])
            return _("Vedtaket er registrert.")
        if which == "appeal":
            services.relocation_appeal_lodge(actor=actor, application=application,
                                             lodged_on=data["lodged_on"],
                                             grounds=data["grounds"])
            return _("Klagen er registrert.")
        if which == "appeal_decision":
            services.relocation_appeal_decide(actor=actor, application=application,
                                              outcome=data["outcome"],
                                              decided_on=data["decided_on"],
                                              amount=data["amount"])
            return _("Statsforvalterens avgjørelse er registrert.")
        services.relocation_payment_add(actor=actor, application=application,
                                        paid_on=data["paid_on"], amount=data["amount"],
                                        purpose=data["purpose"])
        return _("Utbetalingen er registrert.")
    except DomainError as error:
        form.add_error(None, error.message)
        return None


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def relocation_detail(request: HttpRequest, actor: Actor,
                      relocation_id: uuid.UUID) -> HttpResponse:
    try:
        view = selectors.relocation_get_for(actor=actor, application_id=relocation_id)
    except NotFound:
        raise Http404 from None
    which = request.POST.get("form", "")
    forms = _relocation_forms(view, request.POST, which)
    if request.method == "POST":
        done = _relocation_post(actor, view, which, forms)
        if done is not None:
            messages.success(request, done)
            return redirect("web:familysupport_relocation_detail",
                            relocation_id=relocation_id)
    application = view.application
    reasons = dict(RelocationReason.choices)
    response = render(request, "web/familysupport/relocation_detail.html", {
        "view": view, "application": application,
        "reasons": [reasons.get(code, code) for code in application.reasons],
        "guardians": list(application.guardians.all()),
        "handlers": list(application.handlers.all()),
        "payments": list(application.payments.all()),
        "left": application.granted_amount - view.paid,
        **{f"{name}_form": form for name, form in forms.items()},
    })
    response["Cache-Control"] = "no-store"
    return response


# --- interpreters ---------------------------------------------------------------------------------

@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def interpreter_case(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id)
    form = InterpreterForm(request.POST or None, meetings=selectors.meetings_of(case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.interpreter_book(
                actor=actor, case=case, kind=data["kind"], starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"], language_code=data["language"],
                interpreter_name=data["interpreter_name"],
                qualification=data["qualification"], mode=data["mode"],
                cost_nok=data["cost_nok"], budget_year=data["budget_year"],
                meeting=data["meeting"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Tolken er bestilt og belastet det sentrale "
                                        "tolkebudsjettet."))
            return redirect("web:familysupport_interpreter_case", case_id=case.pk)
    return render(request, "web/familysupport/interpreter_case.html", {
        "case": case, "form": form, "is_open": case.is_open,
        "bookings": selectors.interpreter_bookings_on_case_for(actor=actor, case=case),
    })


def _report(request: HttpRequest, actor: Actor, *, export: bool
            ) -> tuple[YearForm, stats.InterpreterReport]:
    if actor is None or access.interpreter_report_scope(actor) is None:
        raise PermissionDenied
    form = YearForm(request.GET or None)
    report = stats.interpreter_report(actor=actor, budget_year=form.year_or_current(),
                                      export=export)
    return form, report


@actor_required()
@reads_from_replica
def interpreter_report(request: HttpRequest, actor: Actor) -> HttpResponse:
    form, report = _report(request, actor, export=False)
    return render(request, "web/familysupport/interpreter_report.html", {
        "form": form, "report": report, "query": request.GET.urlencode(),
        "rows": [(row, month_name(row.month)) for row in report.rows]})


@actor_required()
@reads_from_replica
def interpreter_report_export(request: HttpRequest, actor: Actor) -> HttpResponse:
    _form, report = _report(request, actor, export=True)
    name = f"tolkebruk-{report.budget_year}-{report.district_code or 'oslo'}.xlsx"
    return HttpResponse(interpreter_xlsx(report), content_type=XLSX_CONTENT_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
