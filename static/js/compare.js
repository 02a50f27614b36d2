// The comparison form: show the fields of the chosen usage, and edit an hourly profile as a grid.
(function () {
  "use strict";
  const form = document.querySelector(".scenario-form");
  // An application's services show their usage's fields by CSS alone; this is the one-service form's.
  if (!form || !form.querySelector("input[name=usage_kind]")) return;
  const kinds = form.querySelectorAll("input[name=usage_kind]");
  const scheduled = form.querySelector(".usage-scheduled");
  // Scheduled runs count their tasks in their own field: the replicas belong to always-on and hourly.
  const replicas = form.querySelector("#field-replicas");
  const hourly = form.querySelector(".usage-hourly");
  const profile = form.querySelector("textarea[name=profile]");
  const preset = form.querySelector("select[name=preset]");
  const grid = form.querySelector(".profile-grid");
  const days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

  function kind() {
    const checked = form.querySelector("input[name=usage_kind]:checked");
    return checked ? checked.value : "always_on";
  }

  function values() {
    return profile.value.trim().split(/[\s,;]+/).filter(Boolean);
  }

  function buildGrid() {
    const current = values();
    const length = current.length === 168 ? 168 : 24;
    grid.replaceChildren();
    for (let row = 0; row < length / 24; row++) {
      const line = document.createElement("div");
      line.className = "grid-row";
      const label = document.createElement("span");
      label.className = "grid-label";
      label.textContent = length === 168 ? days[row] : "Hour";
      line.appendChild(label);
      for (let hour = 0; hour < 24; hour++) {
        const index = row * 24 + hour;
        const input = document.createElement("input");
        input.type = "number";
        input.min = "0";
        input.max = "5000";
        input.value = current[index] || "0";
        input.setAttribute("aria-label", (length === 168 ? days[row] + " " : "") + String(hour).padStart(2, "0") + ":00");
        input.dataset.index = String(index);
        input.addEventListener("input", syncFromGrid);
        line.appendChild(input);
      }
      grid.appendChild(line);
    }
    grid.hidden = false;
  }

  function syncFromGrid() {
    const inputs = grid.querySelectorAll("input");
    profile.value = Array.from(inputs, function (input) { return input.value || "0"; }).join(" ");
  }

  function update() {
    scheduled.hidden = kind() !== "scheduled";
    replicas.hidden = kind() === "scheduled";
    hourly.hidden = kind() !== "hourly";
    if (kind() === "hourly" && values().length && (values().length === 24 || values().length === 168)) {
      buildGrid();
    } else {
      grid.hidden = true;
    }
  }

  kinds.forEach(function (radio) { radio.addEventListener("change", update); });
  profile.addEventListener("change", update);
  if (preset) {
    preset.addEventListener("change", function () {
      // The server fills the profile from the preset and the replicas when the profile is empty.
      if (preset.value) {
        profile.value = "";
        grid.hidden = true;
      }
    });
  }
  update();
})();
