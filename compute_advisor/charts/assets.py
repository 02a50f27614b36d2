"""plotly.js, served by the app from the plotly package itself: no CDN."""

from __future__ import annotations

from pathlib import Path

import plotly
from django.http import FileResponse, HttpRequest


def plotly_js(request: HttpRequest) -> FileResponse:
    """The script under a URL that carries plotly's version (`?v=`), so it is cached for a year."""
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    response = FileResponse(path.open("rb"), content_type="application/javascript")  # it closes the file
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
