/* Draws the Vega-Lite charts that {% vega_chart %} put on the page
 * (laget/web/templatetags/laget_charts.py); {% vega_chart_assets %} loads this file after the
 * vendored vega, vega-interpreter, vega-lite and vega-embed.
 *
 * Each <figure data-laget-chart> holds the spec in a <script type="application/json"> and a
 * table with the same numbers, which stays the accessible content: the drawing is aria-hidden,
 * and if it fails the table is all there is.
 *
 * The CSP has no 'unsafe-eval', so Vega must not compile expressions with new Function: the
 * parser keeps the expressions' syntax trees (ast: true) and vega-interpreter evaluates them.
 * vega-embed's default style and the tooltip handler would each add a <style> element, which
 * style-src 'self' refuses, so both are off (the numbers are printed on the chart and in the
 * table instead of in tooltips).
 */
(function () {
  "use strict";

  var STATE = "lagetChartState"; // data-laget-chart-state: rendering, rendered or failed

  function options() {
    return {
      mode: "vega-lite",
      renderer: "svg",
      actions: false,
      tooltip: false,
      defaultStyle: false,
      ast: true,
      expr: window.vega.expressionInterpreter,
    };
  }

  function draw(figure) {
    if (figure.dataset[STATE]) return;
    var canvas = figure.querySelector(".laget-chart__canvas");
    var source = figure.querySelector('script[type="application/json"]');
    if (!canvas || !source) return;
    figure.dataset[STATE] = "rendering";
    var fail = function (error) {
      figure.dataset[STATE] = "failed";
      canvas.hidden = true;
      console.error("laget chart not drawn:", error);
    };
    if (!window.vegaEmbed || !window.vega || !window.vega.expressionInterpreter) {
      fail(new Error("vega, vega-interpreter or vega-embed is not loaded"));
      return;
    }
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      fail(error);
      return;
    }
    window.vegaEmbed(canvas, spec, options()).then(function (result) {
      figure.dataset[STATE] = "rendered";
      figure.lagetChartView = result.view;
    }, fail);
  }

  function drawWithin(root) {
    if (root.matches && root.matches("[data-laget-chart]")) draw(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-laget-chart]").forEach(draw);
  }

  // Charts that htmx swaps in; and free the views of those it swaps out.
  document.addEventListener("htmx:load", function (event) {
    drawWithin(event.detail.elt);
  });
  document.addEventListener("htmx:beforeCleanupElement", function (event) {
    var view = event.detail.elt && event.detail.elt.lagetChartView;
    if (view) view.finalize();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawWithin(document); });
  } else {
    drawWithin(document);
  }
})();
