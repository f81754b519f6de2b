// The main menu is a <details>: folded on a phone (the summary «Меню» opens it), always shown on a wide
// screen. CSS shows it there through ::details-content; this opens it for browsers without that.
(function () {
  var menu = document.getElementById("main-menu");
  if (menu && window.matchMedia("(min-width: 720px)").matches) menu.open = true;
})();
