// The site's frame, on every page (base.html).
(function () {
  "use strict";

  // The main menu is a <details>: folded on a phone (its summary «Меню» opens it), always shown on a wide
  // screen. CSS shows it there through ::details-content; this opens it for browsers without that.
  var menu = document.getElementById("main-menu");
  if (menu && window.matchMedia("(min-width: 720px)").matches) menu.open = true;

  // A table wider than the screen scrolls sideways in its box (.table-wrap, .j-scroll, a printable
  // article.document). Such a box must be reachable by keyboard to scroll it (WCAG 2.1.1), and named for
  // screen readers by what it holds; a box that fits needs no extra tab stop. Whether it scrolls depends
  // on the screen, so this is decided here.
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]:not([data-scroll-box])";

  function nameOf(box) {
    var table = box.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    if (table && table.getAttribute("aria-label")) return table.getAttribute("aria-label");
    var heading = document.querySelector("main h1");
    return heading ? heading.textContent.trim() : document.title;
  }

  function markScrollBoxes() {
    document.querySelectorAll(".table-wrap, .j-scroll, article.document").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 && !box.querySelector(FOCUSABLE);
      if (scrolls && !box.hasAttribute("data-scroll-box")) {
        box.setAttribute("data-scroll-box", "");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", nameOf(box));
      } else if (!scrolls && box.hasAttribute("data-scroll-box")) {
        ["data-scroll-box", "tabindex", "role", "aria-label"].forEach(function (a) { box.removeAttribute(a); });
      }
    });
  }

  markScrollBoxes();
  window.addEventListener("resize", markScrollBoxes);
  document.addEventListener("htmx:afterSettle", markScrollBoxes);
})();
