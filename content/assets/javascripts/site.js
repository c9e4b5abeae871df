/* Small accessibility repairs to the theme's markup, applied once the page is ready:
 * the search dialog gets an accessible name. */
(function () {
  "use strict";
  function repair() {
    document.querySelectorAll(".md-search[role='dialog']:not([aria-label])").forEach(function (dialog) {
      dialog.setAttribute("aria-label", "Search this site");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", repair);
  } else {
    repair();
  }
})();
