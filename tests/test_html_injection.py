"""Whatever a user types, pastes or uploads is shown as text: in the pages, the messages and the PDF."""

import io
import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from compute_advisor.estimates.models import SavedScenario
from tests.factories import scenario_data
from tests.web.test_compare import BASE

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">y</a>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def assert_shown_as_text(page: str) -> None:
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert ESCAPED in page


def save_from_compare(client: Client, name: str) -> SavedScenario:
    raw = client.get(reverse("estimates:compare"), {**BASE, "name": name}).content.decode()
    assert_shown_as_text(raw)  # the name field's value, on the comparison page itself
    scenario = unescape(re.search(r'name="scenario" value="([^"]+)"', raw).group(1))
    client.post(reverse("estimates:save"), {"scenario": scenario, "name": name})
    return SavedScenario.objects.get(name=name)


def test_a_saved_name_is_text_on_the_share_page_the_list_and_in_messages(seeded):
    client = Client()
    client.force_login(User.objects.create_user("mallory", password="a-long-password-3"))
    saved = save_from_compare(client, PAYLOAD)
    assert_shown_as_text(client.get(reverse("estimates:shared", args=[saved.share_token])).content.decode())
    assert_shown_as_text(client.get(reverse("estimates:mine")).content.decode())
    renamed = client.post(reverse("estimates:action", args=[saved.pk, "rename"]), {"name": PAYLOAD + "!"}, follow=True)
    assert_shown_as_text(renamed.content.decode())  # the “Renamed to …” message


def test_names_saved_through_the_api_are_text_in_the_pages(seeded):
    from rest_framework.test import APIClient

    owner = User.objects.create_user("api-mallory", password="a-long-password-4")
    api = APIClient()
    api.force_authenticate(owner)
    created = api.post("/api/v1/scenarios", {"name": PAYLOAD, "scenario": scenario_data()}, format="json")
    assert created.status_code == 201
    assert created.json()["name"] == PAYLOAD  # JSON carries it verbatim, as data
    client = Client()
    client.force_login(owner)
    assert_shown_as_text(client.get(reverse("estimates:mine")).content.decode())


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"family": PAYLOAD, "cpu": "1024", "memory": "2048", "containerDefinitions": []}),
        json.dumps({"family": "x", "cpu": PAYLOAD, "memory": "2048", "containerDefinitions": []}),
        "services:\n  api:\n    deploy:\n      resources:\n        limits:\n"
        f"          cpus: '1'\n          memory: '{PAYLOAD}'\n",
    ],
    ids=["task family", "task cpu", "compose memory"],
)
def test_pasted_files_are_text_in_the_form_and_the_messages(seeded, text):
    response = Client().post(reverse("estimates:import"), {"text": text}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page


def test_the_pdf_prints_a_name_as_the_characters_typed(seeded):
    saved = save_from_compare(Client(), PAYLOAD)
    pdf = Client().get(reverse("reports:shared", args=[saved.share_token, "pdf"]))
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.content))
    text = " ".join(page.extract_text() for page in reader.pages[:2])
    # WeasyPrint was given escaped text: it printed the markup instead of running or drawing it.
    assert '<script>alert("x")</script>' in text.replace("\n", "")
    # The running footer (a CSS string) prints the name as typed too, not JavaScript escapes.
    assert 'compute-advisor · <script>alert("x")</script><img src=x' in reader.pages[1].extract_text()
    links = [
        annotation.get_object().get("/A", {}).get("/URI", "")
        for page in reader.pages
        for annotation in page.get("/Annots") or []
    ]
    assert not any(str(uri).startswith("javascript") for uri in links)
