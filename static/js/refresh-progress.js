// Keeps a running refresh's progress up to date without reloading the page, then reloads once it ends.
(function () {
  "use strict";
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const url = box.getAttribute("data-progress-url");
  const bar = box.querySelector("progress.bar");

  function render(data) {
    box.querySelectorAll("[data-field]").forEach(function (el) {
      el.textContent = data[el.getAttribute("data-field")];
    });
    const percent = data.parts_total ? Math.round((100 * data.parts_done) / data.parts_total) : 0;
    bar.value = percent;
    bar.textContent = percent + "%";
    const body = box.querySelector("[data-parts]");
    body.replaceChildren.apply(body, data.parts.map(function (part) {
      const row = document.createElement("tr");
      [part.service_code, part.region, part.status, String(part.rows)].forEach(function (text, index) {
        const cell = document.createElement("td");
        cell.textContent = text;
        if (index === 3) cell.className = "num";
        row.appendChild(cell);
      });
      return row;
    }));
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        render(data);
        if (data.status === "running") {
          setTimeout(poll, 1500);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  poll();
})();
