/* The Vega-Lite charts (ADR 0024): each `<div data-vega-spec="ID" data-description="…">` is drawn from the spec
   in `<script type="application/json" id="ID">` (Django's json_script). Loaded after vendor/vega/*.js.
   Under the site's CSP (script-src 'self', style-src 'self'): `ast: true` with `vega.expressionInterpreter`, so
   no expression becomes `new Function`; `defaultStyle: false` and the tooltip's `disableDefaultStyle: true`, so
   neither vega-embed nor vega-tooltip injects a <style> (their rules are in charts.css). The table next to each
   chart carries the same numbers without JavaScript. */
(function () {
  "use strict";

  var OPTIONS = {
    renderer: "svg",
    actions: false,
    ast: true,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true, theme: "light" }
  };

  function draw(target) {
    var source = document.getElementById(target.getAttribute("data-vega-spec"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    // vega gives the container role="graphics-document" and the spec's description as its aria-label
    if (!spec.description && target.getAttribute("data-description")) {
      spec.description = target.getAttribute("data-description");
    }
    var options = Object.assign({ expr: window.vega.expressionInterpreter }, OPTIONS);
    window.vegaEmbed(target, spec, options).then(
      function () {
        target.classList.add("chart-drawn");
      },
      function (error) {
        target.classList.add("chart-failed");
        if (window.console) window.console.error("chart", target.getAttribute("data-vega-spec"), error);
      }
    );
  }

  function start() {
    if (!window.vegaEmbed || !window.vega || !window.vega.expressionInterpreter) return;
    var targets = document.querySelectorAll("[data-vega-spec]");
    for (var i = 0; i < targets.length; i++) draw(targets[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
