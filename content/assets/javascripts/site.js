/* What every page of the site needs from JavaScript, loaded before the other scripts.
 *
 * window.icc.onEveryPage(fn) runs fn on the page now and on every page that Material's
 * instant navigation swaps in later (its document$ observable, defined once the page is
 * ready; without it, fn runs once). The search dialog also gets an accessible name here.
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

  window.icc = { onEveryPage: onEveryPage };

  onEveryPage(function () {
    document.querySelectorAll(".md-search[role='dialog']:not([aria-label])").forEach(function (dialog) {
      dialog.setAttribute("aria-label", "Search this site");
    });
  });
})();
