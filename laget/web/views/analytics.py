"""Pages of the area analytics (/omrader/): the list of indicators, an indicator's table, map and
time series with its XLSX export, and a bydel's fact sheet.

Everything here comes from `laget.analytics.publish` — aggregates with small numbers suppressed,
no personal data — so every logged-in user may read it and no audit event is written."""


from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from laget.accounts.access import Actor, actor_required
from laget.analytics import publish
from laget.analytics.indicators import SUPPRESSED_COUNTS
from laget.analytics.models import Indicator, Level
from laget.areas.models import District, DistrictKind
from laget.areas.selectors import district_get
from laget.core import clock
from laget.core.dbrouter import reads_from_replica
from laget.core.errors import NotFound
from laget.web import charts
from laget.web.services.analytics_export import (
    XLSX_CONTENT_TYPE,
    fact_sheet_xlsx,
    indicator_xlsx,
)


def _indicator(key: str) -> Indicator:
    try:
        return publish.indicator_get(key=key)
    except NotFound:
        raise Http404 from None


def _year(request: HttpRequest, indicator: Indicator) -> tuple[int | None, list[int]]:
    """The year asked for (?ar=), if the indicator has figures for it; else the latest."""
    available = publish.years(indicator)
    try:
        asked = int(request.GET.get("ar", ""))
    except ValueError:
        asked = None
    if asked in available:
        return asked, available
    return (available[0] if available else None), available


def _series(table: publish.Table, code: str | None, title: str) -> dict:
    cells = dict(zip(table.periods, next(
        (cells for area, cells in table.rows() if (area.code if area else None) == code),
        []), strict=False))
    return charts.line_chart(
        [{"period": label, "value": cells[period].value if period in cells else None,
          "shown": cells[period].display if period in cells else ""}
         for period, label in zip(table.periods, table.period_labels, strict=True)],
        "period", "value", x_title=_("Periode"), y_title=title,
        note=_("Skjulte tall («<5», «skjult») er tomme i linjen."))


def _map(table: publish.Table, title: str) -> dict | None:
    if table.indicator.level not in (Level.BYDEL, Level.DELBYDEL) or not table.periods:
        return None
    column = None if table.totals else table.periods[-1]
    rows = publish.map_rows(table, column)
    if not any(row["value"] is not None for row in rows):
        return None
    return charts.choropleth(rows, publish.boundaries(table.indicator.level), value="value",
                             value_title=title, name_title=table.indicator.get_level_display())


@actor_required()
@reads_from_replica
def index(request: HttpRequest, actor: Actor | None) -> HttpResponse:
    districts = District.objects.filter(kind=DistrictKind.BYDEL).order_by("code")
    return render(request, "web/analytics/index.html", {
        "indicators": [(i, publish.name(i)) for i in publish.indicator_list()],
        "districts": districts})


@actor_required()
@reads_from_replica
def indicator(request: HttpRequest, actor: Actor | None, key: str) -> HttpResponse:
    item = _indicator(key)
    year, available = _year(request, item)
    table = publish.table(indicator=item, year=year)
    title = publish.name(item)
    return render(request, "web/analytics/indicator.html", {
        "indicator": item, "title": title, "table": table, "year": year,
        "years": available if item.key in SUPPRESSED_COUNTS else [],
        "map": _map(table, title),
        "series": _series(table, None, title) if table.totals and table.periods else None,
    })


@actor_required()
@reads_from_replica
def indicator_export(request: HttpRequest, actor: Actor | None, key: str) -> HttpResponse:
    item = _indicator(key)
    year, _available = _year(request, item)
    table = publish.table(indicator=item, year=year)
    name = f"indikator-{item.key}{f'-{year}' if table.totals and year else ''}.xlsx"
    return HttpResponse(indicator_xlsx(table), content_type=XLSX_CONTENT_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def _fact_sheet(request: HttpRequest,
                code: str) -> tuple[District, int, list[publish.FactSheetItem]]:
    try:
        place = district_get(code=code)
    except NotFound:
        raise Http404 from None
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        year = clock.today().year
    return place, year, publish.fact_sheet(district=place, year=year)


@actor_required()
@reads_from_replica
def district(request: HttpRequest, actor: Actor | None, code: str) -> HttpResponse:
    place, year, items = _fact_sheet(request, code)
    series = []
    for item in items:
        if item.table.totals and item.indicator.level == Level.BYDEL:
            title = publish.name(item.indicator)
            series.append((_series(item.table, place.code, title), title))
    return render(request, "web/analytics/district.html", {
        "district": place, "year": year, "items": [
            (item, publish.name(item.indicator)) for item in items],
        "series": series})


@actor_required()
@reads_from_replica
def district_export(request: HttpRequest, actor: Actor | None, code: str) -> HttpResponse:
    """The fact sheet as XLSX: aggregates only, like the page (no audit event)."""
    place, year, items = _fact_sheet(request, code)
    name = f"bydel-{place.code}-{year}.xlsx"
    return HttpResponse(fact_sheet_xlsx(items), content_type=XLSX_CONTENT_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
