"""`{% plotly_assets %}`: plotly.js and its stylesheet, without any inline style (see scripts/extract_plotly_css.py).

plotly.js looks for an element with the id of each <style> element it would create, and creates none when
it finds one: the global sheet's id goes on the link to its extracted rules (with plotly's
`no-inline-styles` class), the others on inert <template> elements.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, format_html_join

register = template.Library()
GLOBAL_ID = "plotly.js-style-global"


@cache
def plotly_style_ids() -> dict[str, object]:
    """What scripts/extract_plotly_css.py recorded: the plotly version and the ids of its style elements."""
    return json.loads((Path(settings.BASE_DIR) / "static" / "vendor" / "plotly-style-ids.json").read_text())


@register.simple_tag
def plotly_assets() -> str:
    import plotly

    recorded = plotly_style_ids()["ids"]
    assert isinstance(recorded, list)
    other_ids = [i for i in recorded if i != GLOBAL_ID]
    return format_html(
        '<link rel="stylesheet" href="{}" id="{}" class="no-inline-styles">{}<script src="{}?v={}" defer></script>',
        static("vendor/plotly.css"),
        GLOBAL_ID,
        format_html_join("", '<template id="{}"></template>', ((i,) for i in other_ids)),
        reverse("charts:plotly"),
        plotly.__version__,
    )
