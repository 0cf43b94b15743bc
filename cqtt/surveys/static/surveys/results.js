/* The results' charts (Chart.js, served from our origin): horizontal bars per question, this campaign beside the
   earlier one when they are compared. Hidden cells (fewer than 5 answers) come as null and are not drawn. The
   tables under each chart carry the same numbers without JavaScript. */
(function () {
  "use strict";
  var COLOURS = ["#9aa5b1", "#b3261e"];

  function draw(spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas || typeof Chart === "undefined") return;
    var matrix = spec.type === "matrix";
    var n = spec.series.length;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          return { label: s.label, data: s.data, backgroundColor: COLOURS[(i + (n === 1 ? 1 : 0)) % 2] };
        })
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        scales: { x: matrix ? { min: 1, max: 5 } : { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
        plugins: { legend: { display: n > 1 } }
      }
    });
  }

  function start() {
    var data = document.getElementById("survey-charts");
    if (!data) return;
    JSON.parse(data.textContent).forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
