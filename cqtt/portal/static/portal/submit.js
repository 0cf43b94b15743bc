// Progressive enhancement: one tap sends once; the button comes back when the page is shown again.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () { form.querySelector("button[type=submit]").disabled = true; });
  });
});
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-once] button[type=submit]").forEach(function (b) { b.disabled = false; });
});
