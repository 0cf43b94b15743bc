// Counter intake: Enter moves to the next field instead of submitting, so an outcome is always a deliberate
// click (or Tab + Enter on its button). Ctrl+Enter still submits "Tiếp nhận".
document.addEventListener("keydown", function (event) {
  var form = event.target.form;
  if (event.key !== "Enter" || !form || !form.classList.contains("intake-form")) return;
  var tag = event.target.tagName;
  if (tag === "TEXTAREA" || tag === "BUTTON" || event.target.type === "submit") return;
  event.preventDefault();
  if (event.ctrlKey) {
    form.querySelector('button[value="receive"]').click();
    return;
  }
  var fields = Array.prototype.filter.call(form.elements, function (el) {
    return !el.disabled && el.type !== "hidden" && el.offsetParent !== null;
  });
  var next = fields[fields.indexOf(event.target) + 1];
  if (next) next.focus();
});

// Procedure search: ArrowDown from the search box walks the results, ArrowUp walks back.
document.addEventListener("keydown", function (event) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  var picks = Array.prototype.slice.call(document.querySelectorAll("#procedure-results .procedure-pick"));
  if (!picks.length) return;
  var search = document.getElementById("id_q");
  var index = picks.indexOf(document.activeElement);
  if (event.target === search && event.key === "ArrowDown") index = 0;
  else if (index === -1) return;
  else index += event.key === "ArrowDown" ? 1 : -1;
  event.preventDefault();
  if (index < 0) search.focus();
  else if (picks[index]) picks[index].focus();
});

// After a refused save, put the cursor in the first field with a message.
document.addEventListener("DOMContentLoaded", function () {
  var field = document.querySelector(".intake-form .has-error input, .intake-form .has-error select, .intake-form .has-error textarea");
  if (field) field.focus();
});
