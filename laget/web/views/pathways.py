"""The pathways pages: the catalogue (list with filters, an offer), the providers' own offers and
opening hours, the admin's CSV import, coverage per bydel (table and map), a referral from a case,
and the provider's referrals (answer, attendance, end, job placement).

The catalogue holds no personal data and is open to every logged-in user. A referral is made from
a case by those who see its workflow (404 for everyone else, as the case itself); the provider's
referral page shows only what the sharing engine let the referral disclose and is 404 for anyone
but the offer's provider. Reads and writes (and their audit events) are laget.pathways'; the views
parse, call and render."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.accounts.models import Role
from laget.core.errors import DomainError, NotFound
from laget.pathways import access, coverage, selectors, services
from laget.pathways.importer import CatalogueImportError, offers_import
from laget.pathways.models import JOB_KINDS, Offer, ReferralStatus
from laget.pathways.services import Opening
from laget.records.models import Case
from laget.records.services import CASE_ROLES
from laget.sharing import selectors as sharing
from laget.web import charts
from laget.web.forms.pathways import (
    OPENING_ROWS,
    WEEKDAYS,
    AttendanceForm,
    CatalogueFilterForm,
    DecisionForm,
    EndForm,
    ImportForm,
    OfferForm,
    OpeningFormSet,
    PlacementForm,
    ReferralForm,
)

PROVIDER_ROLES = CASE_ROLES | {Role.ADMIN}


def _offer(offer_id: uuid.UUID) -> Offer:
    try:
        return selectors.offer_get(offer_id=offer_id)
    except NotFound:
        raise Http404 from None


# --- the catalogue -------------------------------------------------------------------------------

@actor_required()
def catalogue(request: HttpRequest, actor: Actor | None) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"kind": data["kind"], "district": data["district"].code if data["district"]
                   else "", "age": data["age"], "language": data["language"]}
    offers = selectors.offer_list(**filters)
    own = selectors.offers_for_provider(actor=actor) if access.may_provide(actor) else []
    return render(request, "web/pathways/catalogue.html", {
        "form": form, "offers": offers, "own": own,
        "may_create": access.may_provide(actor) or access.is_admin(actor),
        "is_admin": access.is_admin(actor),
        "may_see_referrals": access.may_provide(actor),
    })


@actor_required()
def offer_detail(request: HttpRequest, actor: Actor | None, offer_id: uuid.UUID) -> HttpResponse:
    offer = _offer(offer_id)
    days = dict(WEEKDAYS)
    hours = [(o, days[o.weekday]) for o in offer.opening_hours.all()]
    return render(request, "web/pathways/offer.html", {
        "offer": offer, "hours": hours, "may_edit": access.may_edit_offer(actor, offer),
        "is_job": offer.kind in JOB_KINDS,
    })


def _save_offer(request: HttpRequest, actor: Actor, offer: Offer | None) -> HttpResponse:
    choose = access.is_admin(actor)
    form = OfferForm(request.POST or None, instance=offer, choose_provider=choose)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        if offer is not None:
            provider = offer.provider
        elif choose:
            provider = form.cleaned_data["provider"]
        else:
            assert actor.membership is not None
            provider = actor.membership.agency
        try:
            saved = services.offer_save(actor=actor, offer=offer, provider=provider, data=data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Tilbudet er lagret."))
            return redirect("web:pathways_offer", offer_id=saved.pk)
    return render(request, "web/pathways/offer_form.html", {"form": form, "offer": offer})


@actor_required(PROVIDER_ROLES)
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    return _save_offer(request, actor, None)


@actor_required(PROVIDER_ROLES)
@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, actor: Actor, offer_id: uuid.UUID) -> HttpResponse:
    offer = _offer(offer_id)
    if not access.may_edit_offer(actor, offer):
        raise PermissionDenied
    return _save_offer(request, actor, offer)


@actor_required(PROVIDER_ROLES)
@require_http_methods(["GET", "POST"])
def offer_hours(request: HttpRequest, actor: Actor, offer_id: uuid.UUID) -> HttpResponse:
    offer = _offer(offer_id)
    if not access.may_edit_offer(actor, offer):
        raise PermissionDenied
    initial = [{"season": o.season, "weekday": o.weekday, "opens": o.opens, "closes": o.closes}
               for o in offer.opening_hours.all()]
    initial += [{}] * max(0, OPENING_ROWS - len(initial))
    formset = OpeningFormSet(request.POST or None, initial=None if request.POST else initial)
    error = ""
    if request.method == "POST" and formset.is_valid():
        openings = [Opening(f.cleaned_data["season"], f.cleaned_data["weekday"],
                            f.cleaned_data["opens"], f.cleaned_data["closes"])
                    for f in formset if f.cleaned_data.get("season")]
        try:
            services.opening_hours_set(actor=actor, offer=offer, openings=openings)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, _("Åpningstidene er lagret."))
            return redirect("web:pathways_offer", offer_id=offer.pk)
    return render(request, "web/pathways/hours_form.html",
                  {"offer": offer, "formset": formset, "error": error})


@actor_required([Role.ADMIN])
@require_http_methods(["GET", "POST"])
def catalogue_import(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            summary = offers_import(text=form.cleaned_data["file"], actor=actor,
                                    file_name=request.FILES["file"].name)
        except CatalogueImportError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("Importert: %(created)s nye, %(updated)s oppdatert.") % {
                "created": summary.created, "updated": summary.updated})
            return redirect("web:pathways_catalogue")
    return render(request, "web/pathways/import.html", {"form": form})


# --- coverage ------------------------------------------------------------------------------------

@actor_required()
def coverage_page(request: HttpRequest, actor: Actor | None) -> HttpResponse:
    rows, year = coverage.coverage_by_district()
    boundaries = coverage.district_boundaries()
    maps = [
        (charts.choropleth(
            [{"code": r.code, "name": r.name, "rate": r.measure(measure).rate}
             for r in rows], boundaries, value="rate", value_title=title,
            name_title=_("Bydel")), title)
        for measure, title in (
            ("club_hours", _("Klubbtimer per uke per 1 000 unge 10–17 år")),
            ("job_places", _("Jobbplasser per 1 000 unge 15–24 år")),
            ("free_sport_places", _("Gratis idrettsplasser per 1 000 unge 10–17 år")))
    ]
    return render(request, "web/pathways/coverage.html",
                  {"rows": rows, "year": year, "maps": maps})


# --- referrals: from the case --------------------------------------------------------------------

def _case(actor: Actor, case_id: uuid.UUID) -> Case:
    try:
        case = sharing.case_get_for(actor=actor, case_id=case_id, purpose=services.REFERRAL_PURPOSE)
    except NotFound:
        raise Http404 from None
    if not access.may_refer(actor, case):
        raise Http404
    return case


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id)
    offers = selectors.offers_for_case(case=case)
    form = ReferralForm(request.POST or None, offers=offers)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(actor=actor, case=case, offer=form.cleaned_data["offer"],
                                     text=form.cleaned_data["text"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Henvisningen er sendt."))
            return redirect("web:case_detail", case_id=case.pk)
    return render(request, "web/pathways/refer.html", {"form": form, "case": case,
                                                        "offers": offers})


# --- referrals: the provider's side --------------------------------------------------------------

@actor_required(CASE_ROLES)
def referral_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "web/pathways/referrals.html",
                  {"rows": selectors.referrals_for_provider(actor=actor)})


_FORMS = {"decide": DecisionForm, "attendance": AttendanceForm, "end": EndForm,
          "placement": PlacementForm}


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def referral_detail(request: HttpRequest, actor: Actor, referral_id: uuid.UUID) -> HttpResponse:
    try:
        view = selectors.referral_get_for_provider(actor=actor, referral_id=referral_id)
    except NotFound:
        raise Http404 from None
    op = request.POST.get("op", "") if request.method == "POST" else ""
    forms = {name: cls(request.POST if op == name else None, prefix=name)
             for name, cls in _FORMS.items()}
    if op in forms and forms[op].is_valid():
        data, referral = forms[op].cleaned_data, view.referral
        try:
            if op == "decide":
                services.referral_decide(actor=actor, referral=referral,
                                         decision=data["decision"], reason=data["reason"])
            elif op == "attendance":
                services.attendance_record(actor=actor, referral=referral, on=data["on"],
                                           attended=data["attended"])
            elif op == "end":
                services.referral_end(actor=actor, referral=referral, outcome=data["outcome"],
                                      reason=data["reason"])
            else:
                services.placement_set(actor=actor, referral=referral, start=data["start"],
                                       hours=data["hours"], end=data["end"])
        except DomainError as error:
            forms[op].add_error(None, error.message)
        else:
            messages.success(request, _("Lagret."))
            return redirect("web:pathways_referral", referral_id=referral.pk)
    elif request.method == "POST" and op not in forms:
        return HttpResponse(status=400)
    status = view.referral.status
    response = render(request, "web/pathways/referral.html", {
        "view": view, "forms": forms,
        "may_decide": status in (ReferralStatus.SENT, ReferralStatus.WAITLISTED),
        "accepted": status == ReferralStatus.ACCEPTED,
        "is_job": view.referral.offer.kind in JOB_KINDS,
        "attended": sum(1 for a in view.attendance if a.attended),
    })
    response["Cache-Control"] = "no-store"
    return response
