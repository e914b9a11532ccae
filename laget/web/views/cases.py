"""The caseworker's case pages: cases, entries and their history, the team, consent (with its
printable form), emergency access and its review by the source agency's leader.

Each view declares the purpose it reads for; entries are read only through laget.sharing's
selectors, which audit every read. A case or entry the user may not open is a 404, never a 403.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from laget.accounts.access import Actor, actor_required
from laget.accounts.models import AgencyType, Role
from laget.audit.actions import Purpose
from laget.cases import selectors as case_workflow
from laget.cases import selectors_plan as plan_selectors
from laget.cases import services as case_services
from laget.cases.forms import CaseStatusForm
from laget.cases.selectors_meetings import meeting_panel_for
from laget.cases.weapon import weapon_followup_for
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.family import thread as family_thread
from laget.lifecycle import selectors as lifecycle_selectors
from laget.records import services as records
from laget.records.models import Case
from laget.records.services import CASE_ROLES, is_district_coordinator
from laget.sharing import selectors as sharing
from laget.sharing import services
from laget.sharing.models import Consent
from laget.sharing.proposals import consent_proposals_for
from laget.sharing.selectors import ShownEntry
from laget.web.forms.cases import (
    CaseOpenForm,
    ConsentForm,
    ConsentWithdrawForm,
    EmergencyForm,
    EmergencyReviewForm,
    EntryCorrectForm,
    EntryForm,
    TeamAgencyForm,
    TeamMemberForm,
    group_key,
)
from laget.web.selectors import cases as case_selectors
from laget.web.selectors import people as people_selectors
from laget.web.selectors.innsyn import may_make_innsyn
from laget.web.services.consent_form import consent_form_pdf, form_language

#: The case page, its entries and its team are read for coordinated prevention.
PURPOSE = Purpose.FOREBYGGING
#: Consents are records of agreed follow-up (the consent selectors read for it too).
CONSENT_PURPOSE = Purpose.OPPFOLGING
#: Emergency access is read to avert danger to life or health.
EMERGENCY_PURPOSE = Purpose.FARE_LIV_HELSE
LEADER = (Role.LEADER,)


def _case(actor: Actor, case_id: uuid.UUID, purpose: str) -> Case:
    try:
        return sharing.case_get_for(actor=actor, case_id=case_id, purpose=purpose)
    except NotFound:
        raise Http404 from None


def _entry(actor: Actor, case: Case, entry_id: uuid.UUID) -> ShownEntry:
    try:
        return sharing.entry_get_for(actor=actor, case=case, entry_id=entry_id, purpose=PURPOSE)
    except NotFound:
        raise Http404 from None


def _consent(actor: Actor, case: Case, consent_id: uuid.UUID) -> Consent:
    try:
        return sharing.consent_get_for(actor=actor, case=case, consent_id=consent_id)
    except NotFound:
        raise Http404 from None


def _may_write(actor: Actor, case: Case) -> bool:
    return case.is_open and (
        sharing.is_team_member(actor=actor, case=case)
        or is_district_coordinator(actor, case.district_id)
    )


# --- cases ---------------------------------------------------------------------------------------

@actor_required(CASE_ROLES)
def case_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    page = sharing.case_list_for(actor=actor, page=request.GET.get("side", 1))
    return render(request, "web/cases/list.html", {"page": page})


@actor_required(CASE_ROLES)
def entry_mine(request: HttpRequest, actor: Actor) -> HttpResponse:
    page, shown = sharing.my_entries_for(actor=actor, purpose=PURPOSE,
                                         page=request.GET.get("side", 1))
    return render(request, "web/cases/my_entries.html", {"page": page, "shown": shown})


@actor_required(CASE_ROLES)
@require_POST
def case_open(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = CaseOpenForm(request.POST)
    if not form.is_valid():
        return render(request, "web/errors/400.html", status=400)
    try:
        person = people_selectors.person_get_for(actor=actor, person_id=form.cleaned_data["person"])
    except NotFound:
        raise Http404 from None
    try:
        case = case_services.case_open(actor=actor, person=person)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("web:person_detail", person_id=person.pk)
    messages.success(request, _("Saken er åpnet, og du er med i teamet som koordinator."))
    return redirect("web:case_detail", case_id=case.pk)


@actor_required(CASE_ROLES)
def case_detail(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    page, shown = sharing.case_entries_for(actor=actor, case=case, purpose=PURPOSE,
                                           page=request.GET.get("side", 1))
    hidden = sharing.hidden_summary_for(actor=actor, case=case, purpose=PURPOSE)
    team = sharing.team_for(actor=actor, case=case, purpose=PURPOSE)
    on_team = sharing.is_team_member(actor=actor, case=case)
    coordinator = is_district_coordinator(actor, case.district_id)
    lapsing = []
    if coordinator:
        lapsing = case_selectors.consents_lapsing(
            consents=sharing.consent_list_for(actor=actor, case=case),
            birth_date=case.person.birth_date,
        )
    agency = actor.agency
    status = case_workflow.status_panel_for(actor=actor, case=case)
    return render(request, "web/cases/detail.html", {
        "case": case,
        "status_history": status.history,
        "status_form": CaseStatusForm(choices=status.choices) if status.choices else None,
        "person": case.person,
        "age": case.person.age_on(clock.today()),
        "page": page,
        "shown": shown,
        "hidden": [(g, group_key(g)) for g in hidden],
        "team": [(m, case_selectors.may_end_membership(actor=actor, case=case, member=m))
                 for m in team],
        "on_team": on_team,
        "may_make_innsyn": on_team and may_make_innsyn(actor=actor, person_id=case.person_id),
        "may_write": _may_write(actor, case),
        "may_add_members": case.is_open
        and case_selectors.may_add_members(actor=actor, case=case),
        "coordinator": coordinator,
        "lapsing": lapsing,
        "shows_person_page": bool(agency and agency.district_id == case.district_id
                                  and agency.type == AgencyType.BYDEL),
        "recipient": agency.type if agency else "",
        "purpose": PURPOSE,
        "workflow": case_workflow.workflow_panel_for(actor=actor, case=case, purpose=PURPOSE),
        "plan": plan_selectors.plan_panel_for(actor=actor, case=case),
        "meeting_panel": meeting_panel_for(actor=actor, case=case),
        "weapon": weapon_followup_for(actor=actor, case=case),
        # the family's messages to the coordinator: for the bydel's coordinator only
        "family_thread": family_thread.staff_thread_for(actor=actor, case=case)
        if coordinator else None,
        # the bydel leader's legal holds on erasure (issue 15)
        "hold_panel": lifecycle_selectors.hold_panel_for(actor=actor, case=case),
    })


@actor_required(CASE_ROLES)
@require_POST
def case_status(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    """Move the case's status (the coordinator's form on the case page); errors come back as
    messages on the case page."""
    case = _case(actor, case_id, PURPOSE)
    choices = case_workflow.status_choices_for(actor=actor, case=case)
    form = CaseStatusForm(request.POST, choices=choices)
    if not choices:
        messages.error(request, _("Du kan ikke endre statusen på denne saken."))
    elif not form.is_valid():
        for name, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[name].label}: {error}")
    else:
        try:
            change = case_services.case_transition(
                actor=actor, case=case, to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saken har nå status «%(status)s».")
                             % {"status": change.get_to_status_display()})
    return redirect(f"{reverse('web:case_detail', kwargs={'case_id': case.pk})}#status")


# --- entries -------------------------------------------------------------------------------------

@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    agency_type = actor.agency.type if actor.agency else ""
    form = EntryForm(request.POST or None, request.FILES or None,
                     initial={"category": agency_type})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_add(
                actor=actor, case=case, category=form.cleaned_data["category"],
                text=form.cleaned_data["text"], purpose=PURPOSE,
                attachments=form.attachments(),
            )
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Opplysningen er registrert."))
            return redirect("web:entry_detail", case_id=case.pk, entry_id=entry.pk)
    return render(request, "web/cases/entry_form.html",
                  {"case": case, "form": form, "correcting": None,
                   "may_write": _may_write(actor, case)})


@actor_required(CASE_ROLES)
def entry_detail(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                 entry_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    shown = _entry(actor, case, entry_id)
    history = sharing.entry_history_for(actor=actor, shown=shown, purpose=PURPOSE)
    entry = shown.entry
    newer = next((s for s in history if s.entry.supersedes_id == entry.pk), None)
    own = actor.agency is not None and entry.source_agency_id == actor.agency.pk
    return render(request, "web/cases/entry_detail.html", {
        "case": case,
        "shown": shown,
        "entry": entry,
        "decision": shown.decision,
        "attachments": list(entry.attachments.all()),
        "history": history,
        "newer": newer,
        "may_correct": own and newer is None and _may_write(actor, case),
        # a team member registers a request for rectification on the person's behalf
        "may_request_rectification": newer is None and _may_write(actor, case),
    })


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def entry_correct(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                  entry_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    shown = _entry(actor, case, entry_id)
    if actor.agency is None or shown.entry.source_agency_id != actor.agency.pk:
        raise Http404
    form = EntryCorrectForm(request.POST or None, request.FILES or None,
                            initial={"text": shown.entry.text})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_correct(
                actor=actor, case=case, entry_id=shown.entry.pk,
                text=form.cleaned_data["text"], attachments=form.attachments(),
            )
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Opplysningen er rettet. Den forrige versjonen er bevart "
                                        "i historikken."))
            return redirect("web:entry_detail", case_id=case.pk, entry_id=entry.pk)
    return render(request, "web/cases/entry_form.html",
                  {"case": case, "form": form, "correcting": shown.entry,
                   "may_write": _may_write(actor, case)})


@actor_required(CASE_ROLES)
def entry_attachment(request: HttpRequest, actor: Actor, case_id: uuid.UUID, entry_id: uuid.UUID,
                     attachment_id: uuid.UUID) -> FileResponse:
    case = _case(actor, case_id, PURPOSE)
    try:
        attachment = sharing.attachment_get_for(actor=actor, case=case, entry_id=entry_id,
                                                attachment_id=attachment_id, purpose=PURPOSE)
    except NotFound:
        raise Http404 from None
    response = FileResponse(attachment.file.open("rb"), as_attachment=True,
                            filename=attachment.name, content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- emergency access ----------------------------------------------------------------------------

@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def emergency_open(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, EMERGENCY_PURPOSE)
    # The groups the case page says are hidden; existence-confidential ones are never among them.
    groups = sharing.hidden_summary_for(actor=actor, case=case, purpose=PURPOSE)
    form = EmergencyForm(request.POST or None, groups=groups,
                         initial={"group": request.GET.get("gruppe", "")})
    if request.method == "POST" and form.is_valid():
        source_agency_id, category = form.cleaned_data["group"]
        try:
            entries = services.emergency_open_group(
                actor=actor, case=case, source_agency_id=source_agency_id, category=category,
                reason=form.cleaned_data["reason"],
            )
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return render(request, "web/cases/emergency_result.html", {
                "case": case, "entries": entries,
                "review_days": settings.LAGET_EMERGENCY_REVIEW_DAYS,
            })
    return render(request, "web/cases/emergency_form.html", {
        "case": case, "form": form, "groups": groups,
        "on_team": sharing.is_team_member(actor=actor, case=case),
    })


@actor_required(LEADER)
def emergency_review_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    accesses = list(sharing.emergency_reviews_for(actor=actor))
    return render(request, "web/cases/emergency_review_list.html",
                  {"accesses": accesses, "today": clock.today()})


@actor_required(LEADER)
@require_http_methods(["GET", "POST"])
def emergency_review(request: HttpRequest, actor: Actor, access_id: uuid.UUID) -> HttpResponse:
    access = sharing.emergency_reviews_for(actor=actor).filter(pk=access_id).first()
    if access is None:
        raise Http404
    form = EmergencyReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.emergency_review(actor=actor, access_id=access.pk,
                                      outcome=form.cleaned_data["outcome"],
                                      note=form.cleaned_data["note"])
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Vurderingen er lagret."))
            return redirect("web:emergency_review_list")
    return render(request, "web/cases/emergency_review.html",
                  {"access": access, "form": form, "today": clock.today()})


# --- team ----------------------------------------------------------------------------------------

@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def case_team_add(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    agencies = case_selectors.team_agency_choices(actor=actor, case=case)
    data = request.POST if request.method == "POST" else request.GET
    picker = TeamAgencyForm(data or None, agencies=agencies)
    member_form = None
    if data and picker.is_valid():
        agency = picker.cleaned_data["agency"]
        member_form = TeamMemberForm(
            request.POST if request.method == "POST" else None, agencies=agencies,
            users=case_selectors.team_user_choices(agency=agency),
            initial={"agency": agency.pk},
        )
        if request.method == "POST" and member_form.is_valid():
            try:
                records.team_member_add(actor=actor, case=case,
                                        user=member_form.cleaned_data["user"], agency=agency,
                                        team_role=member_form.cleaned_data["team_role"],
                                        is_contact=member_form.cleaned_data["is_contact"])
            except DomainError as error:
                member_form.add_error(None, error.message)
            else:
                messages.success(request, _("Teammedlemmet er lagt til."))
                return redirect("web:case_detail", case_id=case.pk)
    return render(request, "web/cases/team_form.html", {
        "case": case, "picker": picker, "member_form": member_form,
        "may_add": agencies.exists() and case.is_open,
    })


@actor_required(CASE_ROLES)
@require_POST
def case_team_end(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                  member_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    member = next((m for m in sharing.team_for(actor=actor, case=case, purpose=PURPOSE)
                   if m.pk == member_id), None)
    if member is None:
        raise Http404
    try:
        records.team_member_end(actor=actor, member=member)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Medlemskapet i teamet er avsluttet."))
    return redirect("web:case_detail", case_id=case.pk)


# --- consent -------------------------------------------------------------------------------------

@actor_required(CASE_ROLES)
def consent_list(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, CONSENT_PURPOSE)
    consents = sharing.consent_list_for(actor=actor, case=case)
    lapsing = {item.consent.pk: item for item in case_selectors.consents_lapsing(
        consents=consents, birth_date=case.person.birth_date)}
    return render(request, "web/cases/consent_list.html", {
        "case": case, "rows": [(c, lapsing.get(c.pk)) for c in consents],
        "today": clock.today(), "may_write": _may_write(actor, case),
        "may_propose": case.is_open and is_district_coordinator(actor, case.district_id),
        "proposals": consent_proposals_for(actor=actor, case=case),
    })


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, CONSENT_PURPOSE)
    today = clock.today()
    initial = {
        "categories": request.GET.getlist("kategori"),
        "recipients": request.GET.getlist("mottaker"),
        "purposes": request.GET.getlist("formal") or [PURPOSE],
        "valid_from": today,
        "valid_to": today + dt.timedelta(days=365),
    }
    form = ConsentForm(request.POST or None, initial=initial,
                       guardians=case.person.guardians.order_by("family_name", "given_name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = services.consent_register(
                actor=actor, case=case, given_by=data["given_by"],
                guardian_ids=[g.pk for g in data["guardians"]], method=data["method"],
                categories=data["categories"], recipients=data["recipients"],
                purposes=data["purposes"], valid_from=data["valid_from"],
                valid_to=data["valid_to"], youth_view=data["youth_view"],
            )
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Samtykket er registrert."))
            return redirect("web:consent_detail", case_id=case.pk, consent_id=consent.pk)
    return render(request, "web/cases/consent_form.html",
                  {"case": case, "form": form, "may_write": _may_write(actor, case)})


@actor_required(CASE_ROLES)
def consent_detail(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                   consent_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, CONSENT_PURPOSE)
    consent = _consent(actor, case, consent_id)
    lapsing = case_selectors.consents_lapsing(consents=[consent],
                                              birth_date=case.person.birth_date)
    return render(request, "web/cases/consent_detail.html", {
        "case": case, "consent": consent, "lapsing": lapsing[0] if lapsing else None,
        "guardians": list(consent.guardians.all()), "today": clock.today(),
        "may_write": _may_write(actor, case),
    })


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                     consent_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, CONSENT_PURPOSE)
    consent = _consent(actor, case, consent_id)
    form = ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(actor=actor, consent=consent,
                                      withdrawn_by=form.cleaned_data["withdrawn_by"])
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Samtykket er trukket tilbake. Opplysningene det ga "
                                        "tilgang til, deles ikke lenger."))
            return redirect("web:consent_detail", case_id=case.pk, consent_id=consent.pk)
    return render(request, "web/cases/consent_withdraw.html",
                  {"case": case, "consent": consent, "form": form})


@actor_required(CASE_ROLES)
def consent_pdf(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                consent_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, CONSENT_PURPOSE)
    consent = _consent(actor, case, consent_id)
    language = form_language(request.GET.get("lang"))
    pdf = consent_form_pdf(actor=actor, consent=consent, language=language)
    name = "consent.pdf" if language == "en" else "samtykke.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
