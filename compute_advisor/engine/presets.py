"""Usage profile presets a user can start from; each scales to the replicas they asked for."""

from __future__ import annotations

PRESETS = {
    "office_hours": "Office hours: the replicas 08:00-18:00 on weekdays, 1 otherwise (a week)",
    "weekday_peak": "Weekday peak: the replicas 09:00-17:00 on weekdays, half of them otherwise (a week)",
    "nightly_batch": "Nightly batch: the replicas from 01:00 to 03:00, none otherwise (a day)",
    "always_on": "Flat: the replicas every hour (a day)",
}


def preset_profile(name: str, replicas: int) -> list[int]:
    replicas = max(replicas, 1)
    if name == "office_hours":
        return [replicas if day < 5 and 8 <= hour < 18 else 1 for day in range(7) for hour in range(24)]
    if name == "weekday_peak":
        low = max(replicas // 2, 1)
        return [replicas if day < 5 and 9 <= hour < 17 else low for day in range(7) for hour in range(24)]
    if name == "nightly_batch":
        return [replicas if 1 <= hour < 3 else 0 for hour in range(24)]
    if name == "always_on":
        return [replicas] * 24
    raise KeyError(name)
