"""The team meetings of a case: the list, one meeting, scheduling and changing it (the bydel's
SaLTo coordinator), cancelling, the minutes with attendance and decisions that become tasks, and
the meeting on paper. The case is opened through laget.sharing (404 if the user may not); the
rules live in laget.cases.meetings."""

import datetime as dt
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from laget.accounts.access import Actor, actor_required
from laget.cases import meetings as services
from laget.cases import selectors_meetings as selectors
from laget.cases.access import may_coordinate
from laget.cases.models import Meeting, MeetingStatus, ParticipantKind
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.records.models import Case
from laget.records.services import CASE_ROLES
from laget.web.forms.meetings import (
    BLANK_DECISIONS,
    DECISION_PREFIX,
    YOUNG_PERSON,
    DecisionFormSet,
    MeetingForm,
    MinutesForm,
    decision_rows,
)
from laget.web.services.consent_form import form_language
from laget.web.services.minutes_pdf import minutes_pdf
from laget.web.views.cases import PURPOSE, _case


def _meeting(actor: Actor, case: Case, meeting_id: uuid.UUID) -> Meeting:
    try:
        return selectors.meeting_get_for(actor=actor, case=case, meeting_id=meeting_id)
    except NotFound:
        raise Http404 from None


def _may_change(actor: Actor, case: Case, meeting: Meeting | None = None) -> bool:
    return case.is_open and may_coordinate(actor, case) and (
        meeting is None or meeting.status == MeetingStatus.PLANNED)


@actor_required(CASE_ROLES)
def meeting_list(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    meetings = selectors.meeting_list_for(actor=actor, case=case)
    return render(request, "web/cases/meetings/list.html", {
        "case": case, "meetings": meetings, "now": clock.now(),
        "may_schedule": _may_change(actor, case),
    })


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    day = clock.today() + dt.timedelta(days=1)
    invitees = selectors.invitees_for(actor=actor, case=case, on=day)
    needed, language = selectors.interpreter_default(person=case.person,
                                                     guardians=invitees.guardians)
    form = MeetingForm(request.POST or None, invitees=invitees, editing=False, initial={
        "team": [str(m.pk) for m in invitees.team],
        "interpreter_needed": needed, "interpreter_language": language,
    })
    allowed = _may_change(actor, case)
    if request.method == "POST" and allowed and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                actor=actor, case=case, starts_at=data["starts_at"], place=data["place"],
                invite=form.invite(), interpreter_needed=data["interpreter_needed"],
                interpreter_language=data["interpreter_language"],
                agenda_extra=data["agenda_extra"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Møtet er planlagt, og de inviterte fra teamet har fått "
                                        "beskjed. Se over dagsordenen."))
            return redirect("web:meeting_detail", case_id=case.pk, meeting_id=meeting.pk)
    return render(request, "web/cases/meetings/form.html", {
        "case": case, "form": form, "meeting": None, "allowed": allowed,
    })


@actor_required(CASE_ROLES)
def meeting_detail(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                   meeting_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    meeting = _meeting(actor, case, meeting_id)
    coordinator = case.is_open and may_coordinate(actor, case)
    return render(request, "web/cases/meetings/detail.html", {
        "case": case, "meeting": meeting, "now": clock.now(),
        "interpreter_language": selectors.language_label(meeting.interpreter_language),
        "participants": selectors.participants_for(actor=actor, meeting=meeting),
        "decisions": selectors.decisions_for(actor=actor, meeting=meeting),
        "may_change": _may_change(actor, case, meeting),
        "may_write_minutes": coordinator and meeting.status != MeetingStatus.CANCELLED
        and meeting.starts_at <= clock.now(),
    })


def _edit_initial(meeting: Meeting, invitees: selectors.Invitees) -> dict[str, object]:
    local = meeting.starts_at.astimezone(clock.OSLO)
    rows = list(meeting.participants.all())
    team = {(m.user_id, m.agency_id): str(m.pk) for m in invitees.team}
    return {
        "date": local.date(), "time": local.time().replace(second=0, microsecond=0),
        "place": meeting.place,
        "team": [team[(p.user_id, p.agency_id)] for p in rows
                 if p.kind == ParticipantKind.TEAM and (p.user_id, p.agency_id) in team],
        "family": [YOUNG_PERSON] * any(p.kind == ParticipantKind.YOUNG_PERSON for p in rows)
        + [str(p.guardian_id) for p in rows if p.kind == ParticipantKind.GUARDIAN],
        "others": "\n".join(p.name for p in rows if p.kind == ParticipantKind.OTHER),
        "interpreter_needed": meeting.interpreter_needed,
        "interpreter_language": meeting.interpreter_language,
        "agenda": meeting.agenda,
    }


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                 meeting_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    meeting = _meeting(actor, case, meeting_id)
    invitees = selectors.invitees_for(actor=actor, case=case,
                                      on=meeting.starts_at.astimezone(clock.OSLO).date())
    form = MeetingForm(request.POST or None, invitees=invitees, editing=True,
                       initial=_edit_initial(meeting, invitees))
    allowed = _may_change(actor, case, meeting)
    if request.method == "POST" and allowed and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_update(
                actor=actor, meeting=meeting, starts_at=data["starts_at"], place=data["place"],
                invite=form.invite(), interpreter_needed=data["interpreter_needed"],
                interpreter_language=data["interpreter_language"], agenda=data["agenda"],
                redraw_agenda=data["redraw_agenda"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Møtet er endret."))
            return redirect("web:meeting_detail", case_id=case.pk, meeting_id=meeting.pk)
    return render(request, "web/cases/meetings/form.html", {
        "case": case, "form": form, "meeting": meeting, "allowed": allowed,
    })


@actor_required(CASE_ROLES)
@require_POST
def meeting_cancel(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                   meeting_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    meeting = _meeting(actor, case, meeting_id)
    try:
        services.meeting_cancel(actor=actor, meeting=meeting)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Møtet er avlyst, og de inviterte fra teamet har fått "
                                    "beskjed."))
    return redirect("web:meeting_detail", case_id=case.pk, meeting_id=meeting.pk)


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def meeting_minutes(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                    meeting_id: uuid.UUID) -> HttpResponse:
    """The minutes: text, attendance, and decisions — each one that names who is to do something
    becomes a task in the same step. «Ny linje» shows the form again with one more decision row
    (as a partial for htmx), keeping what is typed and judging none of it."""
    case = _case(actor, case_id, PURPOSE)
    meeting = _meeting(actor, case, meeting_id)
    participants = selectors.participants_for(actor=actor, meeting=meeting)
    team = selectors.team_choices_for(actor=actor, case=case)
    kwargs = {"prefix": DECISION_PREFIX, "form_kwargs": {"team": team}}
    allowed = (case.is_open and may_coordinate(actor, case)
               and meeting.status != MeetingStatus.CANCELLED)
    started = meeting.starts_at <= clock.now()
    if request.method == "POST" and "ny_linje" in request.POST:
        form = MinutesForm(participants=participants, initial=request.POST.dict())
        decisions = DecisionFormSet(initial=decision_rows(request.POST), **kwargs)
        template = "web/cases/meetings/minutes_form.html"
        if request.htmx:  # type: ignore[attr-defined]
            template += "#decisions"
        return render(request, template, {
            "case": case, "meeting": meeting, "form": form, "decisions": decisions,
            "existing": selectors.decisions_for(actor=actor, meeting=meeting),
            "allowed": allowed, "started": started,
        })
    if request.method == "POST":
        form = MinutesForm(request.POST, participants=participants)
        decisions = DecisionFormSet(request.POST, **kwargs)
    else:
        form = MinutesForm(participants=participants, initial={"minutes": meeting.minutes})
        decisions = DecisionFormSet(initial=[{}] * BLANK_DECISIONS, **kwargs)
    if request.method == "POST" and allowed and started and form.is_valid() \
            and decisions.is_valid():
        made = [d for d in (f.decision() for f in decisions.forms) if d is not None]
        try:
            services.meeting_minutes_record(
                actor=actor, meeting=meeting, minutes=form.cleaned_data["minutes"],
                attendance=form.attendance(), decisions=made)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            tasks = sum(1 for d in made if d.agency is not None)
            text = _("Referatet er lagret.")
            if tasks:
                text += " " + ngettext("%(n)s beslutning ble en oppgave i planen.",
                                       "%(n)s beslutninger ble oppgaver i planen.",
                                       tasks) % {"n": tasks}
            messages.success(request, text)
            return redirect("web:meeting_detail", case_id=case.pk, meeting_id=meeting.pk)
    return render(request, "web/cases/meetings/minutes_form.html", {
        "case": case, "meeting": meeting, "form": form, "decisions": decisions,
        "existing": selectors.decisions_for(actor=actor, meeting=meeting),
        "allowed": allowed, "started": started,
    })


@actor_required(CASE_ROLES)
def meeting_pdf(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                meeting_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id, PURPOSE)
    meeting = _meeting(actor, case, meeting_id)
    language = form_language(request.GET.get("lang"))
    pdf = minutes_pdf(actor=actor, meeting=meeting, language=language)
    held = meeting.status == MeetingStatus.HELD
    name = {("en", True): "minutes.pdf", ("en", False): "meeting.pdf",
            ("nb", True): "referat.pdf", ("nb", False): "innkalling.pdf"}[(language, held)]
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
