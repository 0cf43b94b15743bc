/* The trend charts of the evaluation pages (Chart.js, served from our origin; no inline script under the CSP):
   rates in % per month, and letters per month. Months without data come as null and are not drawn; the table
   under the charts carries the same numbers without JavaScript. */
(function () {
  "use strict";
  var COLOURS = ["#1f6f43", "#1d4f91", "#b3261e"];

  function line(canvas, labels, series, percent) {
    new Chart(canvas, {
      type: percent ? "line" : "bar",
      data: {
        labels: labels,
        datasets: series.map(function (s, i) {
          return { label: s.label, data: s.data, borderColor: COLOURS[i % 3], backgroundColor: COLOURS[i % 3], spanGaps: true };
        })
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { y: percent ? { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } : { min: 0 } }
      }
    });
  }

  function start() {
    var data = document.getElementById("eval-chart");
    if (!data || typeof Chart === "undefined") return;
    var spec = JSON.parse(data.textContent);
    var rates = document.getElementById("eval-rates");
    var letters = document.getElementById("eval-letters");
    if (rates) line(rates, spec.labels, spec.rates, true);
    if (letters) line(letters, spec.labels, [spec.letters], false);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
