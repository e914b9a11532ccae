"""Pages of the targeting index and the områdesatsinger (/omrader/malretting/, /omrader/satsinger/):
the index ranking with its method, components, map and CSV/XLSX; the programmes with their
areas, the commitment board (overdue commitments first, marked in words and colour), a
commitment's history, development plans and their crime-preventive design checklists.

Areas and organisations only — no personal data — so every logged-in user reads them, as the
rest of /omrader/. Writing is for `programmes.may_edit` (analysts; the leader or coordinator of a
city unit); the services audit every write."""

import uuid

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from laget.accounts.access import Actor, actor_required
from laget.analytics import programmes, publish, targeting
from laget.analytics.models import AreaProgramme, Direction, Level
from laget.core import clock
from laget.core.dbrouter import reads_from_replica
from laget.core.errors import DomainError, NotFound
from laget.web import charts
from laget.web.forms.analytics_programmes import (
    ChecklistForm,
    CommitmentForm,
    CommitmentUpdateForm,
    PlanForm,
    ProgrammeForm,
    TargetingForm,
)
from laget.web.services.analytics_export import XLSX_CONTENT_TYPE
from laget.web.services.analytics_targeting_export import (
    CSV_CONTENT_TYPE,
    ranking_csv,
    ranking_xlsx,
    reason_text,
)
from laget.web.services.programme_export import programme_xlsx

# --- the targeting index -------------------------------------------------------------------------


def _targeting(request: HttpRequest) -> tuple[TargetingForm, targeting.Ranking | None]:
    """The form from the GET parameters — or, on a first visit, every indicator of the level
    with a direction at weight 1 — and the ranking when the form is valid."""
    level = request.GET.get("niva")
    if level not in targeting.LEVELS:
        level = Level.DELBYDEL
    items = targeting.indicators(level)
    names = {i.key: publish.name(i) for i in items}
    years = targeting.years(level) or [clock.today().year]
    data = request.GET.copy()
    if "ar" not in request.GET:
        data = QueryDict(mutable=True)
        data.update({"niva": level, "ar": str(years[0]), "mangler": targeting.MISSING_EXCLUDE})
        for indicator in items:
            if indicator.direction != Direction.NEUTRAL:
                data[f"vekt_{indicator.key}"] = "1"
    form = TargetingForm(data, level=level, years=years, indicators=items, names=names)
    if not form.is_valid():
        return form, None
    result = targeting.ranking(level=level, year=form.cleaned_data["ar"],
                               choices=form.cleaned_data["choices"],
                               missing=form.cleaned_data["mangler"])
    return form, result


def _index_map(result: targeting.Ranking) -> dict | None:
    rows = [{"code": r.area.code, "name": r.area.name, "index": float(r.index)}
            for r in result.ranked if r.area.on_map and r.index is not None]
    if not rows:
        return None
    return charts.choropleth(rows, publish.boundaries(result.level), value="index",
                             value_title=_("Indeks"), name_title=_("Område"))


@actor_required()
@reads_from_replica
def targeting_index(request: HttpRequest, actor: Actor | None) -> HttpResponse:
    form, result = _targeting(request)
    query = request.GET.urlencode() if "ar" in request.GET else form.data.urlencode()
    rows = []
    if result is not None:
        for row in [*result.ranked, *result.unranked, *result.statistical]:
            rows.append((row, list(zip(row.cells, row.z, strict=True)),
                         reason_text(row.reason)))
    return render(request, "web/analytics/programmes/targeting.html", {
        "form": form, "result": result, "rows": rows, "query": query,
        "map": _index_map(result) if result is not None else None,
        "reweight": result is not None and result.missing == targeting.MISSING_REWEIGHT})


def _export(request: HttpRequest) -> targeting.Ranking:
    _form, result = _targeting(request)
    if result is None:
        raise BadRequest("invalid targeting parameters")
    return result


@actor_required()
@reads_from_replica
def targeting_csv(request: HttpRequest, actor: Actor | None) -> HttpResponse:
    result = _export(request)
    return HttpResponse(ranking_csv(result), content_type=CSV_CONTENT_TYPE, headers={
        "Content-Disposition": f'attachment; filename="malretting-{result.level}-'
                               f'{result.year}.csv"', "Cache-Control": "no-store"})


@actor_required()
@reads_from_replica
def targeting_xlsx(request: HttpRequest, actor: Actor | None) -> HttpResponse:
    result = _export(request)
    return HttpResponse(ranking_xlsx(result), content_type=XLSX_CONTENT_TYPE, headers={
        "Content-Disposition": f'attachment; filename="malretting-{result.level}-'
                               f'{result.year}.xlsx"', "Cache-Control": "no-store"})


# --- programmes ----------------------------------------------------------------------------------

def _programme(programme_id: uuid.UUID) -> AreaProgramme:
    try:
        return programmes.programme_get(programme_id=programme_id)
    except NotFound:
        raise Http404 from None


def _editor(actor: Actor | None) -> Actor:
    if actor is None or not programmes.may_edit(actor):
        raise PermissionDenied
    return actor


@actor_required()
def programme_list(request: HttpRequest, actor: Actor | None) -> HttpResponse:
    return render(request, "web/analytics/programmes/list.html", {
        "programmes": programmes.programme_list(), "may_edit": programmes.may_edit(actor)})


@actor_required()
def programme_detail(request: HttpRequest, actor: Actor | None,
                     area_programme_id: uuid.UUID) -> HttpResponse:
    programme = _programme(area_programme_id)
    plans, totals = programmes.design_report(programme=programme)
    return render(request, "web/analytics/programmes/programme.html", {
        "programme": programme, "board": programmes.board(programme=programme),
        "plans": plans, "totals": totals, "may_edit": programmes.may_edit(actor),
        "today": clock.today()})


@actor_required()
def programme_export(request: HttpRequest, actor: Actor | None,
                     area_programme_id: uuid.UUID) -> HttpResponse:
    """The board and the design report as XLSX (no personal data, like the page)."""
    programme = _programme(area_programme_id)
    plans, totals = programmes.design_report(programme=programme)
    today = clock.today()
    content = programme_xlsx(programme=programme, board=programmes.board(programme=programme),
                             plans=plans, totals=totals, today=today)
    name = f"omradesatsing-{programme.pk.hex[:8]}-{today.isoformat()}.xlsx"
    return HttpResponse(content, content_type=XLSX_CONTENT_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def _programme_data(form: ProgrammeForm) -> programmes.ProgrammeData:
    data = form.cleaned_data
    return programmes.ProgrammeData(
        name=data["name"], description=data["description"], districts=list(data["districts"]),
        subdistricts=list(data["subdistricts"]), starts_on=data["starts_on"],
        ends_on=data["ends_on"], owner=data["owner"])


def _save_programme(request: HttpRequest, actor: Actor,
                    programme: AreaProgramme | None) -> HttpResponse:
    initial = None
    if programme is not None:
        initial = {"name": programme.name, "description": programme.description,
                   "districts": list(programme.districts.all()),
                   "subdistricts": list(programme.subdistricts.all()),
                   "starts_on": programme.starts_on, "ends_on": programme.ends_on,
                   "owner": programme.owner}
    form = ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = programmes.programme_save(actor=actor, programme=programme,
                                              data=_programme_data(form))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Satsingen er lagret."))
            return redirect("web:analytics_programme", area_programme_id=saved.pk)
    return render(request, "web/analytics/programmes/programme_form.html",
                  {"form": form, "programme": programme})


@actor_required()
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest, actor: Actor | None) -> HttpResponse:
    return _save_programme(request, _editor(actor), None)


@actor_required()
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, actor: Actor | None,
                   area_programme_id: uuid.UUID) -> HttpResponse:
    editor = _editor(actor)
    return _save_programme(request, editor, _programme(area_programme_id))


# --- commitments ---------------------------------------------------------------------------------

@actor_required()
@require_http_methods(["GET", "POST"])
def commitment_create(request: HttpRequest, actor: Actor | None,
                      area_programme_id: uuid.UUID) -> HttpResponse:
    editor = _editor(actor)
    programme = _programme(area_programme_id)
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programmes.commitment_create(
                actor=editor, programme=programme, party_kind=data["party_kind"],
                party_name=data["party_name"], what=data["what"], indicator=data["indicator"],
                due_on=data["due_on"], status=data["status"], evidence=data["evidence"],
                evidence_url=data["evidence_url"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Forpliktelsen er registrert."))
            return redirect("web:analytics_programme", area_programme_id=programme.pk)
    return render(request, "web/analytics/programmes/commitment_form.html",
                  {"form": form, "programme": programme})


@actor_required()
@require_http_methods(["GET", "POST"])
def commitment_detail(request: HttpRequest, actor: Actor | None,
                      commitment_id: uuid.UUID) -> HttpResponse:
    try:
        commitment = programmes.commitment_get(commitment_id=commitment_id)
    except NotFound:
        raise Http404 from None
    may_edit = programmes.may_edit(actor)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    form = None
    if may_edit:
        form = CommitmentUpdateForm(request.POST or None, initial={
            "status": commitment.status, "due_on": commitment.due_on,
            "evidence": commitment.evidence, "evidence_url": commitment.evidence_url})
        if request.method == "POST" and form.is_valid() and actor is not None:
            data = form.cleaned_data
            try:
                programmes.commitment_update(
                    actor=actor, commitment=commitment, status=data["status"],
                    due_on=data["due_on"], evidence=data["evidence"],
                    evidence_url=data["evidence_url"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Forpliktelsen er oppdatert."))
                return redirect("web:analytics_commitment", commitment_id=commitment.pk)
    today = clock.today()
    return render(request, "web/analytics/programmes/commitment.html", {
        "commitment": commitment, "form": form,
        "overdue": programmes.is_overdue(commitment, today),
        "days_overdue": (today - commitment.due_on).days,
        "history": programmes.commitment_history(commitment=commitment)})


# --- development plans and their checklists ------------------------------------------------------

@actor_required()
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, actor: Actor | None,
                area_programme_id: uuid.UUID) -> HttpResponse:
    editor = _editor(actor)
    programme = _programme(area_programme_id)
    form = PlanForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = programmes.plan_create(
                actor=editor, programme=programme, district=data["district"],
                subdistrict=data["subdistrict"], name=data["name"], plan_id=data["plan_id"],
                developer=data["developer"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Planen er registrert med sjekklisten."))
            return redirect("web:analytics_devplan", devplan_id=plan.pk)
    return render(request, "web/analytics/programmes/plan_form.html",
                  {"form": form, "programme": programme})


@actor_required()
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, actor: Actor | None, devplan_id: uuid.UUID) -> HttpResponse:
    try:
        plan = programmes.plan_get(plan_id=devplan_id)
    except NotFound:
        raise Http404 from None
    may_edit = programmes.may_edit(actor)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    items = programmes.checklist(plan=plan)
    form = None
    if may_edit:
        form = ChecklistForm(request.POST or None,
                             initial_items={i.topic: (i.status, i.comment) for i in items})
        if request.method == "POST" and form.is_valid() and actor is not None:
            try:
                changed = programmes.checklist_update(actor=actor, plan=plan,
                                                      items=form.items())
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Sjekklisten er lagret (%(n)s endret).")
                                 % {"n": changed})
                return redirect("web:analytics_devplan", devplan_id=plan.pk)
    return render(request, "web/analytics/programmes/plan.html",
                  {"plan": plan, "items": items, "form": form})
