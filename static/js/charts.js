// Draws every chart of the page from its JSON (a <script type="application/json">) with the local plotly.js.
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) return;
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      const source = document.getElementById(element.getAttribute("data-chart"));
      if (!source) return;
      const figure = JSON.parse(source.textContent);
      // On a phone the options' names, slanted a little, run into each other: stand them up instead.
      const xaxis = figure.layout && figure.layout.xaxis;
      if (xaxis && xaxis.tickangle !== undefined && element.clientWidth < 600) xaxis.tickangle = -90;
      window.Plotly.newPlot(element, figure.data, figure.layout, { responsive: true, displaylogo: false });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
