"""Vega-Lite specs for Laget's charts, as plain dicts a view hands to `{% vega_chart %}`.

A chart only repeats what a table beside it says (`web/includes/chart.html` renders that table
from the same rows), so every spec carries its data inline — never a URL: the page's CSP allows
nothing but 'self', and the numbers must be the ones the server decided to show. The table's
columns travel in the spec's `usermeta`, which Vega-Lite passes through without drawing it.

Builders are called while a request's language is active: titles go through gettext, and the
number format follows the language (bokmål: decimal comma, non-breaking space between
thousands).
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Oslo kommune's brand colours as Punkt defines them (--pkt-color-brand-*-1000).
OSLO_DARK_BLUE = "#2a2859"
OSLO_WARM_BLUE = "#1f42aa"
OSLO_BLUE = "#6fe9ff"
OSLO_DARK_GREEN = "#034b45"
OSLO_GREEN = "#43f8b6"
OSLO_YELLOW = "#f9c66b"
OSLO_RED = "#ff8274"
OSLO_PURPLE = "#e0adff"
OSLO_DARK_BEIGE = "#d0bfae"
OSLO_TEXT = "#2c2c2c"
OSLO_GRID = "#e6e6e6"
OSLO_AXIS = "#808080"

#: Category colours in the order stages or series take them: the two dark ones first, so that a
#: chart of two or three series keeps 3:1 contrast against white; every bar also has a dark
#: outline (see `_CONFIG`), which carries the contrast for the light ones.
CATEGORY_COLOURS = [
    OSLO_WARM_BLUE,
    OSLO_DARK_GREEN,
    OSLO_YELLOW,
    OSLO_RED,
    OSLO_PURPLE,
    OSLO_BLUE,
    OSLO_GREEN,
    OSLO_DARK_BEIGE,
]

#: Row height of a horizontal chart, in pixels.
ROW_STEP = 32

_FONT = '"Oslo Sans", Arial, sans-serif'

_CONFIG: dict[str, Any] = {
    "font": _FONT,
    "background": "#ffffff",
    "view": {"stroke": None},
    "axis": {
        "labelColor": OSLO_TEXT,
        "titleColor": OSLO_TEXT,
        "labelFontSize": 14,
        "titleFontSize": 14,
        "titleFontWeight": 500,
        "gridColor": OSLO_GRID,
        "domainColor": OSLO_AXIS,
        "tickColor": OSLO_AXIS,
        "labelLimit": 240,
    },
    "legend": {
        "orient": "bottom",
        "direction": "horizontal",
        "labelColor": OSLO_TEXT,
        "titleColor": OSLO_TEXT,
        "labelFontSize": 14,
        "titleFontSize": 14,
        "titleFontWeight": 500,
        "symbolType": "square",
        "symbolStrokeColor": OSLO_DARK_BLUE,
    },
    "range": {"category": CATEGORY_COLOURS},
    "bar": {"fill": OSLO_WARM_BLUE, "stroke": OSLO_DARK_BLUE, "strokeWidth": 1},
    "text": {"color": OSLO_TEXT, "fontSize": 14},
}

# d3-format locale for Norwegian (Vega-Lite's config.locale.number).
_NUMBER_LOCALE_NB = {
    "decimal": ",",
    "thousands": "\u00a0",
    "grouping": [3],
    "currency": ["", "\u00a0kr"],
    "minus": "\u2212",
}


def horizontal_timeline(
    rows: Iterable[Mapping[str, Any]],
    *,
    target: float | None = None,
    target_label: str | None = None,
    x_title: str | None = None,
    label_title: str | None = None,
    stage_title: str | None = None,
) -> dict[str, Any]:
    """A Gantt-like chart: one line per `label` (a case), a bar per stage from `start` to `end`.

    Each row is a mapping with `label`, `stage`, `start` and `end`, the last two as days from a
    common zero (the caller turns dates into days: «dager fra registrering»). Stages keep the
    order in which they first appear, lines the order of the rows. `target` draws a dashed rule
    at that day (the deadline the stages are measured against) with `target_label` above it.
    """
    values: list[dict[str, Any]] = []
    for row in rows:
        start, end = _number(row["start"], "start"), _number(row["end"], "end")
        if end < start:
            raise ValueError(f"a stage ends before it starts: {start} > {end}")
        values.append({
            "label": str(row["label"]),
            "stage": str(row["stage"]),
            "start": start,
            "end": end,
            "days": _clean(end - start),
        })
    x_title = x_title or _("Dager")
    columns = [
        _column("label", label_title or _("Sak")),
        _column("stage", stage_title or _("Fase")),
        _column("start", _("Fra dag"), numeric=True),
        _column("end", _("Til dag"), numeric=True),
        _column("days", _("Antall dager"), numeric=True),
    ]
    bars: dict[str, Any] = {
        "mark": {"type": "bar", "cornerRadius": 0},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "title": None, "sort": None},
            "x": {"field": "start", "type": "quantitative", "title": x_title},
            "x2": {"field": "end"},
            "color": {
                "field": "stage",
                "type": "nominal",
                "title": stage_title or _("Fase"),
                "sort": None,
            },
        },
    }
    layers: list[dict[str, Any]] = [bars]
    note = None
    if target is not None:
        target = _number(target, "target")
        label = target_label or _("Mål: %(days)s dager") % {"days": _format_number(target)}
        note = label
        layers += _target_layers(target, label)
    spec = _spec(values, columns, note=note)
    spec.update({"height": _height(value["label"] for value in values), "layer": layers})
    return spec


def bar_chart(
    rows: Iterable[Mapping[str, Any]],
    x: str,
    y: str,
    *,
    x_title: str | None = None,
    y_title: str | None = None,
) -> dict[str, Any]:
    """A horizontal bar chart: a bar per row, `y` (a category) down the side and `x` (a number)
    along. Rows keep their order; each bar has its number at its end, so the chart can be read
    without hovering (there are no tooltips)."""
    values: list[dict[str, Any]] = []
    for row in rows:
        values.append({y: str(row[y]), x: _number(row[x], x)})
    columns = [_column(y, y_title or y), _column(x, x_title or x, numeric=True)]
    # The categories name themselves; the caption and the table's heading say what they are.
    y_encoding = {"field": y, "type": "nominal", "title": None, "sort": None}
    spec = _spec(values, columns)
    spec.update({
        "height": _height(value[y] for value in values),
        "encoding": {
            "y": y_encoding,
            "x": {"field": x, "type": "quantitative", "title": x_title or x},
        },
        "layer": [
            {"mark": {"type": "bar"}},
            {
                "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 4},
                "encoding": {"text": {"field": x, "type": "quantitative", "format": ",~f"}},
            },
        ],
    })
    return spec


def choropleth(
    rows: Iterable[Mapping[str, Any]],
    boundaries: Mapping[str, Mapping[str, Any]],
    *,
    value: str,
    value_title: str,
    name_title: str,
    key: str = "code",
    name: str = "name",
) -> dict[str, Any]:
    """A map of areas shaded by a number: each row (`key`, `name`, `value`) drawn as the GeoJSON
    geometry `boundaries[row[key]]`, darker for more. The table beside it holds `name` and `value`
    only (the geometry travels in the data but is no column). A row without a number (None) or
    without a boundary is left off the map and shows as empty in the table."""
    values: list[dict[str, Any]] = []
    for row in rows:
        number = row.get(value)
        values.append({
            key: str(row[key]), name: str(row[name]),
            value: None if number is None else _number(number, value),
            "type": "Feature", "geometry": boundaries.get(str(row[key])),
        })
    columns = [_column(name, name_title), _column(value, value_title, numeric=True)]
    spec = _spec(values, columns)
    spec.update({
        "height": 420,
        "projection": {"type": "mercator"},
        "transform": [{"filter": "datum.geometry != null"}],
        "layer": [
            {"mark": {"type": "geoshape", "stroke": OSLO_DARK_BLUE, "strokeWidth": 1},
             "encoding": {"color": {
                 "field": value, "type": "quantitative", "title": value_title,
                 "scale": {"range": ["#f1f1f5", OSLO_WARM_BLUE]}}}},
        ],
    })
    return spec


def line_chart(
    rows: Iterable[Mapping[str, Any]],
    x: str,
    y: str,
    *,
    x_title: str,
    y_title: str,
    note: str | None = None,
) -> dict[str, Any]:
    """A time series: `x` a period label in order ("jan 2026"), `y` a number or None where no
    figure is shown — a gap in the line, and in the table the row's `shown` text («<5»,
    «skjult») or «–». Points are marked, so that a single figure between gaps still shows."""
    values: list[dict[str, Any]] = []
    in_table = f"{y}_shown"
    for row in rows:
        number = row.get(y)
        value = None if number is None else _number(number, y)
        values.append({x: str(row[x]), y: value,
                       in_table: value if value is not None else (row.get("shown") or "–")})
    columns = [_column(x, x_title), _column(in_table, y_title, numeric=True)]
    spec = _spec(values, columns, note=note)
    spec.update({
        "height": 280,
        "mark": {"type": "line", "point": True, "color": OSLO_WARM_BLUE, "strokeWidth": 2},
        "encoding": {
            "x": {"field": x, "type": "ordinal", "title": x_title, "sort": None},
            "y": {"field": y, "type": "quantitative", "title": y_title},
        },
    })
    return spec


def interval_chart(
    rows: Iterable[Mapping[str, Any]],
    *,
    x_title: str,
    y_title: str,
    series_title: str,
    note: str | None = None,
) -> dict[str, Any]:
    """Shares with their confidence intervals: a point per row at `rate` (0–100) over the
    category `label`, an error bar from `low` to `high`, one colour per `series` (e.g. «3
    måneder»). A row whose `rate` is None (a hidden figure) is in the table with its `shown`
    text and not drawn."""
    values: list[dict[str, Any]] = []
    for row in rows:
        numbers = {key: None if row.get(key) is None else _number(row[key], key)
                   for key in ("rate", "low", "high")}
        if numbers["rate"] is not None and not (
                numbers["low"] <= numbers["rate"] <= numbers["high"]):
            raise ValueError("the interval must contain the rate")
        values.append({"label": str(row["label"]), "series": str(row["series"]), **numbers,
                       "shown": numbers["rate"] if numbers["rate"] is not None
                       else (row.get("shown") or "–")})
    columns = [_column("label", x_title), _column("series", series_title),
               _column("shown", y_title, numeric=True),
               _column("low", _("Nedre grense (95 %)"), numeric=True),
               _column("high", _("Øvre grense (95 %)"), numeric=True)]
    spec = _spec(values, columns, note=note)
    x = {"field": "label", "type": "ordinal", "title": x_title, "sort": None}
    colour = {"field": "series", "type": "nominal", "title": series_title, "sort": None}
    offset = {"field": "series", "sort": None}
    spec.update({
        "height": 300,
        "transform": [{"filter": "datum.rate != null"}],
        "layer": [
            {"mark": {"type": "rule", "strokeWidth": 2},
             "encoding": {"x": x, "xOffset": offset, "color": colour,
                          "y": {"field": "low", "type": "quantitative", "title": y_title,
                                "scale": {"domain": [0, 100]}},
                          "y2": {"field": "high"}}},
            {"mark": {"type": "point", "filled": True, "size": 60,
                      "stroke": OSLO_DARK_BLUE},
             "encoding": {"x": x, "xOffset": offset, "color": colour,
                          "y": {"field": "rate", "type": "quantitative"}}},
        ],
    })
    return spec


def table_of(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The fallback table of a spec these builders made: its column headings, its rows (each
    a list of cells `{value, numeric}` in column order) and the note under it."""
    meta = spec.get("usermeta", {}).get("laget", {})
    columns = meta.get("columns")
    if not columns:
        raise ValueError("the spec has no table columns (usermeta.laget.columns)")
    values = spec.get("data", {}).get("values", [])
    return {
        "columns": columns,
        "rows": [
            [{"value": row.get(column["field"]), "numeric": column["numeric"]}
             for column in columns]
            for row in values
        ],
        "note": meta.get("note"),
    }


def _spec(
    values: Sequence[Mapping[str, Any]], columns: list[dict[str, Any]], *, note: str | None = None
) -> dict[str, Any]:
    config = {**_CONFIG}
    if _is_norwegian():
        config["locale"] = {"number": _NUMBER_LOCALE_NB}
    return {
        "width": "container",
        "data": {"values": list(values)},
        "config": config,
        "usermeta": {"laget": {"columns": columns, "note": note}},
    }


def _target_layers(target: float, label: str) -> list[dict[str, Any]]:
    # A layer of its own data with one row, so that the rule and its label are drawn once.
    one: dict[str, Any] = {"values": [{}]}
    return [
        {
            "data": one,
            "mark": {
                "type": "rule",
                "color": OSLO_DARK_BLUE,
                "strokeWidth": 2,
                "strokeDash": [6, 4],
            },
            "encoding": {"x": {"datum": target}},
        },
        {
            "data": one,
            "mark": {
                "type": "text",
                "align": "center",
                "baseline": "bottom",
                "dy": -4,
                "fontWeight": 500,
                "color": OSLO_DARK_BLUE,
            },
            "encoding": {"x": {"datum": target}, "y": {"value": 0}, "text": {"value": label}},
        },
    ]


def _height(categories: Iterable[str]) -> int:
    """ROW_STEP per line. Not Vega-Lite's {"step": …}: with the width fitted to the container
    that makes Vega-Lite warn on every chart."""
    return ROW_STEP * max(1, len(set(categories)))


def _column(field: str, title: str, *, numeric: bool = False) -> dict[str, Any]:
    return {"field": field, "title": str(title), "numeric": numeric}


def _number(value: Any, name: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{name} must be a number, not {type(value).__name__}")
    number = float(value) if isinstance(value, Decimal) else value
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite")
    return _clean(number)


def _clean(number: int | float) -> int | float:
    """1.0 → 1, so that the table shows «1» where the data had whole days."""
    if isinstance(number, float) and number.is_integer():
        return int(number)
    return number


def _format_number(number: int | float) -> str:
    text = str(number)
    return text.replace(".", ",") if _is_norwegian() else text


def _is_norwegian() -> bool:
    return (get_language() or "nb").split("-")[0] in {"nb", "nn", "no"}

