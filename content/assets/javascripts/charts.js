/* Draws every chart of a page with vega-embed.
 *
 * A chart is a <figure class="icc-chart"> holding an empty .icc-chart__view and its
 * Vega-Lite spec in a <script type="application/json" class="icc-chart__spec">.
 * Charts are (re)drawn after every page load, including Material's instant navigation
 * (document$), when the colour palette changes, and when a closed <details> holding
 * a chart is opened (a hidden chart has no width to draw in).
 * Text colours are read from the theme's CSS variables, so any palette, custom ones
 * included, gets readable axes and legends.
 */
(function () {
  "use strict";

  var views = new WeakMap();

  function themeConfig() {
    var style = getComputedStyle(document.body);
    var fg = style.getPropertyValue("--md-default-fg-color").trim() || "#000000de";
    var fgLight = style.getPropertyValue("--md-default-fg-color--light").trim() || "#0000008a";
    var grid = style.getPropertyValue("--md-default-fg-color--lightest").trim() || "#00000012";
    var font = style.getPropertyValue("font-family") || "sans-serif";
    return {
      background: null,
      font: font,
      view: { stroke: null },
      axis: {
        labelColor: fg, titleColor: fg, gridColor: grid, domainColor: fgLight, tickColor: fgLight,
        labelFontSize: 12, titleFontSize: 12, titleFontWeight: "normal"
      },
      legend: { labelColor: fg, titleColor: fg, labelFontSize: 12 },
      text: { color: fg, fontSize: 12 },
      title: { color: fg }
    };
  }

  function draw(figure) {
    var target = figure.querySelector(".icc-chart__view");
    var source = figure.querySelector("script.icc-chart__spec");
    if (!target || !source || typeof window.vegaEmbed !== "function") { return; }
    if (target.clientWidth === 0) { return; }  /* hidden: drawn when it becomes visible */
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      figure.classList.add("icc-chart--failed");
      console.error("icc: a chart spec could not be read", error);
      return;
    }
    var previous = views.get(figure);
    if (previous) { previous.finalize(); }
    target.textContent = "";
    window.vegaEmbed(target, spec, {
      renderer: "svg",
      config: themeConfig(),
      actions: { export: true, source: false, compiled: false, editor: false },
      i18n: { PNG_ACTION: "Download as PNG", SVG_ACTION: "Download as SVG" }
    }).then(function (result) {
      views.set(figure, result.view);
      figure.classList.add("icc-chart--drawn");
      var svg = target.querySelector("svg");
      if (svg && spec.description) { svg.setAttribute("aria-label", spec.description); }
    }).catch(function (error) {
      figure.classList.add("icc-chart--failed");
      console.error("icc: a chart could not be drawn", error);
    });
  }

  function drawAll() {
    document.querySelectorAll("figure.icc-chart").forEach(draw);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(drawAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }

  new MutationObserver(drawAll).observe(document.body, {
    attributes: true, attributeFilter: ["data-md-color-scheme", "data-md-color-primary"]
  });

  document.addEventListener("toggle", function (event) {
    if (event.target.open) { event.target.querySelectorAll("figure.icc-chart").forEach(draw); }
  }, true);
})();
