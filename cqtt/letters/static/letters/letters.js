// The letters to sign: "Chọn tất cả" ticks or clears every letter of the page, and follows the letters ticked
// one by one (ticked when all are, half-ticked when some are). Without JavaScript it stays hidden and each
// letter is ticked by itself; the box has no name, so it is never sent with the form.
document.addEventListener("DOMContentLoaded", function () {
  Array.prototype.forEach.call(document.querySelectorAll("input[data-select-all]"), function (all) {
    var form = all.form;
    var name = all.getAttribute("data-select-all");
    function boxes() {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.type === "checkbox" && el.name === name;
      });
    }
    function follow() {
      var list = boxes();
      var ticked = list.filter(function (el) { return el.checked; }).length;
      all.checked = list.length > 0 && ticked === list.length;
      all.indeterminate = ticked > 0 && ticked < list.length;
    }
    all.addEventListener("change", function () {
      boxes().forEach(function (el) { el.checked = all.checked; });
      all.indeterminate = false;
    });
    form.addEventListener("change", function (event) {
      if (event.target !== all && event.target.name === name) follow();
    });
    var wrapper = all.closest("[hidden]");
    if (wrapper) wrapper.hidden = false;
    follow();
  });
});
