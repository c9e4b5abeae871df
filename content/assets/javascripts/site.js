/* What every page of the site needs from JavaScript, loaded before the other scripts.
 *
 * window.icc.onEveryPage(fn) runs fn on the page now and on every page that Material's
 * instant navigation swaps in later (its document$ observable, defined once the page is
 * ready; without it, fn runs once). The search dialog also gets an accessible name here,
 * the theme's menu and search buttons are made keyboard buttons, and a suggested citation gets today's date as its date of access (without JavaScript
 * it says "the day you read it"). window.icc.text(key, values) gives the words the
 * scripts write, in the page's language.
 */
(function () {
  "use strict";

  function onEveryPage(fn) {
    function start() {
      if (window.document$ && typeof window.document$.subscribe === "function") {
        window.document$.subscribe(fn);
      } else {
        fn();
      }
    }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  /* The words the scripts write, in the page's language (<html lang>, set per language by
   * the theme); {name} is filled from the values given. */
  var TEXT = {
    en: {
      search: "Search this site",
      chartButton: "Interactive chart",
      chartRole: "chart",
      table: "Table",
      chartMenu: "Download this chart",
      png: "Download as PNG",
      svg: "Download as SVG",
      all: "All",
      showAll: "Show all",
      column: "Column {n}",
      noRow: "No row matches these choices; choose All in a list, or Show all.",
      rowsShown: "{shown} of {total} shown",
      noneInBands: "No {what} in these bands on this site; choose All to see every one.",
      shownInTable: "{shown} of {total} {what} shown in the table."
    },
    fr: {
      search: "Rechercher sur ce site",
      chartButton: "Graphique interactif",
      chartRole: "graphique",
      table: "Tableau",
      chartMenu: "Télécharger ce graphique",
      png: "Télécharger en PNG",
      svg: "Télécharger en SVG",
      all: "Tous",
      showAll: "Tout afficher",
      column: "Colonne {n}",
      noRow: "Aucune ligne ne correspond à ces choix\u00a0; choisissez Tous dans une liste, ou Tout afficher.",
      rowsShown: "{shown} lignes affichées sur {total}",
      noneInBands: "Aucune des {what} de ce site n'est dans ces tranches\u00a0; choisissez Toutes pour tout voir.",
      shownInTable: "Dans le tableau\u00a0: {shown} sur {total} {what}."
    }
  };

  function language() {
    return (document.documentElement.lang || "en").split("-")[0];
  }

  function text(key, values) {
    var words = (TEXT[language()] || TEXT.en)[key] || TEXT.en[key];
    return words.replace(/\{(\w+)\}/g, function (match, name) { return String(values[name]); });
  }

  /* A date as the pages write it, CLDR's long form: "6 December 2026", "6 décembre 2026".
   * (Not with Intl.DateTimeFormat: making the first one costs a phone with a 4× slower
   * processor 110 to 190 ms of the page's first work, one long task.) */
  var MONTHS = {
    en: "January February March April May June July August September October November December",
    fr: "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
  };

  function longDate(date) {
    var months = (MONTHS[language()] || MONTHS.en).split(" ");
    return date.getDate() + " " + months[date.getMonth()] + " " + date.getFullYear();
  }

  window.icc = { onEveryPage: onEveryPage, text: text, language: language };

  /* The language switcher loads the other language's page in full (not through instant
   * navigation): the page's language, its search index and its scripts' words change with it. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[hreflang]");
    if (link && link.closest(".md-select")) {
      /* (the links are set again now: the theme moves the address's anchor to the section
         being read without a hashchange event, and the reader stays in that section) */
      updateSwitcher();
      event.stopPropagation();
    }
  }, true);

  /* The switcher's links lead to this page in the other languages. The build writes them
   * for the page first loaded; instant navigation keeps the header, so they are set again
   * on every page: every page exists in every language, at the same path under the
   * language's folder (fr/…), the default language's at the root. */
  var siteRoot = new URL("../../", document.currentScript ? document.currentScript.src : window.location.href);
  window.addEventListener("hashchange", function () { updateSwitcher(); });
  function updateSwitcher() {
    var links = document.querySelectorAll(".md-select a[hreflang]");
    if (!links.length || window.location.pathname.indexOf(siteRoot.pathname) !== 0) { return; }
    var path = window.location.pathname.slice(siteRoot.pathname.length);
    links.forEach(function (link) {
      var prefix = link.getAttribute("hreflang") + "/";
      if (prefix !== "en/" && path.indexOf(prefix) === 0) { path = path.slice(prefix.length); }
    });
    links.forEach(function (link) {
      var language = link.getAttribute("hreflang");
      /* (headings keep their anchors in every language) */
      link.href = new URL((language === "en" ? "" : language + "/") + path + window.location.hash, siteRoot).href;
    });
  }

  /* The theme's menu button (below 1220 px) and search button (below 960 px) are labels of
   * hidden checkboxes, which a pointer alone can use. Each becomes a button the keyboard
   * reaches, named as what it opens is named (in the page's language): Enter opens it
   * through the theme's own keyboard handling, Space here, and Escape closes the menu.
   * (What is closed is hidden from the keyboard by icc.css.) */
  var OPENS = { __drawer: ".md-nav--primary", __search: ".md-search__input" };
  function keyboardButtons() {
    Object.keys(OPENS).forEach(function (id) {
      var opened = document.querySelector(OPENS[id]);
      document.querySelectorAll(".md-header label.md-header__button[for='" + id + "']:not([tabindex])").forEach(function (label) {
        label.setAttribute("tabindex", "0");
        label.setAttribute("role", "button");
        if (opened && opened.getAttribute("aria-label")) { label.setAttribute("aria-label", opened.getAttribute("aria-label")); }
      });
    });
  }
  /* (what is opened from its button takes the focus: the menu's first link, the search box;
     closed with Escape, the focus goes back to the button) */
  var FOCUS_ON_OPEN = { __drawer: ".md-sidebar--primary a[href]", __search: ".md-search__input" };
  document.addEventListener("change", function (event) {
    var id = event.target.id, focused = document.activeElement;
    if (FOCUS_ON_OPEN[id] && event.target.checked && focused && focused.matches(".md-header label[for='" + id + "']")) {
      var inside = document.querySelector(FOCUS_ON_OPEN[id]);
      if (inside) { inside.focus(); }
    }
  });
  function backToButton(id) {
    var button = document.querySelector(".md-header label.md-header__button[for='" + id + "']");
    if (button && button.offsetParent !== null) { button.focus(); }
  }
  document.addEventListener("keydown", function (event) {
    var label = event.target.closest && event.target.closest(".md-header label[role='button']");
    if (label && event.key === " ") {
      event.preventDefault();
      label.click();
    }
    if (event.key !== "Escape") { return; }
    var drawer = document.getElementById("__drawer"), search = document.getElementById("__search");
    if (drawer && drawer.checked && event.target.closest && event.target.closest(".md-sidebar--primary, .md-header")) {
      drawer.checked = false;
      backToButton("__drawer");
    } else if (search && search.checked) {
      /* (the theme closes the search after this, and leaves the focus nowhere) */
      setTimeout(function () {
        if (!search.checked && document.activeElement === document.body) { backToButton("__search"); }
      }, 0);
    }
  });

  onEveryPage(function () {
    updateSwitcher();
    keyboardButtons();
    document.querySelectorAll(".md-search[role='dialog']:not([aria-label])").forEach(function (dialog) {
      dialog.setAttribute("aria-label", text("search", {}));
    });
    var spans = document.querySelectorAll(".icc-today");
    if (!spans.length) { return; }
    var today = longDate(new Date());
    spans.forEach(function (span) { span.textContent = today; });
  });
})();
