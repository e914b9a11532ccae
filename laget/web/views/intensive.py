"""Intensive follow-up's pages (/intensiv/): the enrolments with the bydel's capacity, enrolling a
case's youth, one enrolment with its week plan (gaps highlighted, a form to fill them), the
follow-up team and the outcomes, ending the enrolment, the coordinator's heat-map of gaps, and a
follow-up member's check-ins for today on a phone-sized page.

The pages are for case roles. The case's bydel coordinator (or leader) runs an enrolment; a
follow-up member sees its plan and checks in against their own slots; to everyone else an
enrolment does not exist (404). Reads and writes, and their audit events, are the intensive app's
selectors and services; the views parse, call and render."""

import datetime as dt
import math
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from laget.accounts.access import Actor, actor_required
from laget.accounts.models import Agency, AgencyType
from laget.cases.models import Meeting
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.intensive import access, selectors, services
from laget.intensive.gaps import WEEKDAYS
from laget.intensive.models import Enrolment, FollowUpMember, Slot
from laget.people.models import Guardian
from laget.records.models import TeamMember
from laget.records.services import CASE_ROLES, is_district_coordinator
from laget.records.vocabulary import SharingPurpose
from laget.sharing import selectors as sharing
from laget.web.forms.intensive import (
    WEEKDAY_CHOICES,
    EndForm,
    EnrolForm,
    MemberForm,
    SlotForm,
)

PURPOSE = SharingPurpose.OPPFOLGING
DAY_NAMES = dict(WEEKDAY_CHOICES)


def _require_bydel_coordinator(actor: Actor) -> None:
    agency = actor.agency
    if agency is None or agency.type != AgencyType.BYDEL or not agency.district_id \
            or not is_district_coordinator(actor, agency.district_id):
        raise PermissionDenied


def _detail(actor: Actor, enrolment_id: uuid.UUID) -> selectors.EnrolmentDetail:
    try:
        return selectors.enrolment_detail_for(actor=actor, enrolment_id=enrolment_id)
    except NotFound:
        raise Http404 from None


# --- the list and the heat-map ----------------------------------------------------------------

@actor_required(CASE_ROLES)
def enrolment_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    listing = selectors.enrolment_list_for(actor=actor)
    return render(request, "web/intensive/list.html", {
        "listing": listing, "full": listing.used >= listing.capacity})


@actor_required(CASE_ROLES)
def heatmap(request: HttpRequest, actor: Actor) -> HttpResponse:
    _require_bydel_coordinator(actor)
    result = selectors.heatmap_for(actor=actor)
    most = result.most
    # five shades, relative to the busiest hour; the count is written in every cell
    rows = [(hour, [(count, math.ceil(4 * count / most) if most else 0) for count in counts])
            for hour, counts in result.rows]
    return render(request, "web/intensive/heatmap.html", {
        "heatmap": result, "rows": rows, "days": [DAY_NAMES[d] for d in WEEKDAYS],
        "agency": actor.agency})


# --- enrolling --------------------------------------------------------------------------------

@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    try:
        case = sharing.case_get_for(actor=actor, case_id=case_id, purpose=PURPOSE)
    except NotFound:
        raise Http404 from None
    if not access.coordinates(actor, case):
        raise Http404
    today = clock.today()
    form = EnrolForm(
        request.POST or None,
        meetings=Meeting.objects.filter(case=case).order_by("-starts_at"),
        members=TeamMember.objects.active(today).filter(case=case)
        .select_related("user", "agency"),
        guardians=Guardian.objects.filter(person=case.person),
        initial={"decided_on": today, "starts_on": today,
                 "consent_valid_to": today + dt.timedelta(days=182)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrolment = services.enrolment_create(
                actor=actor, case=case, decided_on=data["decided_on"],
                starts_on=data["starts_on"], meeting=data["meeting"],
                members=list(data["members"]),
                consent=services.ConsentGiven(
                    given_by=data["given_by"], guardian_ids=[g.pk for g in data["guardians"]],
                    method=data["method"], valid_to=data["consent_valid_to"],
                    youth_view=data["youth_view"]))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Den unge er tatt opp i intensiv oppfølging."))
            return redirect("web:intensive_detail", enrolment_id=enrolment.pk)
    return render(request, "web/intensive/enrol.html", {
        "form": form, "case": case, "person": case.person,
        "capacity": services.capacity_used(case.district_id),
        "capacity_max": settings.LAGET_INTENSIVE_CAPACITY})


# --- one enrolment ----------------------------------------------------------------------------

def _slot_form(detail: selectors.EnrolmentDetail, data: Any = None,
               initial: dict[str, Any] | None = None) -> SlotForm | None:
    if not detail.running:
        return None
    enrolment = detail.enrolment
    if detail.coordinator:
        members = FollowUpMember.objects.filter(enrolment=enrolment, removed_at__isnull=True)
        agencies = Agency.objects.filter(
            pk__in=TeamMember.objects.active().filter(case=enrolment.case).values("agency_id"))
    elif detail.own_member is not None:
        members = FollowUpMember.objects.filter(pk=detail.own_member.pk)
        agencies = None
    else:
        return None
    members = members.select_related("team_member__user", "team_member__agency")
    return SlotForm(data, members=members, agencies=agencies, initial=initial)


def _member_form(detail: selectors.EnrolmentDetail, data: Any = None) -> MemberForm | None:
    if not (detail.coordinator and detail.running):
        return None
    taken = [m.team_member_id for m in detail.members]
    return MemberForm(data, members=TeamMember.objects.active().filter(
        case=detail.enrolment.case).exclude(pk__in=taken).select_related("user", "agency"))


def _render_detail(request: HttpRequest, actor: Actor, detail: selectors.EnrolmentDetail,
                   slot_form: SlotForm | None = None,
                   member_form: MemberForm | None = None) -> HttpResponse:
    on_team = sharing.is_team_member(actor=actor, case=detail.enrolment.case)
    shared = (sharing.case_entries_recent_for(actor=actor, case=detail.enrolment.case,
                                              purpose=PURPOSE, limit=10) if on_team else [])
    gap_list = [span for day in WEEKDAYS for span in detail.gaps[day]]
    return render(request, "web/intensive/detail.html", {
        "detail": detail, "enrolment": detail.enrolment, "person": detail.enrolment.case.person,
        "days": [DAY_NAMES[d] for d in WEEKDAYS], "day_names": DAY_NAMES,
        "gap_list": gap_list, "shared": shared, "on_team": on_team,
        "slot_form": slot_form if slot_form is not None else _slot_form(detail),
        "member_form": member_form if member_form is not None else _member_form(detail),
        "max_gap": settings.LAGET_INTENSIVE_MAX_GAP_HOURS,
    })


@actor_required(CASE_ROLES)
def enrolment_detail(request: HttpRequest, actor: Actor, enrolment_id: uuid.UUID) -> HttpResponse:
    detail = _detail(actor, enrolment_id)
    return _render_detail(request, actor, detail)


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def slot_add(request: HttpRequest, actor: Actor, enrolment_id: uuid.UUID) -> HttpResponse:
    """The form to add a slot (from a gap's «Fyll» link its day and hours come filled in); a
    POST adds it and goes back to the plan, or shows the errors."""
    detail = _detail(actor, enrolment_id)
    initial: dict[str, Any] = {}
    for key in ("weekday", "start_hour", "end_hour"):
        value = request.GET.get(key, "")
        if value.isdigit():
            initial[key] = int(value)
    form = _slot_form(detail, request.POST or None, initial=initial)
    if form is None:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.slot_add(actor=actor, enrolment=detail.enrolment, slot=services.SlotInput(
                weekday=data["weekday"], start_hour=data["start_hour"],
                end_hour=data["end_hour"], kind=data["kind"], responsible=data["responsible"],
                responsible_agency=data.get("responsible_agency"),
                description=data["description"]))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Økten er lagt inn i ukeplanen."))
            return redirect("web:intensive_detail", enrolment_id=enrolment_id)
    return render(request, "web/intensive/slot_form.html", {
        "form": form, "enrolment": detail.enrolment, "person": detail.enrolment.case.person})


@actor_required(CASE_ROLES)
@require_POST
def slot_remove(request: HttpRequest, actor: Actor, enrolment_id: uuid.UUID,
                slot_id: uuid.UUID) -> HttpResponse:
    try:
        enrolment = selectors.enrolment_for_viewer(actor=actor, enrolment_id=enrolment_id)
    except NotFound:
        raise Http404 from None
    slot = Slot.objects.filter(enrolment=enrolment, pk=slot_id).first()
    if slot is None:
        raise Http404
    try:
        services.slot_remove(actor=actor, slot=slot)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Økten er fjernet fra ukeplanen."))
    return redirect("web:intensive_detail", enrolment_id=enrolment_id)


@actor_required(CASE_ROLES)
@require_POST
def member_add(request: HttpRequest, actor: Actor, enrolment_id: uuid.UUID) -> HttpResponse:
    detail = _detail(actor, enrolment_id)
    form = _member_form(detail, request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            services.member_add(actor=actor, enrolment=detail.enrolment,
                                team_member=form.cleaned_data["team_member"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Oppfølgingsteamet er oppdatert."))
            return redirect("web:intensive_detail", enrolment_id=enrolment_id)
    return _render_detail(request, actor, detail, member_form=form)


@actor_required(CASE_ROLES)
@require_POST
def member_remove(request: HttpRequest, actor: Actor, enrolment_id: uuid.UUID,
                  member_id: uuid.UUID) -> HttpResponse:
    try:
        enrolment = selectors.enrolment_for_coordinator(actor=actor, enrolment_id=enrolment_id)
    except NotFound:
        raise Http404 from None
    member = FollowUpMember.objects.filter(enrolment=enrolment, pk=member_id).first()
    if member is None:
        raise Http404
    try:
        services.member_remove(actor=actor, member=member)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Oppfølgingsteamet er oppdatert."))
    return redirect("web:intensive_detail", enrolment_id=enrolment_id)


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def enrolment_end(request: HttpRequest, actor: Actor, enrolment_id: uuid.UUID) -> HttpResponse:
    try:
        enrolment: Enrolment = selectors.enrolment_for_coordinator(actor=actor,
                                                                   enrolment_id=enrolment_id)
    except NotFound:
        raise Http404 from None
    tomorrow = clock.today() + dt.timedelta(days=1)
    form = EndForm(request.POST or None, initial={"ends_on": max(tomorrow, enrolment.starts_on
                                                                 + dt.timedelta(days=1))})
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_end(actor=actor, enrolment=enrolment,
                                   ends_on=form.cleaned_data["ends_on"],
                                   reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Opptaket er avsluttet. Delingen i programmet slutter "
                                        "fra sluttdatoen."))
            return redirect("web:intensive_detail", enrolment_id=enrolment_id)
    return render(request, "web/intensive/end.html", {
        "form": form, "enrolment": enrolment, "person": enrolment.case.person})


# --- check-ins --------------------------------------------------------------------------------

@actor_required(CASE_ROLES)
def checkins(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "web/intensive/checkins.html", {
        "slots": selectors.checkins_today_for(actor=actor), "today": clock.today()})


@actor_required(CASE_ROLES)
@require_POST
def checkin(request: HttpRequest, actor: Actor, slot_id: uuid.UUID) -> HttpResponse:
    try:
        slot = selectors.slot_for_checkin(actor=actor, slot_id=slot_id)
    except NotFound:
        raise Http404 from None
    attended = request.POST.get("attended")
    if attended not in ("yes", "no"):
        messages.error(request, _("Velg om den unge møtte eller ikke."))
        return redirect("web:intensive_checkins")
    try:
        services.checkin_record(actor=actor, slot=slot, attended=attended == "yes")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Oppmøtet er registrert."))
    return redirect("web:intensive_checkins")
