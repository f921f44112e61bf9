/* Progressive enhancement only: every page works without this file.
   - Focus the error summary (or another element marked data-focus-on-load) when a page or an htmx swap
     brings one, so keyboard and screen-reader users land on what changed, never on <body>.
   - Announce swaps through the one aria-live region that is already in the page (#live-status). */
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("live-status");
    if (!region || !text) { return; }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function marked(root, attribute) {
    if (root.hasAttribute && root.hasAttribute(attribute)) { return root; }
    return root.querySelector ? root.querySelector("[" + attribute + "]") : null;
  }

  function focusElement(element) {
    if (!element) { return false; }
    if (!element.hasAttribute("tabindex") && !element.matches("a, button, input, select, textarea")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusElement(document.querySelector("[data-focus-on-load]"));
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.target && event.target.isConnected ? event.target : document;
    var announcer = marked(root, "data-announce");
    if (announcer && announcer.getAttribute("data-announce")) { announce(announcer.getAttribute("data-announce")); }
    if (!focusElement(marked(root, "data-focus-on-load"))) {
      focusElement(document.querySelector("[data-focus-after-swap]"));
    }
  });

  /* WCAG 2.2.1: two minutes before saved answers expire, show the warning with its "keep my answers" button. */
  document.addEventListener("DOMContentLoaded", function () {
    var warning = document.getElementById("timeout-warning");
    if (!warning) { return; }
    var expires = Date.parse(warning.getAttribute("data-expires-at"));
    if (isNaN(expires)) { return; }
    var delay = Math.max(0, expires - Date.now() - 120 * 1000);
    window.setTimeout(function () {
      warning.hidden = false;
      announce(warning.querySelector("p").textContent);
      focusElement(warning);
    }, delay);
  });

  window.portal = { announce: announce };
})();
