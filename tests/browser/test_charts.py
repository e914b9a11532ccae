"""The chart component in Chromium under the app's real Content-Security-Policy: both builders'
charts draw as SVG through vega-embed with the expression interpreter, nothing breaks the CSP,
and the fallback tables carry the numbers.

No page of the app draws a chart yet, and a test page must not reach production, so this module
is its own URLconf for the test (`settings.ROOT_URLCONF`): one page that renders the include
inside the site's base template, in front of the app's own URLs (which base.html links to).
"""

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path
from playwright.sync_api import expect

from laget.urls import urlpatterns as app_urlpatterns
from laget.web.charts import bar_chart, horizontal_timeline
from tests.browser.tab import SHOTS_DIR, Tab, assert_accessible, assert_punkt_styled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = """{% extends "web/base.html" %}{% load laget_charts %}
{% block title %}Diagram{% endblock %}
{% block content %}
<h1>Diagram</h1>
{% vega_chart timeline "Saksgang i hurtigsporet" %}
{% vega_chart districts "Unge 10–24 år per bydel" %}
{% vega_chart_assets %}
{% endblock %}"""

TIMELINE_ROWS = [
    {"label": "Sak A", "stage": "Registrert", "start": 0, "end": 3},
    {"label": "Sak A", "stage": "Påtalevedtak", "start": 3, "end": 20},
    {"label": "Sak A", "stage": "Tiltak", "start": 20, "end": 38},
    {"label": "Sak B", "stage": "Registrert", "start": 0, "end": 6},
    {"label": "Sak B", "stage": "Påtalevedtak", "start": 6, "end": 49},
    {"label": "Sak C", "stage": "Registrert", "start": 0, "end": 2.5},
]
DISTRICT_ROWS = [
    {"bydel": "Gamle Oslo", "unge": 9876},
    {"bydel": "Grünerløkka", "unge": 8123},
    {"bydel": "Søndre Nordstrand", "unge": 11234},
]


def chart_page(request: HttpRequest) -> HttpResponse:
    context = {
        "timeline": horizontal_timeline(TIMELINE_ROWS, target=42),
        "districts": bar_chart(
            DISTRICT_ROWS, x="unge", y="bydel", x_title="Innbyggere 10–24 år", y_title="Bydel"
        ),
    }
    return HttpResponse(engines["django"].from_string(PAGE).render(context, request))


urlpatterns = [path("test/diagram/", chart_page), *app_urlpatterns]

# Collects CSP violations from the first moment of every document (the init script runs through
# the DevTools protocol, which the page's CSP does not govern).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sample})`);
});
"""


@pytest.fixture
def chart_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__


def test_charts_draw_as_svg_under_the_csp_with_their_tables(in_browser, chart_urls):
    def scenario(tab: Tab) -> dict[str, Any]:
        page = tab.page
        page.add_init_script(CSP_LISTENER)
        # Vega-Lite warns on the console about specs it has to correct; ours need none.
        warnings: list[str] = []
        page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
        response = tab.goto("/test/diagram/")
        assert response.status == 200
        csp = response.headers["content-security-policy"]
        assert "'unsafe-eval'" not in csp and "'unsafe-inline'" not in csp, csp

        figures = page.locator("figure[data-laget-chart]")
        expect(figures).to_have_count(2)
        for i in range(2):
            expect(figures.nth(i)).to_have_attribute("data-laget-chart-state", "rendered")
            expect(figures.nth(i).locator(".laget-chart__canvas svg")).to_be_visible()
        bars = "svg .mark-rect.role-mark path"
        expect(figures.nth(0).locator(bars)).to_have_count(len(TIMELINE_ROWS))
        expect(figures.nth(1).locator(bars)).to_have_count(len(DISTRICT_ROWS))
        # The target rule and the numbers at the bars' ends are drawn, in Norwegian format.
        expect(figures.nth(0).locator("svg .mark-rule.role-mark line")).to_have_count(1)
        expect(figures.nth(0).locator("svg")).to_contain_text("Mål: 42 dager")
        expect(figures.nth(1).locator("svg")).to_contain_text("11\u00a0234")

        # The tables: the same numbers, named by the caption; the drawing is hidden from
        # assistive technology.
        timeline = page.get_by_role("table", name="Saksgang i hurtigsporet")
        expect(timeline.locator("tbody tr")).to_have_count(len(TIMELINE_ROWS))
        expect(timeline.locator("tbody tr").nth(4)).to_contain_text("Påtalevedtak")
        expect(timeline.locator("tbody tr").nth(4).locator("td").last).to_have_text("43")
        expect(timeline.locator("tbody tr").nth(5).locator("td").last).to_have_text("2,5")
        expect(figures.nth(0)).to_contain_text("Mål: 42 dager")
        districts = page.get_by_role("table", name="Unge 10–24 år per bydel")
        expect(districts.get_by_role("row", name="Søndre Nordstrand")).to_contain_text("11234")
        for i in range(2):
            expect(figures.nth(i).locator(".laget-chart__canvas")).to_have_attribute(
                "aria-hidden", "true"
            )

        assert_punkt_styled(page)
        colours = page.evaluate(
            """() => [...document.querySelectorAll('figure svg .mark-rect.role-mark path')]
                     .map(p => p.getAttribute('fill'))"""
        )
        assert set(colours) <= {"#1f42aa", "#034b45", "#f9c66b"}, colours
        assert page.evaluate("() => window.__cspViolations") == []
        assert warnings == [], warnings
        tab.assert_no_problems("the chart page")
        assert_accessible(tab, "the chart page")

        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS_DIR / "charts.png"), full_page=True)

        # The control: without the interpreter Vega compiles expressions with new Function,
        # which this CSP refuses — so the run above really went through the interpreter. The
        # call is made from a timer: code that page.evaluate runs directly may eval (DevTools'
        # allowUnsafeEvalBlockedByCSP), code the page runs later may not.
        return page.evaluate(
            """() => new Promise((resolve) => setTimeout(() => {
                const spec = JSON.parse(
                    document.querySelector('figure script[type="application/json"]').textContent);
                const div = document.createElement('div');
                document.body.appendChild(div);
                const done = (drawn, error) => {
                    div.remove();
                    resolve({drawn, error: String(error || '')});
                };
                vegaEmbed(div, spec, {mode: 'vega-lite', renderer: 'svg', actions: false,
                                      tooltip: false, defaultStyle: false})
                    .then(() => done(true), (e) => done(false, e));
            }, 0))"""
        )

    control = in_browser(scenario)
    assert not control["drawn"], f"Vega drew without the interpreter under this CSP: {control}"
    assert control["error"].startswith("EvalError"), control
