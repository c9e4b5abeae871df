/* What every page of the site needs from JavaScript, loaded before the other scripts.
 *
 * window.icc.onEveryPage(fn) runs fn on the page now and on every page that Material's
 * instant navigation swaps in later (its document$ observable, defined once the page is
 * ready; without it, fn runs once). The search dialog also gets an accessible name here,
 * and a suggested citation gets today's date as its date of access (without JavaScript
 * it says "the day you read it").
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

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  onEveryPage(function () {
    document.querySelectorAll(".md-search[role='dialog']:not([aria-label])").forEach(function (dialog) {
      dialog.setAttribute("aria-label", "Search this site");
    });
    var today = new Date();
    document.querySelectorAll(".icc-today").forEach(function (span) {
      span.textContent = today.getDate() + " " + MONTHS[today.getMonth()] + " " + today.getFullYear();
    });
  });
})();
