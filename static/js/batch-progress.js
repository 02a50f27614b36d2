// Follows a batch of reports until it is done, then reloads to offer the download.
(function () {
  "use strict";
  const box = document.querySelector("[data-batch-url]");
  if (!box || ["done", "failed"].includes(box.getAttribute("data-status"))) return;
  function poll() {
    fetch(box.getAttribute("data-batch-url"))
      .then(function (response) { return response.json(); })
      .then(function (data) {
        box.querySelector("[data-field=done]").textContent = data.done;
        const bar = box.querySelector("progress.bar");
        bar.max = data.total || 1;
        bar.value = data.done;
        if (data.status === "done" || data.status === "failed") { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
