"""Write plotly.js's own stylesheet to static/vendor/ so the Content Security Policy can forbid inline styles.

plotly.js adds its CSS rules through <style> elements it creates, which `style-src 'self'` blocks. It skips
that when the page already has an element with the style element's id (plotly's documented
`no-inline-styles` switch for the global sheet). This script loads the installed plotly.js in Chromium
without a policy, draws a chart, and saves what plotly injected: the rules as a CSS file and the element ids
as JSON, which the `plotly_assets` template tag puts in the page. Run it after upgrading plotly; a browser
test fails while the file is out of date (the policy blocks plotly's styles and Chromium reports it).

    .venv/bin/python scripts/extract_plotly_css.py
"""

from __future__ import annotations

import json
from pathlib import Path

import plotly
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "vendor"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
GLOBAL_ID = "plotly.js-style-global"

COLLECT = """() => {
  const div = document.createElement("div");
  document.body.appendChild(div);
  return Plotly.newPlot(div, [{type: "bar", x: ["a", "b"], y: [1, 2]}], {}, {displayModeBar: true}).then(() =>
    Array.from(document.querySelectorAll("style[id]")).map((el) => ({
      id: el.id,
      rules: Array.from(el.sheet.cssRules).map((rule) => rule.cssText),
    })));
}"""


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        page.set_content("<!doctype html><html><head></head><body></body></html>")
        page.add_script_tag(path=str(PLOTLY_JS))
        sheets = page.evaluate(COLLECT)
        browser.close()
    OUT.mkdir(parents=True, exist_ok=True)
    header = f"/* plotly.js's styles, from the plotly {plotly.__version__} package: scripts/extract_plotly_css.py */\n"
    # Copied in the sheet's own order, which is the cascade the browser applied. Only the global sheet's rules:
    # the others belong to map libraries bundled in plotly.js that the app never draws.
    css = "".join(rule + "\n" for sheet in sheets if sheet["id"] == GLOBAL_ID for rule in sheet["rules"])
    (OUT / "plotly.css").write_text(header + css)
    (OUT / "plotly-style-ids.json").write_text(
        json.dumps({"plotly": plotly.__version__, "ids": [sheet["id"] for sheet in sheets]}, indent=2) + "\n"
    )
    print(f"{len(sheets)} style elements, {css.count(chr(10))} rules -> {OUT / 'plotly.css'}")


if __name__ == "__main__":
    main()
