/* Show-if of the survey forms: each question and section carries its condition as a small tree (data-relevant,
   built by the server from the XLSForm expression) and is hidden when the condition fails, evaluated in form
   order with the answers of the questions still shown, as cqtt/surveys/rules.py `visible` does. Without this
   script every question is shown and the server's check decides. */
(function () {
  "use strict";

  function num(v) {
    if (v === null || v === undefined || String(v).trim() === "") return null;
    var n = Number(v);
    return isNaN(n) ? null : n;
  }

  function evaluate(tree, answers) {
    if (!tree || !tree.length) return true;
    var op = tree[0], i;
    if (op === "or") { for (i = 1; i < tree.length; i++) if (evaluate(tree[i], answers)) return true; return false; }
    if (op === "and") { for (i = 1; i < tree.length; i++) if (!evaluate(tree[i], answers)) return false; return true; }
    if (op === "not") return !evaluate(tree[1], answers);
    var value = answers[op === "sel" ? tree[1] : tree[2]];
    if (op === "sel") return Array.isArray(value) ? value.indexOf(tree[2]) >= 0 : value === tree[2];
    var cmp = tree[1], literal = tree[3];
    if (Array.isArray(value)) value = value.join(" ");
    value = value === undefined || value === null ? "" : String(value);
    if (cmp === "=" || cmp === "!=") {
      var same = value === literal;
      if (!same && num(value) !== null && num(literal) !== null) same = num(value) === num(literal);
      return cmp === "=" ? same : !same;
    }
    var a = num(value), b = num(literal);
    if (a === null || b === null) return false;
    return cmp === ">" ? a > b : cmp === ">=" ? a >= b : cmp === "<" ? a < b : a <= b;
  }

  function tree(el) {
    try { return JSON.parse(el.getAttribute("data-relevant") || "[]"); } catch (e) { return []; }
  }

  function answerOf(question) {
    var type = question.getAttribute("data-type");
    if (type === "select_multiple") {
      var values = [];
      question.querySelectorAll("input:checked").forEach(function (i) { values.push(i.value); });
      return values.length ? values : undefined;
    }
    if (type === "select_one" || type === "likert") {
      var checked = question.querySelector("input:checked");
      return checked ? checked.value : undefined;
    }
    var field = question.querySelector("input, textarea");
    if (!field || field.value.trim() === "") return undefined;
    return type === "integer" && /^-?[0-9]+$/.test(field.value.trim()) ? parseInt(field.value, 10) : field.value;
  }

  function refresh(form) {
    var answers = {}, number = 0;
    form.querySelectorAll(".survey-section").forEach(function (section) {
      var on = !section.hasAttribute("id") || evaluate(tree(section), answers);
      section.hidden = !on;
      section.querySelectorAll(".question").forEach(function (q) {
        var shown = on && evaluate(tree(q), answers);
        q.hidden = !shown;
        var qn = q.querySelector(".qn");
        if (shown && qn) qn.textContent = ++number + ".";
        if (shown) {
          var v = answerOf(q);
          if (v !== undefined) answers[q.getAttribute("data-key")] = v;
        }
      });
    });
  }

  function start() {
    document.querySelectorAll("form[data-survey]").forEach(function (form) {
      refresh(form);
      form.addEventListener("change", function () { refresh(form); });
      form.addEventListener("input", function () { refresh(form); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
