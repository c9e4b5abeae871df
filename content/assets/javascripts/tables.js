/* Makes the tables inside <div class="icc-sortable"> and the data tables of charts
 * (<details class="icc-data">) sortable by any column, and filterable where the page
 * asks for it (list boxes per column, or by population and foreign-born band).
 *
 * Each column heading becomes a button; its <th> carries aria-sort so screen readers
 * announce the order. Cells starting with a number sort numerically, other cells
 * alphabetically; empty or "—" cells always go last. A table too wide for the screen,
 * with nothing in it to focus, can be scrolled from the keyboard. Runs after every page
 * load, including Material's instant navigation.
 */
(function () {
  "use strict";

  /* Cells that hold no value, in every language of the site: sorted last. */
  var BLANK = ["", "—", "not published", "non publié"];

  function key(cell) {
    var text = (cell.textContent || "").trim();
    var match = text.match(/^-?\d+(?:[.,]\d+)?/);
    if (match) { return { num: parseFloat(match[0].replace(",", ".")), text: text }; }
    return { num: null, text: text };
  }

  function compare(a, b, descending) {
    var blankA = BLANK.indexOf(a.text) !== -1;
    var blankB = BLANK.indexOf(b.text) !== -1;
    if (blankA !== blankB) { return blankA ? 1 : -1; }
    var result;
    if (a.num !== null && b.num !== null) { result = a.num - b.num; }
    else { result = a.text.localeCompare(b.text, undefined, { sensitivity: "base", numeric: true }); }
    return descending ? -result : result;
  }

  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var descending = th.getAttribute("aria-sort") === "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) { return compare(key(r1.cells[index]), key(r2.cells[index]), descending); });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  function enhance(table) {
    if (table.dataset.iccSortable || !table.tHead) { return; }
    table.dataset.iccSortable = "1";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "icc-sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
  }

  /* Filters: a <div class="icc-filterable" data-filter="2,3"> gets one list box per named
   * column (0-based); cells may hold several values separated by semicolons. */
  function values(cell) {
    return (cell.textContent || "").split(";").map(function (v) { return v.trim(); }).filter(Boolean);
  }

  /* The language of each value a cell marks as in another language than the page's
   * (<span lang="en">anti-rumours</span> on a French page): its option says so too. */
  function languages(cell) {
    var out = {};
    cell.querySelectorAll("[lang]").forEach(function (e) { out[e.textContent.trim()] = e.getAttribute("lang"); });
    return out;
  }

  function filterable(box) {
    var table = box.querySelector("table");
    if (!table || box.dataset.iccFiltered || !table.tBodies[0]) { return; }
    box.dataset.iccFiltered = "1";
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var columns = (box.getAttribute("data-filter") || "").split(",").map(Number);
    var bar = document.createElement("div");
    bar.className = "icc-filters";
    var status = document.createElement("p");
    status.className = "icc-filters__status";
    status.setAttribute("aria-live", "polite");
    var selects = [];
    columns.forEach(function (column) {
      var heading = table.tHead.rows[0].cells[column];
      var name = heading ? heading.textContent.trim() : window.icc.text("column", { n: column });
      var seen = {};
      rows.forEach(function (row) {
        var marked = languages(row.cells[column]);
        values(row.cells[column]).forEach(function (v) { seen[v] = marked[v] || seen[v] || ""; });
      });
      var label = document.createElement("label");
      label.textContent = name + " ";
      var select = document.createElement("select");
      select.appendChild(new Option(window.icc.text("all", {}), ""));
      Object.keys(seen).sort(function (a, b) { return a.localeCompare(b); }).forEach(function (v) {
        var option = new Option(v, v);
        if (seen[v]) { option.lang = seen[v]; }  /* (the value's language, if the cell marks it) */
        select.appendChild(option);
      });
      select.dataset.column = column;
      select.addEventListener("change", apply);
      label.appendChild(select);
      bar.appendChild(label);
      selects.push(select);
    });
    var reset = document.createElement("button");
    reset.type = "button";
    reset.textContent = window.icc.text("showAll", {});
    reset.addEventListener("click", function () {
      selects.forEach(function (s) { s.value = ""; });
      apply();
    });
    bar.appendChild(reset);
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = selects.every(function (s) {
          return !s.value || values(row.cells[Number(s.dataset.column)]).indexOf(s.value) !== -1;
        });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      table.hidden = shown === 0;
      status.textContent = shown === 0
        ? window.icc.text("noRow", {})
        : window.icc.text("rowsShown", { shown: shown, total: rows.length });
    }
    box.insertBefore(bar, box.firstChild);
    box.insertBefore(status, bar.nextSibling);
    apply();
  }

  /* Band filters (select[data-icc-filter] in a .icc-band-filters box, see
   * generator/snippets.py): a table row carrying data-population and data-foreign-born is
   * shown only if it is in every band chosen. charts.js sets the charts' parameters. */
  var ROW_ATTRIBUTE = { population: "data-population", foreignBorn: "data-foreign-born" };

  function applyBands() {
    var box = document.querySelector(".icc-band-filters");
    if (!box) { return; }
    var selects = Array.prototype.slice.call(box.querySelectorAll("select[data-icc-filter]"));
    var shown = 0, total = 0;
    document.querySelectorAll("tr[data-population]").forEach(function (row) {
      var keep = selects.every(function (s) {
        return s.value === "all" || row.getAttribute(ROW_ATTRIBUTE[s.getAttribute("data-icc-filter")]) === s.value;
      });
      row.hidden = !keep;
      if (!row.closest(".icc-data")) {  /* (the count is the main table's) */
        total += 1;
        if (keep) { shown += 1; }
      }
    });
    var what = box.getAttribute("data-what") || "rows";
    var status = box.querySelector(".icc-band-filters__status");
    status.textContent = selects.every(function (s) { return s.value === "all"; })
      ? ""
      : shown === 0
        ? window.icc.text("noneInBands", { what: what })
        : window.icc.text("shownInTable", { shown: shown, total: total, what: what });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-icc-filter]")) { applyBands(); }
  });

  /* A table wider than the screen scrolls sideways in the theme's wrapper. Where the table
   * holds nothing a keyboard can reach, the wrapper itself takes the focus (arrow keys then
   * scroll it), as a region named by the table's caption or the heading before it; where
   * it no longer overflows (a wider window), it gives the focus up again. */
  function heading(element) {
    for (var e = element; e && !e.matches(".md-content"); e = e.previousElementSibling || e.parentElement) {
      if (/^H[1-6]$/.test(e.tagName)) { return e.textContent.replace(/\u00b6\s*$/, "").trim(); }
    }
    return "";
  }

  function scrollable() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var table = wrap.querySelector("table");
      if (!table || table.querySelector("a[href], button, input, select, [tabindex]")) { return; }
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        var name = table.caption ? table.caption.textContent.trim() : heading(wrap);
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", name || window.icc.text("table", {}));
      } else if (wrap.hasAttribute("tabindex")) {
        ["tabindex", "role", "aria-label"].forEach(function (name) { wrap.removeAttribute(name); });
      }
    });
  }

  function enhanceAll() {
    document.querySelectorAll(".icc-sortable table, .icc-data table").forEach(enhance);
    document.querySelectorAll(".icc-filterable").forEach(filterable);
    /* (after the theme has put its wrappers around the page's tables) */
    window.requestAnimationFrame(scrollable);
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(scrollable, 200);
  });

  window.icc.onEveryPage(enhanceAll);
})();
