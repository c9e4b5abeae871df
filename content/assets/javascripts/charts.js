/* Draws every chart of a page with vega-embed.
 *
 * A chart is a <figure class="icc-chart"> holding a static render (img.icc-chart__static,
 * shown without JavaScript and in print) and an empty .icc-chart__view whose data-spec
 * attribute names the chart's kind and the values that differ from that kind's template
 * ({"kind": ..., "set": [[path, value], ...]}); the templates are one shared file,
 * fetched once. (An attribute, not a <script>: instant navigation re-creates script
 * elements, and search does not index attributes.) Once drawn, the figure gets the class
 * icc-chart--drawn, which hides the static render on screen.
 * Charts are (re)drawn after every page load, including Material's instant navigation
 * (document$), when the colour palette changes, and when a closed <details> holding
 * a chart is opened (a hidden chart has no width to draw in).
 * Text colours are read from the theme's CSS variables, so any palette, custom ones
 * included, gets readable axes and legends.
 */
(function () {
  "use strict";

  var views = new WeakMap();
  /* Charts name shared data files relative to the site root; this script lives at
   * <root>/assets/javascripts/charts.js, which gives the root wherever the site is served. */
  var siteRoot = new URL("../../", document.currentScript ? document.currentScript.src : window.location.href).href;
  var templates = null;

  function loadTemplates() {
    if (!templates) {
      templates = fetch(siteRoot + "assets/charts/templates.json").then(function (response) {
        if (!response.ok) { throw new Error("chart templates: HTTP " + response.status); }
        return response.json();
      });
    }
    return templates;
  }

  function materialise(all, chart) {
    var spec = JSON.parse(JSON.stringify(all[chart.kind]));
    chart.set.forEach(function (entry) {
      var path = entry[0], node = spec;
      for (var i = 0; i < path.length - 1; i++) { node = node[path[i]]; }
      node[path[path.length - 1]] = entry[1];
    });
    return spec;
  }

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
      tick: { color: fg },
      title: { color: fg }
    };
  }

  function draw(figure) {
    var target = figure.querySelector(".icc-chart__view");
    if (!target || !target.hasAttribute("data-spec") || typeof window.vegaEmbed !== "function") { return; }
    if (target.clientWidth === 0) { return; }  /* hidden: drawn when it becomes visible */
    var chart;
    try {
      chart = JSON.parse(target.getAttribute("data-spec"));
    } catch (error) {
      figure.classList.add("icc-chart--failed");
      console.error("icc: a chart could not be read", error);
      return;
    }
    loadTemplates().then(function (all) {
      embed(figure, target, materialise(all, chart));
    }).catch(function (error) {
      figure.classList.add("icc-chart--failed");
      console.error("icc: chart templates could not be loaded", error);
    });
  }

  function embed(figure, target, spec) {
    var previous = views.get(figure);
    if (previous) { previous.finalize(); }
    while (target.firstChild) { target.removeChild(target.firstChild); }
    window.vegaEmbed(target, spec, {
      renderer: "svg",
      loader: { baseURL: siteRoot },
      config: themeConfig(),
      actions: { export: true, source: false, compiled: false, editor: false },
      i18n: { PNG_ACTION: "Download as PNG", SVG_ACTION: "Download as SVG" }
    }).then(function (result) {
      views.set(figure, result.view);
      figure.classList.add("icc-chart--drawn");
      var svg = target.querySelector("svg");
      /* the chart's text alternative: its static render's, or the figure's own */
      var image = figure.querySelector("img.icc-chart__static");
      var label = image ? image.getAttribute("alt") : figure.getAttribute("data-label");
      if (svg && label) { svg.setAttribute("aria-label", label); }
      var menu = target.querySelector("summary");
      if (menu) { menu.setAttribute("aria-label", "Download this chart"); menu.setAttribute("title", "Download this chart"); }
    }).catch(function (error) {
      figure.classList.add("icc-chart--failed");
      console.error("icc: a chart could not be drawn", error);
    });
  }

  function drawAll() {
    document.querySelectorAll("figure.icc-chart").forEach(draw);
  }

  window.icc.onEveryPage(drawAll);

  new MutationObserver(drawAll).observe(document.body, {
    attributes: true, attributeFilter: ["data-md-color-scheme", "data-md-color-primary"]
  });

  document.addEventListener("toggle", function (event) {
    if (event.target.open) { event.target.querySelectorAll("figure.icc-chart").forEach(draw); }
  }, true);
})();
