"""Pages of the evaluation of measures (/omrader/evaluering/) and a bydel's printable profile
(/omrader/bydel/<code>/pdf/).

The evaluation (laget.analytics.evaluation) is aggregates with small counts suppressed, for those
who follow up the measures: analysts and leaders (others 403). Its export for researchers (CSV
or XLSX, de-identified and suppressed) asks for the password and code again when the last proof
is old (`recent_auth_required`) and is audited; it is the analysts'. The profile prints the
published figures of the fact sheet, which every logged-in user may read."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from laget.accounts.access import Actor, actor_required
from laget.accounts.freshness import recent_auth_required
from laget.accounts.models import Role
from laget.analytics import evaluation, profile
from laget.areas.selectors import district_get
from laget.core import clock
from laget.core.dbrouter import reads_from_replica
from laget.core.errors import NotFound
from laget.web import charts
from laget.web.services.district_profile import district_profile_pdf
from laget.web.services.evaluation_export import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    evaluation_export,
)

EVALUATION_ROLES = frozenset({Role.ANALYST, Role.LEADER})
EXPORT_ROLES = frozenset({Role.ANALYST})
#: ?kull= values
PERIOD_PARAMETER = {"maned": evaluation.MONTH, "kvartal": evaluation.QUARTER}


def _measure(key: str) -> evaluation.Measure:
    try:
        return evaluation.measure_get(key=key)
    except NotFound:
        raise Http404 from None


def _kind(request: HttpRequest) -> str:
    return PERIOD_PARAMETER.get(request.GET.get("kull", ""), evaluation.QUARTER)


def _chart(rows: list[evaluation.Row], title: str) -> dict:
    points = []
    for row in rows:
        for h in evaluation.HORIZONS:
            rate = row.rates.get(h)
            if rate is None:
                continue
            drawn = rate.shown and None not in (rate.rate, rate.low, rate.high)
            points.append({
                "label": row.label, "series": _("%(h)s måneder") % {"h": h},
                **{key: round(100 * float(getattr(rate, key) or 0), 1) if drawn else None
                   for key in ("rate", "low", "high")},
                "shown": rate.display})
    return charts.interval_chart(
        points, x_title=title, y_title=_("Andel med utfallet (%)"),
        series_title=_("Oppfølging"),
        note=_("Streken er 95 % konfidensintervall (Wilson). Skjulte andeler er ikke tegnet."))


@actor_required(EVALUATION_ROLES)
@require_GET
@reads_from_replica
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "web/analytics/evaluation/index.html",
                  {"measures": evaluation.MEASURES})


@actor_required(EVALUATION_ROLES)
@require_GET
@reads_from_replica
def measure(request: HttpRequest, actor: Actor, key: str) -> HttpResponse:
    item = _measure(key)
    kind = _kind(request)
    table = evaluation.evaluation_table(item, kind=kind)
    shown = [row for row in table.cohorts if row.rates]
    return render(request, "web/analytics/evaluation/measure.html", {
        "measure": item, "table": table, "horizons": evaluation.HORIZONS,
        "cohort_rows": [*table.cohorts, table.cohort_total],
        "district_rows": [*table.districts, table.district_total],
        "kull": "maned" if kind == evaluation.MONTH else "kvartal",
        "cohort_chart": _chart(shown, _("Kull")) if shown else None,
        "district_chart": (_chart(table.districts, _("Bydel"))
                           if table.window and any(r.rates for r in table.districts) else None),
        "may_export": actor.role in EXPORT_ROLES,
    })


@actor_required(EXPORT_ROLES)
@require_GET
@recent_auth_required
@reads_from_replica
def export(request: HttpRequest, actor: Actor, key: str, fmt: str) -> HttpResponse:
    item = _measure(key)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    kind = _kind(request)
    table = evaluation.evaluation_table(item, kind=kind)
    content = evaluation_export(actor=actor, table=table, fmt=fmt)
    name = f"evaluering-{item.key}-{'maned' if kind == evaluation.MONTH else 'kvartal'}.{fmt}"
    return HttpResponse(content, content_type=CSV_CONTENT_TYPE if fmt == "csv"
                        else XLSX_CONTENT_TYPE, headers={
                            "Content-Disposition": f'attachment; filename="{name}"',
                            "Cache-Control": "private, no-store"})


@actor_required()
@require_GET
@reads_from_replica
def district_pdf(request: HttpRequest, actor: Actor | None, code: str) -> HttpResponse:
    try:
        place = district_get(code=code)
    except NotFound:
        raise Http404 from None
    year = profile.profile_year(request.GET.get("ar"), today=clock.today())
    pdf = district_profile_pdf(profile=profile.district_profile(district=place, year=year))
    return HttpResponse(pdf, content_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="bydelsprofil-{place.code}-{year}.pdf"',
        "Cache-Control": "private, no-store"})
