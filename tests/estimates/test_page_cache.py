"""The comparison page's main part is cached per query and snapshot; who is asking never leaks into it."""

import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from compute_advisor.estimates import views
from compute_advisor.estimates.forms import ScenarioForm
from compute_advisor.estimates.models import SavedScenario
from compute_advisor.estimates.page_cache import csrf_placeholder, page_key
from tests.unreachable import UNREACHABLE_REDIS
from tests.web.test_compare import BASE, TASK_DEFINITION

QUERY = BASE
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def renders(monkeypatch):
    """Counts how often the page's main part is rendered (a cache miss)."""
    calls = []
    original = views._compare_context
    monkeypatch.setattr(views, "_compare_context", lambda *a: calls.append(a) or original(*a))
    return calls


def test_a_second_visit_is_served_from_the_cache_with_each_visitors_own_token(seeded, renders):
    cache.clear()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = first.get(reverse("estimates:compare"), QUERY).content.decode()
    page_two = second.get(reverse("estimates:compare"), {**dict(reversed(QUERY.items()))}).content.decode()
    assert len(renders) == 1  # the same parameters in another order are the same page
    token_one, token_two = TOKEN.search(page_one).group(1), TOKEN.search(page_two).group(1)
    assert token_one != token_two
    assert csrf_placeholder() not in page_one + page_two
    assert TOKEN.sub("", page_one) == TOKEN.sub("", page_two)

    # The token in the cached page is the visitor's: saving with it passes the CSRF check.
    scenario = unescape(re.search(r'name="scenario" value="([^"]+)"', page_two).group(1))
    saved = second.post(
        reverse("estimates:save"), {"scenario": scenario, "name": "cached", "csrfmiddlewaretoken": token_two}
    )
    assert saved.status_code == 302
    assert SavedScenario.objects.filter(name="cached").exists()
    forged = first.post(reverse("estimates:save"), {"scenario": scenario, "name": "x", "csrfmiddlewaretoken": "bad"})
    assert forged.status_code == 403


def test_nothing_about_the_visitor_is_cached(seeded):
    cache.clear()
    alice = Client()
    alice.force_login(User.objects.create_user("alice-in-cache", password="a-long-password-1"))
    signed_in = alice.get(reverse("estimates:compare"), QUERY).content.decode()
    anonymous = Client().get(reverse("estimates:compare"), QUERY).content.decode()
    assert "alice-in-cache" in signed_in
    assert "alice-in-cache" not in anonymous
    assert "Sign in" in anonymous


def test_other_scenarios_and_new_snapshots_are_other_pages(seeded, renders):
    cache.clear()
    client = Client()
    client.get(reverse("estimates:compare"), QUERY)
    four = client.get(reverse("estimates:compare"), {**QUERY, "replicas": "4"}).content.decode()
    assert len(renders) == 2
    assert re.search(r'name="replicas"[^>]*value="4"', four)
    fields = ["submitted", *ScenarioForm.base_fields]
    key = page_key("compare", client.get(reverse("estimates:compare"), QUERY).wsgi_request.GET, seeded, fields)
    assert cache.get(key) is not None
    newer = seeded.__class__(pk=seeded.pk + 1, created_at=seeded.created_at)
    assert page_key("compare", Client().get("/healthz", QUERY).wsgi_request.GET, newer, fields) != key


def test_parameters_the_page_does_not_read_and_pages_of_errors_make_no_entries(seeded, renders):
    cache.clear()
    client = Client()
    for junk in range(3):
        client.get(reverse("estimates:compare"), {**QUERY, "utm_source": f"mail-{junk}", "x": "y"})
    assert len(renders) == 1  # one page, whatever else the URL carries
    for _ in range(2):
        page = client.get(reverse("estimates:compare"), {**QUERY, "vcpu": "-1"}).content.decode()
        assert "Fix the fields marked in red" in page
    assert len(renders) == 3  # an invalid form is rendered each time, never stored


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_with_the_cache_down_the_page_is_rendered_every_time(seeded, renders):
    client = Client()
    for _ in range(2):
        response = client.get(reverse("estimates:compare"), QUERY)
        assert response.status_code == 200
        assert "Amazon ECS on AWS Fargate" in response.content.decode()
    assert len(renders) == 2


@override_settings(PAGE_CACHE_SECONDS=0)
def test_the_page_cache_can_be_turned_off(seeded, renders):
    cache.clear()
    for _ in range(2):
        Client().get(reverse("estimates:compare"), QUERY)
    assert len(renders) == 2


def test_whole_pages_for_anonymous_visitors_never_hide_a_message_or_a_signed_in_header(seeded, renders):
    cache.clear()
    anonymous = Client()
    first = anonymous.get(reverse("estimates:compare"), QUERY).content.decode()
    second = anonymous.get(reverse("estimates:compare"), QUERY).content.decode()
    assert len(renders) == 1
    assert TOKEN.sub("", first) == TOKEN.sub("", second)

    signed_in = Client()
    signed_in.force_login(User.objects.create_user("carol-cached", password="a-long-password-6"))
    page = signed_in.get(reverse("estimates:compare"), QUERY).content.decode()
    assert "Sign out carol-cached" in page  # its own header around the cached results
    assert len(renders) == 1

    # A message waiting for an anonymous visitor is shown, not skipped by a cached page.
    visitor = Client()
    visitor.get(reverse("estimates:compare"), QUERY)
    pasted = json.dumps({"taskDefinition": TASK_DEFINITION})
    shown = visitor.post(reverse("estimates:import"), {"text": pasted}, follow=True).content.decode()
    assert "The form is filled from what you pasted" in shown
    assert "carol-cached" not in anonymous.get(reverse("estimates:compare"), QUERY).content.decode()
