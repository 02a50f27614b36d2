"""What both kinds of chart share: the categories' names and colours, and option names broken in two."""

from __future__ import annotations

CATEGORY_LABELS = {
    "compute": "Compute",
    "storage": "Storage",
    "load_balancer": "Load balancer",
    "transfer": "Data transfer",
    "other": "Other (IPs, fees)",
}
COLORS = {
    "compute": "#0b5fff",
    "storage": "#7a5af8",
    "load_balancer": "#f79009",
    "transfer": "#12b76a",
    "other": "#98a2b3",
}


def two_lines(label: str) -> str:
    """Break a long option name near its middle so that bar labels need not be tilted."""
    words = label.split()
    if len(words) < 3:
        return label
    half = len(label) / 2
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - half))
    return " ".join(words[:best]) + "<br>" + " ".join(words[best:])
