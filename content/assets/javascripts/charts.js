/* Interactive charts, drawn with vega-embed when a visitor reaches for them.
 *
 * A chart is a <figure class="icc-chart"> holding a static render (img.icc-chart__static,
 * with its width and height, so its box never changes), an empty .icc-chart__view whose
 * data-spec attribute names the chart's kind and the values that differ from that kind's
 * template ({"kind": ..., "set": [[path, value], ...]}), and a caption. The templates are
 * one shared file. (An attribute, not a <script>: instant navigation re-creates script
 * elements, and search does not index attributes.)
 *
 * Static first: the static render is what a visitor sees. The chart library
 * (assets/javascripts/vendor/vega-bundle.js, about 300 KB gzipped) and the templates are
 * fetched only when a visitor reaches for an interactive chart: the pointer resting on a
 * chart (not one scrolled past), a tap on it, its "Interactive chart" button (for the
 * keyboard), or one of the page's
 * band filters. The interactive chart is then drawn in the static one's place (the figure
 * gets the class icc-chart--drawn, which hides the static render on screen). A figure
 * without a static render (under `mkdocs serve`, which does not draw them) is drawn at once.
 *
 * A drawn chart is drawn again when the colour palette changes, or when the screen
 * switches between the wide and the narrow static renders; a wanted chart inside a
 * closed <details> is drawn when it opens (a hidden chart has no width to draw in). Text
 * colours are read from the theme's CSS variables, so any palette gets readable axes.
 * Band filters (select[data-icc-filter], see generator/snippets.py) set the charts'
 * parameters of the same name; tables.js filters the table rows.
 */
(function () {
  "use strict";

  var views = new WeakMap();
  /* Charts name shared data files relative to the site root; this script lives at
   * <root>/assets/javascripts/charts.js, which gives the root wherever the site is served. */
  var siteRoot = new URL("../../", document.currentScript ? document.currentScript.src : window.location.href).href;
  var templates = {};  /* by file: a promise of the chart templates */
  var library = null;
  /* How long a pointer rests on a chart before it counts as asking for it (milliseconds). */
  var HOVER_MS = 150;

  function loadLibrary() {
    if (typeof window.vegaEmbed === "function") { return Promise.resolve(); }
    if (!library) {
      library = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = siteRoot + "assets/javascripts/vendor/vega-bundle.js";
        script.onload = function () { resolve(); };
        script.onerror = function () {
          library = null;  /* (a later request tries again) */
          reject(new Error("the chart library could not be loaded"));
        };
        document.head.appendChild(script);
      });
    }
    return library;
  }

  /* The chart templates hold the axis titles and tooltips, so there is a file per
   * language: templates.json (English) and templates-<lang>.json, for the page's language. */
  function loadTemplates() {
    var language = (document.documentElement.lang || "en").split("-")[0];
    var file = language === "en" ? "templates.json" : "templates-" + language + ".json";
    if (!templates[file]) {
      templates[file] = fetch(siteRoot + "assets/charts/" + file).then(function (response) {
        if (!response.ok) { throw new Error("chart templates: HTTP " + response.status); }
        return response.json();
      });
      templates[file].catch(function () { delete templates[file]; });
    }
    return templates[file];
  }

  /* The shared data files a chart reads, fetched while the library loads (the chart's own
   * fetch then finds them in the browser's cache) rather than after it. */
  function prefetchData(chart) {
    chart.set.forEach(function (entry) {
      var path = entry[0], value = entry[1];
      var url = path[path.length - 1] === "url" ? value : value && typeof value === "object" ? value.url : null;
      if (typeof url === "string") {
        fetch(siteRoot + url).catch(function () { /* (the chart's own fetch reports it) */ });
      }
    });
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

  /* Whether a figure's interactive chart is to be drawn: asked for, or without a static render. */
  function wanted(figure) {
    return figure.classList.contains("icc-chart--wanted") || !figure.querySelector("img.icc-chart__static");
  }

  function want(figure) {
    if (figure.classList.contains("icc-chart--wanted")) { return Promise.resolve(); }
    figure.classList.add("icc-chart--wanted");
    return draw(figure);
  }

  function draw(figure) {
    var target = figure.querySelector(".icc-chart__view");
    if (!target || !target.hasAttribute("data-spec") || !wanted(figure)) { return Promise.resolve(); }
    if (target.clientWidth === 0) { return Promise.resolve(); }  /* hidden: drawn when it becomes visible */
    var chart;
    try {
      chart = JSON.parse(target.getAttribute("data-spec"));
    } catch (error) {
      figure.classList.add("icc-chart--failed");
      console.error("icc: a chart could not be read", error);
      return Promise.resolve();
    }
    figure.setAttribute("aria-busy", "true");
    prefetchData(chart);
    return Promise.all([loadLibrary(), loadTemplates()]).then(function (loaded) {
      return embed(figure, target, materialise(loaded[1], chart));
    }).catch(function (error) {
      figure.removeAttribute("aria-busy");
      figure.classList.add("icc-chart--failed");
      console.error("icc: a chart could not be drawn", error);
    });
  }

  /* The width (CSS pixels) the static render the screen shows was drawn at: the narrow
   * one's (its <source>, for the media it names) or the wide one's; 0 without one. Read
   * from the markup, so it holds before the image has loaded and after the screen turns. */
  function staticWidth(figure) {
    var image = figure.querySelector("img.icc-chart__static");
    if (!image) { return 0; }
    var source = figure.querySelector("picture source[media][width]");
    var chosen = source && window.matchMedia(source.getAttribute("media")).matches ? source : image;
    return Number(chosen.getAttribute("width")) || image.naturalWidth || 0;
  }

  /* When the screen turns or the window crosses the narrow renders' width, drawn charts
   * are drawn again at the width of the render then shown (one listener per media query). */
  var watched = {};

  function watchNarrowing(figure) {
    var source = figure.querySelector("picture source[media]");
    var media = source && source.getAttribute("media");
    if (media && !watched[media]) {
      watched[media] = true;
      window.matchMedia(media).addEventListener("change", redrawAll);
    }
  }

  /* Numbers in tooltips and axes as French writes them (20,7; 87 696), in d3-format's terms */
  var FRENCH_NUMBERS = { decimal: ",", thousands: "\u202f", grouping: [3], currency: ["", "\u00a0€"], percent: "\u202f%" };

  function embed(figure, target, spec) {
    var previous = views.get(figure);
    if (previous) { previous.finalize(); }
    /* (a chart drawn again keeps its box meanwhile: nothing below it moves) */
    if (previous) { target.style.minHeight = target.offsetHeight + "px"; }
    while (target.firstChild) { target.removeChild(target.firstChild); }
    /* the chart's text alternative (its static render's, or the figure's own) names the
       drawn chart: Vega gives its description to the chart's element as its label */
    var image = figure.querySelector("img.icc-chart__static");
    var label = image ? image.getAttribute("alt") : figure.getAttribute("data-label");
    if (label) { spec.description = label; }
    /* Drawn in the static render's place, at its size: as wide as the render was drawn
       (its natural width: the wide or the narrow one, as the screen chose), then scaled
       with it to the column (icc.css), so the chart takes the very box the image had and
       nothing below it moves. */
    var drawnWidth = staticWidth(figure);
    watchNarrowing(figure);
    if (drawnWidth) {
      spec.width = drawnWidth;
      spec.autosize = { type: "fit-x", contains: "padding" };
      figure.classList.add("icc-chart--sized");
    }
    return window.vegaEmbed(target, spec, {
      renderer: "svg",
      loader: { baseURL: siteRoot },
      config: themeConfig(),
      formatLocale: window.icc.language() === "fr" ? FRENCH_NUMBERS : undefined,
      actions: { export: true, source: false, compiled: false, editor: false },
      i18n: {
        PNG_ACTION: window.icc.text("png", {}),
        SVG_ACTION: window.icc.text("svg", {}),
        CLICK_TO_VIEW_ACTIONS: window.icc.text("chartMenu", {})
      }
    }).then(function (result) {
      views.set(figure, result.view);
      return applyFilters(result.view);
    }).then(function () {
      target.style.minHeight = "";
      figure.removeAttribute("aria-busy");
      figure.classList.add("icc-chart--drawn");
      /* one object for assistive technology, in the page's language: the chart, named by
         its sentence (Vega calls it a "visualization" and its groups "group mark
         container", in English) */
      var chart = target.querySelector("[role='graphics-document']");
      if (chart) { chart.setAttribute("aria-roledescription", window.icc.text("chartRole", {})); }
      var marks = target.querySelector("svg.marks");
      if (marks) { marks.setAttribute("aria-hidden", "true"); }
      var menu = target.querySelector("summary");
      if (menu) { menu.setAttribute("aria-label", window.icc.text("chartMenu", {})); menu.setAttribute("title", window.icc.text("chartMenu", {})); }
    });
  }

  /* The page's band filters, as the chart parameters of the same names. */
  function applyFilters(view) {
    document.querySelectorAll("select[data-icc-filter]").forEach(function (select) {
      try {
        view.signal(select.getAttribute("data-icc-filter"), select.value);
      } catch (error) {
        /* (this chart has no such parameter) */
      }
    });
    return view.runAsync();
  }

  /* A static chart waits for the visitor: pointer, tap or its button asks for the interactive one. */
  function arm(figure) {
    if (figure.hasAttribute("data-icc-armed")) { return; }
    figure.setAttribute("data-icc-armed", "");
    if (wanted(figure)) { draw(figure); return; }
    /* a pointer that rests on the chart (not one the page scrolls past), or a tap */
    var timer = null;
    figure.addEventListener("pointerenter", function (event) {
      if (event.pointerType !== "touch") { timer = setTimeout(function () { want(figure); }, HOVER_MS); }
    });
    figure.addEventListener("pointerleave", function () { clearTimeout(timer); });
    figure.addEventListener("click", function () { want(figure); });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "icc-chart__explore";
    button.textContent = window.icc.text("chartButton", {});
    button.addEventListener("click", function () {
      want(figure).then(function () {
        var menu = figure.querySelector(".icc-chart__view summary");
        if (menu) { menu.focus(); }
      });
    });
    var caption = figure.querySelector("figcaption");
    if (caption && figure.id) {  /* (every chart's button has the same name: its caption tells them apart) */
      caption.id = caption.id || figure.id + "-caption";
      button.setAttribute("aria-describedby", caption.id);
    }
    figure.insertBefore(button, caption);
  }

  /* (the band filters start at "All" on every page: the browser does not restore them) */
  window.icc.onEveryPage(function () { document.querySelectorAll("figure.icc-chart").forEach(arm); });

  function redrawAll() {
    document.querySelectorAll("figure.icc-chart").forEach(function (figure) {
      if (views.has(figure)) { draw(figure); }
    });
  }

  new MutationObserver(redrawAll).observe(document.body, {
    attributes: true, attributeFilter: ["data-md-color-scheme", "data-md-color-primary"]
  });

  document.addEventListener("toggle", function (event) {
    if (event.target.open) { event.target.querySelectorAll("figure.icc-chart").forEach(draw); }
  }, true);

  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches("select[data-icc-filter]")) { return; }
    document.querySelectorAll("figure.icc-chart").forEach(function (figure) {
      var view = views.get(figure);
      if (view) { applyFilters(view); } else { want(figure); }
    });
  });
})();
