"""Security headers on every response, and templates that need no inline code (the policy forbids it)."""

import json
import re
from pathlib import Path

import plotly
import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import reverse

from compute_advisor.lib.security_headers import SecurityHeadersMiddleware
from tests.factories import scenario_data

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@pytest.mark.parametrize("path", ["/", "/compare/", "/api/v1/catalog/fargate-sizes", "/healthz", "/nowhere/"])
def test_every_response_carries_the_policy_and_headers(client, seeded, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_policy_can_be_set_from_the_environment(rf):
    with override_settings(CONTENT_SECURITY_POLICY="default-src 'none'"):
        middleware = SecurityHeadersMiddleware(lambda request: HttpResponse())
        assert middleware(rf.get("/"))["Content-Security-Policy"] == "default-src 'none'"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "an inline script"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+=", re.I), "an event-handler attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


# The PDF's template is rendered by WeasyPrint, never served to a browser: its <style> is no risk.
WEB_TEMPLATES = sorted(
    t for t in TEMPLATES.rglob("*.html") if t.relative_to(TEMPLATES).as_posix() != "reports/report.html"
)


@pytest.mark.parametrize("template", WEB_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_web_template_has_inline_code(template):
    text = template.read_text()
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert found == [], f"{template.name} has {', '.join(found)}; the Content Security Policy would block it"


def test_the_extracted_plotly_styles_belong_to_the_installed_plotly():
    recorded = json.loads((TEMPLATES.parent / "static" / "vendor" / "plotly-style-ids.json").read_text())
    assert recorded["plotly"] == plotly.__version__, "run scripts/extract_plotly_css.py after upgrading plotly"
    css = (TEMPLATES.parent / "static" / "vendor" / "plotly.css").read_text()
    assert ".js-plotly-plot .plotly .modebar" in css


def test_chart_pages_load_plotly_and_its_stylesheet_without_inline_styles(client, seeded):
    page = client.get(reverse("estimates:regions"), {"vcpu": "1", "memory_gib": "2", "replicas": "3"}).content.decode()
    assert 'id="plotly.js-style-global" class="no-inline-styles"' in page
    assert f'/vendor/plotly.min.js?v={plotly.__version__}"' in page
    script = client.get(reverse("charts:plotly"))
    assert script["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(script.streaming_content).startswith(b"/**")


def test_the_favicon_address_browsers_ask_for_leads_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.svg")


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_post_form_carries_a_csrf_token(template):
    text = template.read_text()
    forms = re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.S | re.I)
    posting = [form for form in forms if re.search(r'method="post"', form, re.I)]
    assert all("{% csrf_token %}" in form for form in posting), template.name


def test_the_api_refuses_a_signed_in_browser_post_without_its_csrf_token(seeded):
    from django.contrib.auth.models import User
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(User.objects.create_user("csrf-victim", password="a-long-password-5"))
    body = {"name": "forged", "scenario": scenario_data()}
    forged = browser.post("/api/v1/scenarios", json.dumps(body), content_type="application/json")
    assert forged.status_code == 403
    assert "CSRF" in forged.json()["errors"][""][0]
    page = browser.post(reverse("estimates:save"), {"scenario": json.dumps(body["scenario"]), "name": "forged"})
    assert page.status_code == 403
