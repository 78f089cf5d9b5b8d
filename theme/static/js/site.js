// "<< Quay Lại" goes back in history when the reader came from this site;
// otherwise it stays a plain link to the article's category.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("[data-history-back]");
  if (!link || !document.referrer || history.length < 2) return;
  if (new URL(document.referrer).origin !== location.origin) return;
  event.preventDefault();
  history.back();
});

// "In bài": the button exists only for readers whose browser runs this script.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});

// Phones: the menu folds behind one button instead of filling the first screen;
// Escape closes it and gives the focus back to the button.
document.querySelectorAll("[data-menu-toggle]").forEach(function (button) {
  button.addEventListener("click", function () {
    button.setAttribute("aria-expanded", String(button.getAttribute("aria-expanded") !== "true"));
  });
  button.parentElement.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
    button.setAttribute("aria-expanded", "false");
    button.focus();
  });
});
