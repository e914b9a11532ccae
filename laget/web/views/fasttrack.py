"""The youth fast track's pages: the responsible agency's list of open cases by days left, opening
a case (by hand or from the weapon trigger's request), one case with its milestones, stages,
timeline chart and reaction plan, and the city statistics with their XLSX export.

The pages are for the four agencies a case can name — the police (its prosecutors act, its case
roles read), the court, the konfliktråd and kriminalomsorgen — in their case roles; to everyone
else they are closed (403). Within them a case the reader's agency is not named on does not exist
(404). The statistics hold no personal data and are open to anyone acting in a role, as
`fasttrack.stats.city_statistics` says. The reads and writes (and their audit events) are the
fasttrack app's selectors and services; the views parse, call and render."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.accounts.models import Role
from laget.core import clock
from laget.core.dbrouter import reads_from_replica
from laget.core.errors import DomainError, NotFound
from laget.fasttrack import access, deadlines, reactions, selectors, services, stats
from laget.fasttrack.deadlines import Responsible, StageStatus
from laget.fasttrack.models import (
    CaseStatus,
    ReactionComponent,
    ReactionForm,
    ReactionTeamMember,
    TargetSet,
)
from laget.people.models import Guardian, Person
from laget.policing.models import FastTrackRequest, OffenceCategory
from laget.records.services import CASE_ROLES
from laget.web import charts
from laget.web.forms.fasttrack import (
    AgenciesForm,
    BreachForm,
    ComponentFormSet,
    FromRequestForm,
    MilestoneForm,
    PeriodForm,
    ReactionPlanForm,
    TeamMemberForm,
    YouthCaseOpenForm,
)
from laget.web.services.fasttrack_export import XLSX_CONTENT_TYPE, statistics_xlsx

FASTTRACK_ROLES = CASE_ROLES | {Role.PROSECUTOR}
def _require_prosecutor(actor: Actor) -> None:
    if not access.is_prosecutor(actor):
        raise PermissionDenied


def _person_by_number(number: str) -> Person | None:
    """The person a prosecutor names by fødselsnummer (from the POST body) to open a case for.
    The number never goes in a URL; the opening service audits the person it opens the case
    for, and a refusal shows nothing about the person beyond what the prosecutor typed."""
    return Person.objects.filter(national_id=number).first() if number else None


NOT_FOUND_PERSON = _("Fant ingen person med dette fødselsnummeret i Laget. Personen må være "
                     "registrert av bydelen først.")


# --- the list ---------------------------------------------------------------------------------

@actor_required(FASTTRACK_ROLES)
def case_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    access.require_reader(actor)
    rows = selectors.open_cases_for(actor=actor)
    pending = selectors.pending_requests_for(actor=actor) if access.is_prosecutor(actor) else []
    categories = dict(OffenceCategory.choices)
    return render(request, "web/fasttrack/list.html", {
        "rows": [(row, -row.days_left if row.overdue and row.days_left is not None else None)
                 for row in rows],
        "pending": [(p, categories.get(p.offence_category or OffenceCategory.WEAPONS_ACT, ""))
                    for p in pending],
        "agency": actor.agency,
        "is_prosecutor": access.is_prosecutor(actor),
        "overdue": sum(1 for row in rows if row.overdue),
    })


# --- opening a case ---------------------------------------------------------------------------

@actor_required(FASTTRACK_ROLES)
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest, actor: Actor) -> HttpResponse:
    _require_prosecutor(actor)
    form = YouthCaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = _person_by_number(data["national_id"])
        if person is None:
            form.add_error("national_id", NOT_FOUND_PERSON)
        else:
            try:
                case = services.youth_case_open(
                    actor=actor, person=person, police_case_number=data["police_case_number"],
                    offence_on=data["offence_on"], offence_categories=data["offence_categories"],
                    weapon=data["weapon"], target_set=data["target_set"], court=data["court"],
                    konfliktraad=data["konfliktraad"], kriminalomsorg=data["kriminalomsorg"],
                    apprehended_on=data["apprehended_on"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Saken er lagt inn i hurtigsporet."))
                return redirect("web:fasttrack_case", case_id=case.pk)
    response = render(request, "web/fasttrack/open.html", {"form": form, "unit": actor.agency})
    # the form may hold a number the prosecutor typed: never keep it in a cache
    response["Cache-Control"] = "no-store"
    return response


@actor_required(FASTTRACK_ROLES)
@require_http_methods(["GET", "POST"])
def request_open(request: HttpRequest, actor: Actor, request_id: uuid.UUID) -> HttpResponse:
    """Take up the weapon trigger's request: the registration gives the offence, its date and
    the weapon; the prosecutor adds the police case number and the target set."""
    _require_prosecutor(actor)
    pending = next((p for p in selectors.pending_requests_for(actor=actor)
                    if p.request_id == request_id), None)
    if pending is None:
        raise Http404
    form = FromRequestForm(request.POST or None, needs_person=pending.person_id is None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = None
        if pending.person_id is None:
            person = _person_by_number(data["national_id"])
            if person is None:
                form.add_error("national_id", NOT_FOUND_PERSON)
        if not form.errors:
            # the unit's own request, not taken up (pending_requests_for said so just now)
            fast_track_request = FastTrackRequest.objects.select_related(
                "registration", "person").get(pk=pending.request_id)
            try:
                case = services.fasttrack_open_from_request(
                    actor=actor, request=fast_track_request,
                    police_case_number=data["police_case_number"],
                    target_set=data["target_set"], person=person, court=data["court"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Anmodningen er tatt opp i hurtigsporet."))
                return redirect("web:fasttrack_case", case_id=case.pk)
    response = render(request, "web/fasttrack/from_request.html",
                      {"form": form, "pending": pending})
    response["Cache-Control"] = "no-store"
    return response


# --- one case ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetView:
    """A stage measured against one target set's target."""

    days: int
    working: bool
    due: dt.date
    days_left: int | None
    overdue: bool
    met: bool | None

    @property
    def over(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


@dataclass(frozen=True)
class StageRow:
    status: StageStatus
    legal: TargetView | None
    city: TargetView | None

    @property
    def targets(self) -> tuple[TargetView | None, TargetView | None]:
        return (self.legal, self.city)


def _against(status: StageStatus, target: deadlines.Target | None,
             today: dt.date) -> TargetView | None:
    if target is None:
        return None
    due = deadlines.due_date(status.started_on, target)
    if status.ended_on is not None:
        return TargetView(target.days, target.count == deadlines.WORKING, due, None, False,
                          status.ended_on <= due)
    return TargetView(target.days, target.count == deadlines.WORKING, due, (due - today).days,
                      today > due, None)


def stage_rows(stages: list[StageStatus], today: dt.date) -> list[StageRow]:
    """Each stage against the legal targets and against the city's (hurtigløp)."""
    legal = deadlines.targets(TargetSet.LEGAL)
    city = deadlines.targets(TargetSet.HURTIGLOP)
    return [StageRow(status, _against(status, legal.get(status.stage.code), today),
                     _against(status, city.get(status.stage.code), today))
            for status in stages]


def timeline_spec(stages: list[StageStatus], zero: dt.date, today: dt.date) -> dict[str, Any]:
    """The stages as bars from their start to their end (or today), in days from the case's
    first milestone, split where the case's own target falls; a dashed rule marks the due day
    of the most urgent running stage."""
    within, over, left, none = (_("Innenfor målet"), _("Over målet"), _("Igjen til målet"),
                                _("Uten mål"))
    rows: list[dict[str, Any]] = []
    for status in stages:
        label = str(status.stage.label)
        start = (status.started_on - zero).days
        end = ((status.ended_on or today) - zero).days
        if status.due is None:
            rows.append({"label": label, "stage": none, "start": start, "end": end})
            continue
        due = (status.due - zero).days
        rows.append({"label": label, "stage": within, "start": start, "end": min(end, due)})
        if end > due:
            rows.append({"label": label, "stage": over, "start": due, "end": end})
        elif status.running and due > end:
            rows.append({"label": label, "stage": left, "start": end, "end": due})
    urgent = selectors.most_urgent(stages)
    target = (urgent.due - zero).days if urgent is not None and urgent.due else None
    spec = charts.horizontal_timeline(
        rows, target=target,
        target_label=(_("Frist: %(stage)s") % {"stage": str(urgent.stage.label).lower()}
                      if urgent is not None and target is not None else None),
        x_title=_("Dager fra første milepæl"), label_title=_("Fase"), stage_title=_("Del"))
    # Fixed colours, so that «over» is red on every case whatever order the parts come in.
    colours = {within: charts.OSLO_DARK_GREEN, over: charts.OSLO_RED, left: charts.OSLO_BLUE,
               none: charts.OSLO_WARM_BLUE}
    present = [name for name in colours if any(row["stage"] == name for row in rows)]
    spec["layer"][0]["encoding"]["color"]["scale"] = {
        "domain": [str(name) for name in present],
        "range": [colours[name] for name in present]}
    return spec


def _case_context(actor: Actor, detail: selectors.CaseDetail) -> dict[str, Any]:
    today = clock.today()
    case = detail.case
    sides = access.sides_of(actor, case)
    zero = min((m.occurred_on for m in detail.milestones), default=case.offence_on)
    plan = detail.reaction_plan
    offences = dict(OffenceCategory.choices)
    forms = dict(ReactionForm.choices)
    return {
        "detail": detail, "case": case, "person": case.person, "today": today,
        "categories": [offences.get(code, code) for code in case.offence_categories],
        "reaction_forms": [forms.get(code, code) for code in plan.forms] if plan else [],
        "stages": stage_rows(detail.stages, today),
        "chart": timeline_spec(detail.stages, zero, today) if detail.stages else None,
        "urgent": selectors.most_urgent(detail.stages),
        "overdue": [s for s in detail.stages if s.overdue],
        "may_set_agencies": (case.status == CaseStatus.OPEN and Responsible.POLICE in sides
                             and access.is_prosecutor(actor)),
        "components": list(plan.components.all()) if plan else [],
        "breaches": list(plan.breaches.all()) if plan else [],
        "team": list(plan.team.select_related("agency", "guardian")) if plan else [],
        "agencies": [(label, agency) for label, agency in (
            (_("Politiet"), case.unit), (_("Domstol"), case.court),
            (_("Konfliktråd"), case.konfliktraad),
            (_("Kriminalomsorgen"), case.kriminalomsorg))],
    }


def _components(plan: Any) -> Any:
    return ReactionComponent.objects.filter(plan=plan).order_by("due_on", "created_at")


def _forms(detail: selectors.CaseDetail, data: Any = None, which: str = "") -> dict[str, Any]:
    """The page's forms: the one posted is bound to its data, the others empty."""
    case, plan = detail.case, detail.reaction_plan

    def bound(name: str) -> Any:
        return data if which == name else None

    return {
        "milestone_form": (MilestoneForm(bound("milestone"), kinds=detail.may_record)
                           if detail.may_record else None),
        "agencies_form": AgenciesForm(bound("agencies"), initial={
            "court": case.court_id, "konfliktraad": case.konfliktraad_id,
            "kriminalomsorg": case.kriminalomsorg_id}),
        "reaction_form": (ReactionPlanForm(bound("reaction"))
                          if detail.may_change_reaction and plan is None else None),
        "component_formset": (ComponentFormSet(bound("reaction"), prefix="del")
                              if detail.may_change_reaction and plan is None else None),
        "breach_form": (BreachForm(bound("breach"), components=_components(plan))
                        if detail.may_change_reaction and plan is not None else None),
        "team_form": (TeamMemberForm(bound("team"), guardians=Guardian.objects.filter(
                          person_id=case.person_id, parental_responsibility=True))
                      if detail.may_change_reaction and plan is not None else None),
    }


def _post(request: HttpRequest, actor: Actor, detail: selectors.CaseDetail,
          page_forms: dict[str, Any], sides: set[str]) -> str | None:
    """Carry out the posted form; returns the success message, or None (errors on the form)."""
    case, which = detail.case, request.POST.get("form", "")
    if which == "milestone" and page_forms["milestone_form"] is not None:
        form = page_forms["milestone_form"]
        if form.is_valid():
            try:
                services.milestone_record(
                    actor=actor, case=case, kind=form.cleaned_data["kind"],
                    occurred_on=form.cleaned_data["occurred_on"],
                    outcome=form.cleaned_data.get("outcome") or "")
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return _("Milepælen er registrert.")
        return None
    if which == "agencies" and Responsible.POLICE in sides and access.is_prosecutor(actor):
        form = page_forms["agencies_form"]
        if form.is_valid():
            try:
                services.youth_case_agencies_set(actor=actor, case=case, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return _("De ansvarlige virksomhetene er lagret.")
        return None
    if which == "reaction" and page_forms["reaction_form"] is not None:
        form, formset = page_forms["reaction_form"], page_forms["component_formset"]
        if form.is_valid() and formset.is_valid():
            items = [reactions.ComponentInput(kind=row["kind"], text=row["text"],
                                              agency=row["agency"], due_on=row["due_on"])
                     for row in formset.cleaned_data if row and row.get("kind")]
            try:
                result = reactions.reaction_plan_create(
                    actor=actor, case=case, forms=form.cleaned_data["reaction_forms"],
                    components=items, custody_days=form.cleaned_data["custody_days"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                for reason in dict.fromkeys(c.not_in_plan_reason for c in result.components
                                            if c.not_in_plan_reason):
                    messages.warning(request, reason)
                return _("Reaksjonsplanen er laget.")
        return None
    if which == "breach" and page_forms["breach_form"] is not None:
        form = page_forms["breach_form"]
        if form.is_valid():
            try:
                reactions.breach_record(
                    actor=actor, reaction=detail.reaction_plan,
                    occurred_on=form.cleaned_data["occurred_on"],
                    response=form.cleaned_data["response"],
                    component=form.cleaned_data["component"], note=form.cleaned_data["note"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return _("Bruddet er registrert.")
        return None
    if which == "team" and page_forms["team_form"] is not None:
        form = page_forms["team_form"]
        if form.is_valid():
            try:
                reactions.reaction_team_add(actor=actor, reaction=detail.reaction_plan,
                                            **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return _("Teamet er oppdatert.")
        return None
    if which == "team_remove" and page_forms["team_form"] is not None:
        try:
            member_id = uuid.UUID(request.POST.get("member", ""))
        except ValueError:
            raise Http404 from None
        member = ReactionTeamMember.objects.filter(plan=detail.reaction_plan,
                                                   pk=member_id).first()
        if member is None:
            raise Http404
        reactions.reaction_team_remove(actor=actor, member=member)
        return _("Teamet er oppdatert.")
    raise PermissionDenied


@actor_required(FASTTRACK_ROLES)
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    access.require_reader(actor)
    try:
        detail = selectors.youth_case_get_for(actor=actor, case_id=case_id)
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        which = request.POST.get("form", "")
        page_forms = _forms(detail, request.POST, which)
        done = _post(request, actor, detail, page_forms, access.sides_of(actor, detail.case))
        if done is not None:
            messages.success(request, done)
            return redirect("web:fasttrack_case", case_id=case_id)
    else:
        page_forms = _forms(detail)
    context = {**_case_context(actor, detail), **page_forms}
    return render(request, "web/fasttrack/case.html", context)


# --- statistics -------------------------------------------------------------------------------

def _statistics(request: HttpRequest, actor: Actor) -> tuple[PeriodForm, Any]:
    if actor is None or actor.membership is None:
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    since, until = form.period()
    if not form.is_bound:
        form = PeriodForm(initial={"fra": since, "til": until})
    try:
        figures = stats.city_statistics(actor=actor, since=since, until=until)
    except DomainError as error:
        form.add_error(None, error.message)
        figures = None
    return form, figures


def statistics_charts(figures: stats.CityStatistics) -> list[tuple[str, dict[str, Any]]]:
    """The median per stage over the period, and per month for each stage: published cells only
    (a suppressed cell has no number to draw)."""
    result = []
    totals = [cell for cell in figures.cells if cell.month is None and cell.district_code is None
              and not cell.suppressed]
    if totals:
        result.append((_("Median antall dager per fase i perioden"), charts.bar_chart(
            [{"fase": cell.stage_label, "median": cell.median_days} for cell in totals],
            x="median", y="fase", x_title=_("Median dager"), y_title=_("Fase"))))
    for code in dict.fromkeys(cell.stage for cell in figures.cells):
        months = [cell for cell in figures.cells if cell.stage == code and cell.month
                  and not cell.suppressed]
        if months:
            result.append((_("%(stage)s: median antall dager per måned")
                           % {"stage": months[0].stage_label}, charts.bar_chart(
                [{"maned": month_label(cell.month), "median": cell.median_days}
                 for cell in months if cell.month],
                x="median", y="maned", x_title=_("Median dager"), y_title=_("Måned"))))
    return result


def month_label(month: str) -> str:
    """«2026-03» as «mars 2026» in the request's language."""
    year, number = (int(part) for part in month.split("-"))
    return formats.date_format(dt.date(year, number, 1), "F Y")


@dataclass(frozen=True)
class StageTables:
    """One stage's cells for its table: (row heading, cell) per month and per bydel."""

    label: str
    total: stats.StatCell | None
    months: list[tuple[str, stats.StatCell]]
    districts: list[tuple[str, stats.StatCell]]


def statistics_tables(figures: stats.CityStatistics) -> list[StageTables]:
    tables = []
    for code in dict.fromkeys(cell.stage for cell in figures.cells):
        cells = [cell for cell in figures.cells if cell.stage == code]
        tables.append(StageTables(
            cells[0].stage_label,
            next((c for c in cells if c.month is None and c.district_code is None), None),
            [(month_label(c.month), c) for c in cells if c.month],
            [(c.district_name or c.district_code or "", c) for c in cells if c.district_code]))
    return tables


@actor_required()
@reads_from_replica
def statistics(request: HttpRequest, actor: Actor) -> HttpResponse:
    form, figures = _statistics(request, actor)
    return render(request, "web/fasttrack/statistics.html", {
        "form": form, "figures": figures,
        "charts": statistics_charts(figures) if figures else [],
        "tables": statistics_tables(figures) if figures else [],
        "query": request.GET.urlencode(),
    })


@actor_required()
@reads_from_replica
def statistics_export(request: HttpRequest, actor: Actor) -> HttpResponse:
    _form, figures = _statistics(request, actor)
    if figures is None:
        return redirect(f"{reverse('web:fasttrack_statistics')}?{request.GET.urlencode()}")
    content = statistics_xlsx(figures)
    name = f"hurtigspor-statistikk-{figures.since.isoformat()}-{figures.until.isoformat()}.xlsx"
    return HttpResponse(content, content_type=XLSX_CONTENT_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",
    })

