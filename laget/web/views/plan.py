"""The coordinated plan on the case page: goals, tasks, linked measures, and the plan as a PDF for
the team meeting or for the family.

Every change is a form that works without JavaScript (a page of its own, back to the case page
with a message); with htmx the same URLs answer with the plan panel, the form open inline
(`web/cases/plan/panel.html#panel`). Each form carries the plan's version it was built from: a
change made meanwhile by someone else is refused with a clear message, the user's input stays in
the form, and the panel shows the plan as it is now. A case the user may not open, or whose
workflow they do not see, is a 404.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from laget.accounts.access import Actor, actor_required
from laget.audit.actions import Purpose
from laget.cases import measures as measure_registry
from laget.cases import plan as plan_services
from laget.cases import selectors_plan as plan_selectors
from laget.cases.access import may_coordinate, may_see_workflow
from laget.cases.models import Goal, Task
from laget.core.errors import DomainError, NotFound
from laget.records.models import Case
from laget.records.services import CASE_ROLES
from laget.sharing import selectors as sharing
from laget.sharing.selectors import is_team_member
from laget.web.forms.plan import (
    GoalForm,
    TaskCancelForm,
    TaskCompleteForm,
    TaskForm,
    VersionForm,
)
from laget.web.services.plan_pdf import pdf_language, plan_pdf

PURPOSE = Purpose.FOREBYGGING
PANEL = "web/cases/plan/panel.html#panel"


@dataclass(frozen=True)
class PlanOpen:
    """The form open in the panel (htmx) or on its own page: what it edits and where it goes."""

    kind: str  # goal | task | complete | cancel
    form: VersionForm
    action: str
    heading: str
    submit: str
    goal_id: uuid.UUID | None = None
    task_id: uuid.UUID | None = None
    new: bool = False


def _case(actor: Actor, case_id: uuid.UUID) -> Case:
    try:
        case = sharing.case_get_for(actor=actor, case_id=case_id, purpose=PURPOSE)
    except NotFound:
        raise Http404 from None
    if not may_see_workflow(actor, case):
        raise Http404
    return case


def _goal(actor: Actor, case: Case, goal_id: uuid.UUID) -> Goal:
    try:
        return plan_selectors.goal_get_for(actor=actor, case=case, goal_id=goal_id)
    except NotFound:
        raise Http404 from None


def _task(actor: Actor, case: Case, task_id: uuid.UUID) -> Task:
    try:
        return plan_selectors.task_get_for(actor=actor, case=case, task_id=task_id)
    except NotFound:
        raise Http404 from None


def _case_url(case: Case) -> str:
    return f"{reverse('web:case_detail', kwargs={'case_id': case.pk})}#plan"


def _panel(request: HttpRequest, actor: Actor, case: Case, *, plan_open: PlanOpen | None = None,
           notice: str = "", error: str = "") -> HttpResponse:
    return render(request, PANEL, {
        "case": case, "plan": plan_selectors.plan_panel_for(actor=actor, case=case),
        "plan_open": plan_open, "plan_notice": notice, "plan_error": error, "plan_inline": True,
    })


def _show_form(request: HttpRequest, actor: Actor, case: Case, plan_open: PlanOpen
               ) -> HttpResponse:
    """The open form: inline in the panel for htmx, else on a page of its own with the plan as it
    is now below it."""
    if request.htmx:
        first = next(iter(plan_open.form.visible_fields()), None)
        if first is not None:
            first.field.widget.attrs["autofocus"] = True
        return _panel(request, actor, case, plan_open=plan_open)
    return render(request, "web/cases/plan/form.html", {
        "case": case, "plan_open": plan_open,
        "plan": plan_selectors.plan_panel_for(actor=actor, case=case), "plan_readonly": True,
    })


def _done(request: HttpRequest, actor: Actor, case: Case, notice: str) -> HttpResponse:
    if request.htmx:
        return _panel(request, actor, case, notice=notice)
    messages.success(request, notice)
    return redirect(_case_url(case))


def _run(request: HttpRequest, actor: Actor, case: Case, plan_open: PlanOpen,
         change: Callable[[dict[str, Any]], object], notice: str) -> HttpResponse:
    """Validate the form, make the change, answer. A refusal goes into the form with the user's
    input; a stale one also moves the form to the plan's current version (the panel below or
    around it shows what changed), so that saving again is a deliberate second step."""
    form = plan_open.form
    if request.method == "POST" and form.is_valid():
        try:
            change(form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
            if error.code == "stale":
                form.refresh_version(plan_selectors.plan_version(case=case))
        else:
            return _done(request, actor, case, notice)
    return _show_form(request, actor, case, plan_open)


def _version_initial(case: Case) -> dict[str, Any]:
    return {"version": plan_selectors.plan_version(case=case)}


# --- the panel -----------------------------------------------------------------------------------

@actor_required(CASE_ROLES)
def plan_detail(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    """The plan on a page of its own (and, for htmx, the panel: a cancelled inline edit)."""
    case = _case(actor, case_id)
    if request.htmx:
        return _panel(request, actor, case)
    return render(request, "web/cases/plan/page.html", {
        "case": case, "plan": plan_selectors.plan_panel_for(actor=actor, case=case),
    })


# --- goals ---------------------------------------------------------------------------------------

@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id)
    if not may_coordinate(actor, case):
        raise PermissionDenied
    form = GoalForm(request.POST or None, creating=True,
                    initial={**_version_initial(case), "family_visible": True})
    plan_open = PlanOpen("goal", form, reverse("web:plan_goal_create", args=[case.pk]),
                         _("Nytt mål"), _("Legg til målet"), new=True)

    def change(data: dict[str, Any]) -> object:
        return plan_services.goal_create(
            actor=actor, case=case, title=data["title"], indicator=data["indicator"],
            family_visible=data["family_visible"], expected_version=data["version"])

    return _run(request, actor, case, plan_open, change, _("Målet er lagt til i planen."))


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
              goal_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id)
    goal = _goal(actor, case, goal_id)
    if not may_coordinate(actor, case):
        raise PermissionDenied
    form = GoalForm(request.POST or None, initial={
        **_version_initial(case), "title": goal.title, "indicator": goal.indicator,
        "status": goal.status, "family_visible": goal.family_visible})
    plan_open = PlanOpen("goal", form, reverse("web:plan_goal_edit", args=[case.pk, goal.pk]),
                         _("Endre målet"), _("Lagre målet"), goal_id=goal.pk)

    def change(data: dict[str, Any]) -> object:
        return plan_services.goal_update(
            actor=actor, goal=goal, title=data["title"], indicator=data["indicator"],
            status=data["status"], family_visible=data["family_visible"],
            expected_version=data["version"])

    return _run(request, actor, case, plan_open, change, _("Målet er lagret."))


# --- tasks ---------------------------------------------------------------------------------------

def _task_form(request: HttpRequest, actor: Actor, case: Case, *, initial: dict[str, Any],
               current_goal: Goal | None = None) -> TaskForm:
    agencies = plan_selectors.task_agency_choices(actor=actor, case=case)
    return TaskForm(
        request.POST or None, initial=initial, agencies=agencies,
        assignees=plan_selectors.task_assignee_choices(agencies=agencies, case=case),
        goals=plan_selectors.goal_choices(case=case, current=current_goal),
    )


def _task_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The task form's cleaned data as the plan services take it (create and update alike)."""
    fields = ("title", "agency", "assignee", "due_on", "goal", "family_visible")
    return {**{name: data[name] for name in fields}, "expected_version": data["version"]}


def _may_write_task(actor: Actor, case: Case, task: Task) -> bool:
    return may_coordinate(actor, case) or plan_services.is_responsible(actor, task, case)


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id)
    if not (may_coordinate(actor, case) or is_team_member(actor=actor, case=case)):
        raise PermissionDenied
    goal = None
    if request.GET.get("mal"):
        try:
            goal = plan_selectors.goal_get_for(actor=actor, case=case,
                                               goal_id=uuid.UUID(request.GET["mal"]))
        except (ValueError, NotFound):
            goal = None
    form = _task_form(request, actor, case, initial={
        **_version_initial(case), "family_visible": True, "goal": goal.pk if goal else None,
        "agency": actor.agency.pk if actor.agency else None})
    action = reverse("web:plan_task_create", args=[case.pk])
    plan_open = PlanOpen("task", form, f"{action}?mal={goal.pk}" if goal else action,
                         _("Ny oppgave"), _("Legg til oppgaven"),
                         goal_id=goal.pk if goal else None, new=True)

    def change(data: dict[str, Any]) -> object:
        return plan_services.task_create(actor=actor, case=case, **_task_fields(data))

    return _run(request, actor, case, plan_open, change, _("Oppgaven er lagt til i planen."))


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
              task_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id)
    task = _task(actor, case, task_id)
    if not _may_write_task(actor, case, task):
        raise PermissionDenied
    form = _task_form(request, actor, case, current_goal=task.goal, initial={
        **_version_initial(case), "title": task.title, "agency": task.agency_id,
        "assignee": task.assignee_id, "due_on": task.due_on, "goal": task.goal_id,
        "family_visible": task.family_visible})
    plan_open = PlanOpen("task", form, reverse("web:plan_task_edit", args=[case.pk, task.pk]),
                         _("Endre oppgaven"), _("Lagre oppgaven"), task_id=task.pk)

    def change(data: dict[str, Any]) -> object:
        return plan_services.task_update(actor=actor, task=task, **_task_fields(data))

    return _run(request, actor, case, plan_open, change, _("Oppgaven er lagret."))


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def task_complete(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                  task_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id)
    task = _task(actor, case, task_id)
    if not _may_write_task(actor, case, task):
        raise PermissionDenied
    form = TaskCompleteForm(request.POST or None,
                            initial={**_version_initial(case), "outcome": task.outcome})
    plan_open = PlanOpen("complete", form,
                         reverse("web:plan_task_complete", args=[case.pk, task.pk]),
                         _("Oppgaven er utført"), _("Marker som utført"), task_id=task.pk)

    def change(data: dict[str, Any]) -> object:
        return plan_services.task_complete(actor=actor, task=task, outcome=data["outcome"],
                                           expected_version=data["version"])

    return _run(request, actor, case, plan_open, change, _("Oppgaven er markert som utført."))


@actor_required(CASE_ROLES)
@require_http_methods(["GET", "POST"])
def task_cancel(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                task_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id)
    task = _task(actor, case, task_id)
    if not _may_write_task(actor, case, task):
        raise PermissionDenied
    form = TaskCancelForm(request.POST or None, initial=_version_initial(case))
    plan_open = PlanOpen("cancel", form, reverse("web:plan_task_cancel", args=[case.pk, task.pk]),
                         _("Avlys oppgaven"), _("Avlys oppgaven"), task_id=task.pk)

    def change(data: dict[str, Any]) -> object:
        return plan_services.task_cancel(actor=actor, task=task, reason=data["reason"],
                                         expected_version=data["version"])

    return _run(request, actor, case, plan_open, change, _("Oppgaven er avlyst."))


def _one_click(request: HttpRequest, actor: Actor, case: Case,
               change: Callable[[int], object], notice: str) -> HttpResponse:
    """A button without fields (reopen, end a measure): errors come back as a message."""
    form = VersionForm(request.POST)
    if not form.is_valid():
        error = _("Siden var utdatert. Se over planen og prøv igjen.")
    else:
        try:
            change(form.cleaned_data["version"])
        except DomainError as refused:
            error = refused.message
        else:
            return _done(request, actor, case, notice)
    if request.htmx:
        return _panel(request, actor, case, error=error)
    messages.error(request, error)
    return redirect(_case_url(case))


@actor_required(CASE_ROLES)
@require_POST
def task_reopen(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                task_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id)
    task = _task(actor, case, task_id)
    return _one_click(request, actor, case, lambda version: plan_services.task_reopen(
        actor=actor, task=task, expected_version=version), _("Oppgaven er åpnet igjen."))


# --- measures ------------------------------------------------------------------------------------

@actor_required(CASE_ROLES)
@require_POST
def measure_end(request: HttpRequest, actor: Actor, case_id: uuid.UUID,
                measure_id: uuid.UUID) -> HttpResponse:
    case = _case(actor, case_id)
    try:
        measure = plan_selectors.measure_get_for(actor=actor, case=case, measure_id=measure_id)
    except NotFound:
        raise Http404 from None
    return _one_click(request, actor, case, lambda version: measure_registry.measure_end(
        actor=actor, case=case, measure=measure, expected_version=version),
        _("Tiltaket er avsluttet."))


# --- the printed plan ----------------------------------------------------------------------------

@actor_required(CASE_ROLES)
def plan_print(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    """The plan as a PDF: `?versjon=familie` for the family's version, `&lang=en` in English."""
    case = _case(actor, case_id)
    family = request.GET.get("versjon") == "familie"
    language = pdf_language(request.GET.get("lang"))
    pdf = plan_pdf(actor=actor, case=case, family=family, language=language)
    if family:
        name = "plan-family.pdf" if language == "en" else "plan-familie.pdf"
    else:
        name = "plan-team.pdf" if language == "en" else "plan-teammote.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
