/* Makes the tables inside <div class="icc-sortable"> and the data tables of charts
 * (<details class="icc-data">) sortable by any column.
 *
 * Each column heading becomes a button; its <th> carries aria-sort so screen readers
 * announce the order. Cells starting with a number sort numerically, other cells
 * alphabetically; empty or "—" cells always go last. Runs after every page load,
 * including Material's instant navigation.
 */
(function () {
  "use strict";

  function key(cell) {
    var text = (cell.textContent || "").trim();
    var match = text.match(/^-?\d+(?:[.,]\d+)?/);
    if (match) { return { num: parseFloat(match[0].replace(",", ".")), text: text }; }
    return { num: null, text: text };
  }

  function compare(a, b, descending) {
    var blankA = a.text === "" || a.text === "—" || a.text === "not published";
    var blankB = b.text === "" || b.text === "—" || b.text === "not published";
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

  function enhanceAll() {
    document.querySelectorAll(".icc-sortable table, .icc-data table").forEach(enhance);
  }

  /* Material defines document$ once the page is ready; it then replays the current
   * page and emits every page swapped in by instant navigation. */
  function start() {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(enhanceAll);
    } else {
      enhanceAll();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
