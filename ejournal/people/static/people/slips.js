// The print button of the credential slips page (inline handlers are forbidden by the CSP).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
