"""The reentry pages (/loslatelse/): kriminalomsorgen's releases, their handover to NAV and the
release itself; NAV's plans with the readiness checklist, alerts and outcomes; the
kriminalomsorg–politi messages with read receipts; the police's network registrations; and
kriminalomsorgen's placements with the check.

Case roles only. A page an agency type never gets answers 403 (NAV on the exchange, placements
and networks; the police on releases); a release, plan or message of another unit or office does
not exist (404). Reads, writes and their audit events are the reentry app's selectors and
services; the views parse, call and render."""

import uuid
from copy import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from laget.accounts.access import Actor, actor_required
from laget.accounts.models import AgencyType, Membership, User
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.records.services import CASE_ROLES
from laget.reentry import access, exchange, placement, selectors, services
from laget.reentry.models import Milestone, ReleaseStatus
from laget.web.forms.reentry import (
    ChecklistForm,
    ConfirmForm,
    HandoverForm,
    MessageForm,
    NetworkForm,
    OutcomeForm,
    PlacementForm,
    PlanForm,
    ReleaseForm,
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _nav_advisors():
    return (User.objects.filter(
        pk__in=Membership.objects.active(clock.today()).filter(
            agency__type=AgencyType.NAV, role__in=CASE_ROLES).values("user_id"))
        .order_by("first_name", "last_name"))


# --- the start of the section ----------------------------------------------------------------

@actor_required(CASE_ROLES)
def home(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Kriminalomsorgen: its releases; NAV: its plans with alerts and outcomes due; the police:
    the exchange and the network registrations."""
    if access.is_kriminalomsorg(actor):
        return render(request, "web/reentry/releases.html", {
            "rows": selectors.releases_for_unit(actor=actor)})
    if access.is_nav(actor):
        return render(request, "web/reentry/plans.html", {
            "rows": selectors.plans_for_nav(actor=actor),
            "counts": selectors.outcome_counts(actor=actor),
            "milestones": Milestone})
    if access.is_police(actor):
        return render(request, "web/reentry/police.html", {})
    raise PermissionDenied


# --- kriminalomsorgen: releases ---------------------------------------------------------------

@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def release_new(request: HttpRequest, actor: Actor) -> HttpResponse:
    _require(access.is_kriminalomsorg(actor))
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            release = services.release_register(actor=actor, **data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Løslatelsen er registrert."))
            return redirect("web:reentry_release", release_id=release.pk)
    return render(request, "web/reentry/release_new.html", {"form": form})


def _release(actor: Actor, release_id: uuid.UUID):
    _require(access.is_kriminalomsorg(actor))
    try:
        return selectors.release_get_for(actor=actor, release_id=release_id)
    except NotFound:
        raise Http404 from None


def _render_release(request: HttpRequest, actor: Actor, release, *, handover=None,
                    confirm=None) -> HttpResponse:
    upcoming = release.status in (ReleaseStatus.REGISTERED, ReleaseStatus.HANDED_OVER)
    return render(request, "web/reentry/release.html", {
        "release": release, "person": release.person,
        "row": selectors.release_plan_row(release),
        "handover_form": handover or (HandoverForm(owners=_nav_advisors())
                                      if release.status == ReleaseStatus.REGISTERED else None),
        "confirm_form": confirm or (ConfirmForm(initial={"actual_date": release.expected_date})
                                    if upcoming else None)})


@actor_required(CASE_ROLES)
def release_detail(request: HttpRequest, actor: Actor, release_id: uuid.UUID) -> HttpResponse:
    return _render_release(request, actor, _release(actor, release_id))


@actor_required(CASE_ROLES)
@require_POST
def release_handover(request: HttpRequest, actor: Actor, release_id: uuid.UUID) -> HttpResponse:
    release = _release(actor, release_id)
    form = HandoverForm(request.POST, owners=_nav_advisors())
    if form.is_valid():
        try:
            services.release_handover(actor=actor, release=release,
                                      nav_office=form.cleaned_data["nav_office"],
                                      owner=form.cleaned_data["owner"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Løslatelsen er overlevert til NAV."))
            return redirect("web:reentry_release", release_id=release.pk)
    return _render_release(request, actor, release, handover=form)


@actor_required(CASE_ROLES)
@require_POST
def release_confirm(request: HttpRequest, actor: Actor, release_id: uuid.UUID) -> HttpResponse:
    release = _release(actor, release_id)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.release_confirm(actor=actor, release=release,
                                     actual_date=form.cleaned_data["actual_date"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Løslatelsen er registrert som gjennomført."))
            return redirect("web:reentry_release", release_id=release.pk)
    return _render_release(request, actor, release, confirm=form)


# --- NAV: the plan ----------------------------------------------------------------------------

def _plan(actor: Actor, plan_id: uuid.UUID) -> selectors.PlanRow:
    _require(access.is_nav(actor))
    try:
        return selectors.plan_get_for(actor=actor, plan_id=plan_id)
    except NotFound:
        raise Http404 from None


# a model form validates into its instance; the service must see the plan unchanged, so the
# forms get a copy
def _render_plan(request: HttpRequest, row: selectors.PlanRow, *, plan_form=None,
                 checklist_form=None) -> HttpResponse:
    plan = row.plan
    return render(request, "web/reentry/plan.html", {
        "row": row, "plan": plan, "release": plan.release, "person": plan.release.person,
        "plan_form": plan_form or PlanForm(instance=plan),
        "checklist_form": checklist_form or ChecklistForm(instance=plan)})


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, actor: Actor, plan_id: uuid.UUID) -> HttpResponse:
    row = _plan(actor, plan_id)
    if request.method == "POST":
        form = PlanForm(request.POST, instance=copy(row.plan))
        return (_plan_save(request, actor, row, form, _("Planen er lagret."))
                or _render_plan(request, row, plan_form=form))
    return _render_plan(request, row)


def _plan_save(request: HttpRequest, actor: Actor, row, form, done: str) -> HttpResponse | None:
    """Save the plan from a bound form (the plan's texts or its checklist): a redirect to the
    plan when saved, else None with the errors on the form."""
    if not form.is_valid():
        return None
    try:
        services.plan_update(actor=actor, plan=row.plan, data=form.cleaned_data)
    except DomainError as error:
        form.add_error(None, error.message)
        return None
    messages.success(request, done)
    return redirect("web:reentry_plan", plan_id=row.plan.pk)


@actor_required(CASE_ROLES)
@require_POST
def plan_checklist(request: HttpRequest, actor: Actor, plan_id: uuid.UUID) -> HttpResponse:
    row = _plan(actor, plan_id)
    form = ChecklistForm(request.POST, instance=copy(row.plan))
    return (_plan_save(request, actor, row, form, _("Sjekklisten er lagret."))
            or _render_plan(request, row, checklist_form=form))


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, actor: Actor, plan_id: uuid.UUID,
            milestone: int) -> HttpResponse:
    row = _plan(actor, plan_id)
    due = next((o for o in row.outcomes if o.milestone == milestone), None)
    if due is None:
        raise Http404
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.outcome_record(actor=actor, plan=row.plan, milestone=milestone,
                                    occupation=data["occupation"],
                                    housing_stable=data["housing_stable"] == "yes",
                                    new_conviction=data["new_conviction"] == "yes")
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Resultatet er registrert."))
            return redirect("web:reentry_plan", plan_id=plan_id)
    return render(request, "web/reentry/outcome.html", {
        "form": form, "due": due, "plan": row.plan, "person": row.plan.release.person})


# --- the exchange ----------------------------------------------------------------------------

@actor_required(CASE_ROLES)
def message_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    _require(access.in_exchange(actor))
    return render(request, "web/reentry/messages.html", {
        "mailbox": exchange.messages_for(actor=actor)})


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def message_new(request: HttpRequest, actor: Actor) -> HttpResponse:
    _require(access.in_exchange(actor))
    form = MessageForm(request.POST or None, receivers=exchange.receivers_for(actor),
                       police=access.is_police(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            message = exchange.message_send(
                actor=actor, person=exchange.person_by_number(data["national_id"]),
                receiver=data["receiver"], category=data["category"],
                purpose=data["purpose"], text=data["text"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Meldingen er sendt."))
            return redirect("web:reentry_message", message_id=message.pk)
    return render(request, "web/reentry/message_new.html", {"form": form})


@actor_required(CASE_ROLES)
def message_detail(request: HttpRequest, actor: Actor, message_id: uuid.UUID) -> HttpResponse:
    _require(access.in_exchange(actor))
    try:
        message = exchange.message_read_for(actor=actor, message_id=message_id)
    except NotFound:
        raise Http404 from None
    return render(request, "web/reentry/message.html", {
        "message": message, "received": message.receiver_agency_id == actor.agency.pk})


# --- the police: network registrations --------------------------------------------------------

@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def networks(request: HttpRequest, actor: Actor) -> HttpResponse:
    _require(access.is_police(actor))
    form = NetworkForm(request.POST or None, initial={"valid_from": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placement.network_register(
                actor=actor, person=exchange.person_by_number(data["national_id"]),
                network_code=data["network_code"], network_name=data["network_name"],
                kind=data["kind"], valid_from=data["valid_from"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Nettverkstilknytningen er registrert."))
            return redirect("web:reentry_networks")
    return render(request, "web/reentry/networks.html", {
        "form": form, "rows": placement.networks_for_police(actor=actor)})


@actor_required(CASE_ROLES)
@require_POST
def network_end(request: HttpRequest, actor: Actor, affiliation_id: uuid.UUID) -> HttpResponse:
    _require(access.is_police(actor))
    try:
        affiliation = placement.network_get_for(actor=actor, affiliation_id=affiliation_id)
        placement.network_end(actor=actor, affiliation=affiliation)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Tilknytningen er avsluttet."))
    return redirect("web:reentry_networks")


# --- kriminalomsorgen: placements -------------------------------------------------------------

@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def placements(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Placing checks first: a warning comes back on the page (with its reason for those who may
    see it) and the placement is made only with a reason to override it."""
    _require(access.is_kriminalomsorg(actor))
    form = PlacementForm(request.POST or None, initial={"kind": "placement"})
    check = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = exchange.person_by_number(data["national_id"])
            if not data["override_reason"]:
                check = placement.placement_check(actor=actor, person=person,
                                                  section=data["section"])
            if check is None or not check.warning:
                placement.placement_create(actor=actor, person=person, section=data["section"],
                                           kind=data["kind"],
                                           override_reason=data["override_reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if check is None or not check.warning:
                messages.success(request, _("Plasseringen er registrert."))
                return redirect("web:reentry_placements")
    return render(request, "web/reentry/placements.html", {
        "form": form, "check": check, "rows": placement.placements_for_unit(actor=actor)})
