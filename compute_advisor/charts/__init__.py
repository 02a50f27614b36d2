"""Charts: the comparison's chart data drawn as plotly figures (pages) or matplotlib SVG (PDF), and the
locally served plotly.js."""
