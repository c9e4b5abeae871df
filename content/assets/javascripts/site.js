/* What every page of the site needs from JavaScript, loaded before the other scripts.
 *
 * window.icc.onEveryPage(fn) runs fn on the page now and on every page that Material's
 * instant navigation swaps in later (its document$ observable, defined once the page is
 * ready; without it, fn runs once). The search dialog also gets an accessible name here,
 * the theme's menu and search buttons are made keyboard buttons, and a suggested citation
 * gets today's date as its date of access (without JavaScript it says "the day you read
 * it"). window.icc.text(key, values) gives the words the
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

  /* The language switcher, and any link to a page in another language, loads the page in
   * full (not through instant navigation): the page's language, its search index and its
   * scripts' words change with it. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[hreflang]");
    if (link && (link.closest(".md-select") || link.getAttribute("hreflang") !== language())) {
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
    /* (the "not found" page's switcher keeps the language homes it was built with) */
    if (!links.length || document.querySelector("[data-icc-not-found]")) { return; }
    if (window.location.pathname.indexOf(siteRoot.pathname) !== 0) { return; }
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
   * hidden checkboxes, which a pointer alone can use; so are, in the menu below 1220 px,
   * the current page's item that opens its table of contents and that table's title that
   * closes it. Each becomes a button the keyboard reaches, the header's named as what it
   * opens is named (in the page's language). Enter and Space open (or close) it, Escape
   * closes the menu, what is opened takes the focus, and the menu closes when the focus
   * leaves it. (What is closed is hidden from the keyboard by icc.css; below 960 px the
   * closed search box is reached by its button, or the theme's keys "/" and "s", and not
   * by Tab.) */
  /* Each checkbox whose labels become buttons: the element whose name the header's button
   * takes (none: the label's own text), and where the focus goes once it is opened. */
  var TOGGLES = {
    __drawer: { name: ".md-nav--primary", focus: ".md-sidebar--primary a[href]" },
    __search: { name: ".md-search__input", focus: ".md-search__input" },
    __toc: { name: null, focus: ".md-sidebar--primary .md-nav--secondary a[href]" }
  };
  var BUTTONS = ".md-header label.md-header__button[for='__drawer'], .md-header label.md-header__button[for='__search'], " +
    ".md-sidebar--primary label[for='__toc']";
  var narrow = window.matchMedia("(max-width: 59.984375em)");
  function keyboardButtons() {
    document.querySelectorAll(BUTTONS).forEach(function (label) {
      label.setAttribute("tabindex", "0");
      label.setAttribute("role", "button");
      var named = TOGGLES[label.htmlFor].name && document.querySelector(TOGGLES[label.htmlFor].name);
      if (named && named.getAttribute("aria-label")) { label.setAttribute("aria-label", named.getAttribute("aria-label")); }
    });
    var box = document.querySelector(".md-search__input");
    if (box) { box.tabIndex = narrow.matches ? -1 : 0; }
  }
  narrow.addEventListener("change", keyboardButtons);

  /* (after the key's events: during them, a focus moved into the search box has the Enter
     that opened it submit the search) */
  function shown(element) {
    return element.checkVisibility ? element.checkVisibility({ visibilityProperty: true }) : element.offsetParent !== null;
  }
  function focusLater(selector) {
    setTimeout(function () {
      var element = Array.prototype.find.call(document.querySelectorAll(selector), shown);
      if (element) { element.focus(); }
    }, 0);
  }
  document.addEventListener("change", function (event) {
    var id = event.target.id, focused = document.activeElement;
    if (!TOGGLES[id] || !focused || !focused.matches("label[for='" + id + "']")) { return; }
    if (event.target.checked) {
      focusLater(TOGGLES[id].focus);
    } else if (id === "__toc") {
      focusLater(".md-sidebar--primary label.md-nav__link[for='__toc']");
    }
  });
  /* (Enter and Space are taken before the theme sees them: its Enter, with the search box
     focused as the search opens, submitted the search form as a page load) */
  window.addEventListener("keydown", function (event) {
    var label = event.target.closest && event.target.closest("label[role='button']");
    if (label && (event.key === " " || event.key === "Enter")) {
      event.preventDefault();
      event.stopPropagation();
      label.click();
    }
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var drawer = document.getElementById("__drawer"), search = document.getElementById("__search");
    if (drawer && drawer.checked && event.target.closest && event.target.closest(".md-sidebar--primary, .md-header")) {
      drawer.checked = false;
      focusLater(".md-header label.md-header__button[for='__drawer']");
    } else if (search && search.checked) {
      /* (the theme closes the search after this, and leaves the focus nowhere) */
      setTimeout(function () {
        if (!search.checked && document.activeElement === document.body) { focusLater(".md-header label.md-header__button[for='__search']"); }
      }, 0);
    }
  });
  document.addEventListener("focusin", function (event) {
    var drawer = document.getElementById("__drawer");
    if (drawer && drawer.checked && !event.target.closest(".md-sidebar--primary, .md-header label[for='__drawer']")) {
      drawer.checked = false;
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
