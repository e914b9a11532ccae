"""The chart spec builders (`laget.web.charts`) and the `{% vega_chart %}` tags: valid Vega-Lite
top levels, data inline and nothing fetched from anywhere, the fallback table carrying the same
numbers, and the vendored scripts the tags load. The drawing itself is tested in Chromium
(tests/browser/test_charts.py)."""

import json
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.utils import translation

from laget.web.charts import (
    CATEGORY_COLOURS,
    bar_chart,
    horizontal_timeline,
    line_chart,
    table_of,
)

# The properties a single-view or layered Vega-Lite spec may have at its top level
# (TopLevelUnitSpec / TopLevelLayerSpec in vega-lite's schema).
VEGA_LITE_TOP_LEVEL = {
    "$schema", "autosize", "background", "config", "data", "datasets", "description",
    "encoding", "height", "layer", "mark", "name", "padding", "params", "projection",
    "resolve", "title", "transform", "usermeta", "view", "width",
}
VEGA_ASSETS = [
    "vendor/vega/vega.min.js",
    "vendor/vega/vega-interpreter.js",
    "vendor/vega/vega-lite.min.js",
    "vendor/vega/vega-embed.min.js",
    "laget/charts.js",
]

TIMELINE_ROWS = [
    {"label": "Sak A", "stage": "Registrert", "start": 0, "end": 3},
    {"label": "Sak A", "stage": "Påtalevedtak", "start": 3, "end": Decimal("20.5")},
    {"label": "Sak B", "stage": "Registrert", "start": 0, "end": 6.0},
]
BAR_ROWS = [{"bydel": "Alna", "unge": 9000}, {"bydel": "Bjerke", "unge": 7123}]


@pytest.fixture(autouse=True)
def bokmal():
    with translation.override("nb"):
        yield


def specs() -> list[dict[str, Any]]:
    return [
        horizontal_timeline(TIMELINE_ROWS, target=42),
        horizontal_timeline(TIMELINE_ROWS),
        bar_chart(BAR_ROWS, x="unge", y="bydel", x_title="Unge", y_title="Bydel"),
    ]


def walk(node: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every (path, value) in a JSON tree, keys included as values of their own."""
    found: list[tuple[str, Any]] = [(path, node)]
    if isinstance(node, dict):
        for key, value in node.items():
            found.append((f"{path}.{key}#key", key))
            found += walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += walk(value, f"{path}[{i}]")
    return found


@pytest.mark.parametrize("spec", specs(), ids=["timeline-target", "timeline", "bars"])
def test_specs_are_plain_json_vega_lite_with_inline_data_and_no_urls(spec):
    assert set(spec) <= VEGA_LITE_TOP_LEVEL, set(spec) - VEGA_LITE_TOP_LEVEL
    assert "$schema" not in spec  # a URL; charts.js names the mode instead
    assert spec["width"] == "container" and isinstance(spec["height"], int)
    assert isinstance(spec["data"]["values"], list) and spec["data"]["values"]
    assert "mark" in spec or all("mark" in layer for layer in spec["layer"])
    # Round-trips as strict JSON (no NaN, no dates, no Decimals, no lazy strings).
    assert json.loads(json.dumps(spec, allow_nan=False)) == spec
    for path, value in walk(spec):
        if path.endswith("#key"):
            assert value not in {"url", "href", "image"}, path
            continue
        if isinstance(value, dict) and "data" in value and value is not spec:
            assert set(value["data"]) == {"values"}, path  # a layer's own data is inline too
        if isinstance(value, str):
            assert "://" not in value and not value.startswith("//"), (path, value)


def test_timeline_keeps_rows_and_stage_order_and_draws_the_target():
    spec = horizontal_timeline(TIMELINE_ROWS, target=42)
    assert spec["data"]["values"] == [
        {"label": "Sak A", "stage": "Registrert", "start": 0, "end": 3, "days": 3},
        {"label": "Sak A", "stage": "Påtalevedtak", "start": 3, "end": 20.5, "days": 17.5},
        {"label": "Sak B", "stage": "Registrert", "start": 0, "end": 6, "days": 6},
    ]
    assert spec["height"] == 2 * 32  # two cases
    bars, rule, label = spec["layer"]
    assert bars["encoding"]["y"]["sort"] is None and bars["encoding"]["color"]["sort"] is None
    assert (bars["encoding"]["x"]["field"], bars["encoding"]["x2"]["field"]) == ("start", "end")
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["x"] == {"datum": 42}
    assert rule["data"] == {"values": [{}]}  # drawn once, not once per row
    assert label["encoding"]["text"] == {"value": "Mål: 42 dager"}
    assert table_of(spec)["note"] == "Mål: 42 dager"
    assert len(horizontal_timeline(TIMELINE_ROWS)["layer"]) == 1


def test_bar_chart_puts_categories_down_the_side_with_numbers_at_the_bars():
    spec = bar_chart(BAR_ROWS, x="unge", y="bydel", x_title="Unge", y_title="Bydel")
    assert spec["encoding"]["y"]["field"] == "bydel" and spec["encoding"]["y"]["type"] == "nominal"
    assert spec["encoding"]["x"] == {"field": "unge", "type": "quantitative", "title": "Unge"}
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "text"]
    assert spec["data"]["values"] == [{"bydel": "Alna", "unge": 9000},
                                      {"bydel": "Bjerke", "unge": 7123}]


def test_the_fallback_table_has_the_same_numbers():
    spec = horizontal_timeline(TIMELINE_ROWS, target=42)
    table = table_of(spec)
    assert [c["title"] for c in table["columns"]] == [
        "Sak", "Fase", "Fra dag", "Til dag", "Antall dager"]
    assert [[cell["value"] for cell in row] for row in table["rows"]] == [
        [v["label"], v["stage"], v["start"], v["end"], v["days"]]
        for v in spec["data"]["values"]
    ]
    assert [cell["numeric"] for cell in table["rows"][0]] == [False, False, True, True, True]
    with pytest.raises(ValueError, match="no table columns"):
        table_of({"data": {"values": []}})


def test_oslo_colours_and_the_number_format_follow_the_language():
    spec = bar_chart(BAR_ROWS, x="unge", y="bydel")
    config = spec["config"]
    assert config["range"]["category"] == CATEGORY_COLOURS
    assert all(re.fullmatch(r"#[0-9a-f]{6}", colour) for colour in CATEGORY_COLOURS)
    assert "Oslo Sans" in config["font"]
    assert config["locale"]["number"]["decimal"] == ","
    with translation.override("en"):
        english = horizontal_timeline(TIMELINE_ROWS, target=42.5)
    assert "locale" not in english["config"]
    assert "42.5" in english["layer"][2]["encoding"]["text"]["value"]
    assert horizontal_timeline(TIMELINE_ROWS, target=42.5)["layer"][2]["encoding"]["text"] == {
        "value": "Mål: 42,5 dager"}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"start": 5, "end": 4}, "ends before it starts"),
        ({"start": "0", "end": 4}, "start must be a number"),
        ({"start": 0, "end": True}, "end must be a number"),
        ({"start": 0, "end": math.nan}, "end must be finite"),
        ({"start": 0, "end": math.inf}, "end must be finite"),
    ],
)
def test_timeline_refuses_rows_that_are_not_stages(row, message):
    with pytest.raises(ValueError, match=message):
        horizontal_timeline([{"label": "Sak A", "stage": "Registrert", **row}])


def render(source: str, **context: Any) -> str:
    return Template("{% load laget_charts %}" + source).render(Context(context))


def test_the_tag_renders_the_spec_as_json_and_the_table_beside_it():
    spec = bar_chart(
        [{"bydel": "</script><b>Alna</b>", "unge": 9000}], x="unge", y="bydel", y_title="Bydel"
    )
    html = render('{% vega_chart spec "Unge per bydel" %}', spec=spec)
    assert "</script><b>" not in html and "<b>Alna" not in html  # escaped in JSON and table
    (payload,) = re.findall(r'<script type="application/json">(.*?)</script>', html, re.S)
    assert json.loads(payload) == spec
    (chart_id,) = re.findall(r'<figcaption class="laget-chart__caption" id="([^"]+)">', html)
    assert f'aria-labelledby="{chart_id}"' in html
    assert '<div class="laget-chart__canvas" aria-hidden="true"></div>' in html
    assert '<th scope="row" class="pkt-table__data-cell">&lt;/script&gt;&lt;b&gt;Alna' in html
    assert '<td class="pkt-table__data-cell laget-num">9000</td>' in html
    assert "<script src" not in html  # the scripts come once per page, from the other tag
    other = render('{% vega_chart spec "Igjen" %}', spec=spec)
    assert re.findall(r'id="(diagram-[^"]+)"', other) != [chart_id]


def test_the_assets_tag_loads_the_vendored_scripts_in_order_with_the_nonce():
    html = render("{% vega_chart_assets %}", csp_nonce="n0nce")
    sources = re.findall(r'<script src="/static/([^"]+)" nonce="n0nce" defer></script>', html)
    assert sources == VEGA_ASSETS
    assert 'href="/static/laget/charts.css"' in html
    for asset in [*VEGA_ASSETS, "laget/charts.css"]:
        assert finders.find(asset), f"{asset} is not a static file; run scripts/vendor-assets.sh"


def test_the_vega_packages_are_pinned_with_their_licences():
    versions_file = Path(finders.find("vendor/VERSIONS.json"))
    packages = {p["package"]: p for p in json.loads(versions_file.read_text())["packages"]}
    for name in ["vega", "vega-lite", "vega-embed", "vega-interpreter"]:
        assert packages[name]["license"] == "BSD-3-Clause"
        assert re.fullmatch(r"\d+\.\d+\.\d+", packages[name]["version"])
        assert packages[name]["integrity"].startswith("sha512-")
        assert any(f["path"] == f"vega/LICENSE.{name}" for f in packages[name]["files"])
    interpreter = finders.find("vendor/vega/vega-interpreter.js")
    text = Path(interpreter).read_text()
    assert "vega.expressionInterpreter = expression;" in text
    assert not re.search(r"^(import|export) ", text, re.M)  # a classic script, not a module


def test_a_line_chart_leaves_a_gap_where_the_table_says_why():
    spec = line_chart([{"period": "jan 2026", "value": 7, "shown": "7"},
                       {"period": "feb 2026", "value": None, "shown": "<5"},
                       {"period": "mar 2026", "value": None}],
                      "period", "value", x_title="Periode", y_title="Antall")
    assert [v["value"] for v in spec["data"]["values"]] == [7, None, None]
    table = table_of(spec)
    assert [row[1]["value"] for row in table["rows"]] == [7, "<5", "–"]
    assert spec["encoding"]["y"]["field"] == "value"
