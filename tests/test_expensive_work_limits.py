"""Expensive work is bounded (issue 18): PDF renders per client and at once, the wizard's PDF cached, saves
checked in full and limited, signups per address, one batch at a time, scenarios that no longer price
answered with 400s, and pages listing share links kept out of caches."""

import io
import json
import threading
import time
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from compute_advisor.estimates.models import SavedScenario
from compute_advisor.lib import limits
from compute_advisor.reports import builder
from compute_advisor.reports.models import ReportBatch
from tests.factories import scenario_data

UNKNOWN_TYPE = scenario_data(option_settings={"ecs_ec2": {"instance_types": ["m9x.huge"]}})


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def renders(monkeypatch):
    """Count real renders, and make them instant (the limits are under test, not WeasyPrint)."""
    made: list[str] = []

    def fake(report, paper):
        made.append(report.title)
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(builder, "_render_pdf", fake)
    return made


def comparison_pdf(client, vcpu):
    return client.get("/compare/report.pdf", {"vcpu": vcpu, "memory_gib": 2, "region": "us-east-1"})


@override_settings(PDF_RENDERS_PER_MINUTE=2)
def test_each_client_renders_a_few_pdfs_a_minute_and_cached_ones_are_free(client, seeded, renders):
    assert comparison_pdf(client, 1).status_code == 200
    assert comparison_pdf(client, 1).status_code == 200  # the same report: from the cache, not counted
    assert comparison_pdf(client, 2).status_code == 200
    refused = comparison_pdf(client, 3)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "at most 2 a minute" in refused.json()["errors"][""][0]
    assert renders == ["Container cost comparison"] * 2
    assert comparison_pdf(type(client)(REMOTE_ADDR="198.51.100.8"), 3).status_code == 200  # another client


@override_settings(PDF_QUEUE_SECONDS=1, PDF_CONCURRENT_RENDERS=1, PDF_RENDERS_PER_MINUTE=100)
def test_renders_wait_for_one_of_few_slots_then_answer_429(client, seeded, renders, monkeypatch):
    monkeypatch.setattr(limits, "_slots", threading.BoundedSemaphore(1))
    assert limits._render_slots().acquire()  # another request is rendering
    try:
        started = time.monotonic()
        busy = comparison_pdf(client, 4)
        assert busy.status_code == 429
        assert busy["Retry-After"] == "5"
        assert "renderer is busy" in busy.json()["errors"][""][0]
        assert time.monotonic() - started < 5
    finally:
        limits._render_slots().release()
    assert comparison_pdf(client, 4).status_code == 200
    # The slots all processes share: another process holds the only one.
    with override_settings(PDF_RENDERS_AT_ONCE=1):
        cache.set(limits.SHARED_SLOTS_KEY, 1, timeout=60)
        assert comparison_pdf(client, 5).status_code == 429
        cache.set(limits.SHARED_SLOTS_KEY, 0, timeout=60)
        assert comparison_pdf(client, 5).status_code == 200
        assert cache.get(limits.SHARED_SLOTS_KEY) == 0  # given back
    # Cheap pages never wait for a slot.
    assert limits._render_slots().acquire()
    try:
        assert client.get("/healthz").status_code in (200, 503)
        assert client.get("/catalog/").status_code == 200
    finally:
        limits._render_slots().release()


def test_the_wizards_pdf_is_cached_like_the_others(client, seeded, renders):
    client.get("/wizard/")  # a session with the wizard's default answers
    first = client.get(reverse("reports:wizard", args=["pdf"]))
    second = client.get(reverse("reports:wizard", args=["pdf"]))
    assert first.status_code == second.status_code == 200
    assert renders == ["Recommendation from the wizard"]


def test_a_scenario_that_cannot_be_priced_cannot_be_saved(client, seeded):
    page = client.post(reverse("estimates:save"), {"scenario": json.dumps(UNKNOWN_TYPE), "name": "typo"})
    assert page.status_code == 302
    assert not SavedScenario.objects.exists()
    api = APIClient()
    user = User.objects.create_user("pins", password="a long enough secret")
    api.force_authenticate(user)
    refused = api.post("/api/v1/scenarios", {"name": "typo", "scenario": UNKNOWN_TYPE}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "option_settings.ecs_ec2.instance_types.0": ["'m9x.huge' is not an EC2 instance type"]
    }


def test_a_tiny_exponent_saves_nothing_and_costs_nothing(client, seeded):
    # 112 bytes that once stored a 100 MB row (the exponent spelled out in digits).
    body = (
        '{"region":"us-east-1","workload":{"vcpu":1E-100000000,"memory_gib":2},'
        '"usage":{"kind":"always_on","replicas":1}}'
    )
    started = time.monotonic()
    response = client.post(reverse("estimates:save"), {"scenario": body})
    assert response.status_code == 302
    assert time.monotonic() - started < 2
    assert not SavedScenario.objects.exists()


def test_scenarios_saved_before_a_change_answer_400_and_batches_skip_them(
    client, seeded, django_capture_on_commit_callbacks
):
    user = User.objects.create_user("dora", password="a long enough secret")
    good = SavedScenario.objects.create(owner=user, name="good", scenario=scenario_data(), snapshot=seeded)
    stale = SavedScenario.objects.create(owner=user, name="stale", scenario=UNKNOWN_TYPE, snapshot=seeded)
    page = client.get(reverse("estimates:shared", args=[stale.share_token]))
    assert page.status_code == 400
    assert "can no longer be priced" in page.content.decode()
    assert "m9x.huge" in page.content.decode()
    report = client.get(reverse("reports:shared", args=[stale.share_token, "csv"]))
    assert report.status_code == 400
    assert "option_settings.ecs_ec2.instance_types.0" in report.json()["errors"]
    assert APIClient().get(f"/api/v1/shared/{stale.share_token}").status_code == 400
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:batch_start"))
    batch = ReportBatch.objects.get()
    assert batch.status == ReportBatch.Status.DONE
    assert "stale" in batch.error
    with zipfile.ZipFile(io.BytesIO(bytes(batch.archive))) as zipped:
        names = zipped.namelist()
        assert f"01-{good.pk}.pdf" in names
        assert "stale (#" in zipped.read("SKIPPED.txt").decode()


def test_one_batch_at_a_time_and_none_left_queued_when_the_broker_is_down(
    client, seeded, monkeypatch, django_capture_on_commit_callbacks
):
    from compute_advisor.reports import views

    user = User.objects.create_user("erin", password="a long enough secret")
    SavedScenario.objects.create(owner=user, name="one", scenario=scenario_data(), snapshot=seeded)
    client.force_login(user)

    def broker_down(pk):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:1")

    monkeypatch.setattr(views.make_report_batch, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:batch_start"))
    failed = ReportBatch.objects.get()
    assert failed.status == ReportBatch.Status.FAILED
    assert "cannot be reached" in failed.error
    monkeypatch.setattr(views.make_report_batch, "delay", lambda pk: None)  # queued, never run
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:batch_start"))
    again = client.post(reverse("reports:batch_start"), follow=True)
    assert "already being made" in again.content.decode()
    assert ReportBatch.objects.count() == 2


@override_settings(SAVED_SCENARIOS_PER_ACCOUNT=2)
def test_an_account_keeps_a_bounded_number_of_saved_scenarios(seeded):
    api = APIClient()
    api.force_authenticate(User.objects.create_user("frank", password="a long enough secret"))
    codes = [
        api.post("/api/v1/scenarios", {"name": f"n{i}", "scenario": scenario_data()}, format="json").status_code
        for i in range(3)
    ]
    assert codes == [201, 201, 400]


@override_settings(SIGNUPS_PER_ADDRESS_PER_DAY=1)
def test_signups_are_limited_per_address(client, db):
    def signup(name):
        return client.post(
            "/accounts/signup/",
            {"username": name, "password1": "a long enough secret", "password2": "a long enough secret"},
        )

    assert signup("gina").status_code == 302
    client.logout()
    refused = signup("hank")
    assert refused.status_code == 429
    assert "At most 1 accounts a day" in refused.content.decode()
    assert not User.objects.filter(username="hank").exists()


def test_pages_listing_share_links_are_kept_out_of_caches(client, seeded):
    user = User.objects.create_user("ivy", password="a long enough secret")
    client.force_login(user)
    page = client.get(reverse("estimates:mine"))
    assert "private" in page["Cache-Control"]
    assert "no-store" in page["Cache-Control"]
    api = APIClient()
    api.force_authenticate(user)
    listing = api.get("/api/v1/scenarios")
    assert "private" in listing["Cache-Control"]
    assert "no-store" in listing["Cache-Control"]


def compare_url(vcpu):
    from compute_advisor.estimates.scenario_form import query_from_scenario

    return "/compare/?" + query_from_scenario(scenario_data(workload={"vcpu": vcpu, "memory_gib": 4}))


@override_settings(PAGE_CACHE_WRITES_PER_MINUTE=4, PAGE_CACHE_SECONDS=300)
def test_one_client_adds_a_bounded_number_of_compressed_pages_to_the_cache(client, seeded, monkeypatch):
    from django.core.cache import cache as the_cache

    from compute_advisor.estimates import page_cache

    stored: list[tuple[str, object]] = []
    real_add = the_cache.add

    def add(key, value, timeout=None):
        added = real_add(key, value, timeout=timeout)
        if added and key.startswith("page:"):
            stored.append((key, value))
        return added

    monkeypatch.setattr(page_cache.cache, "add", add)
    for vcpu in (1, 2, 3, 4):
        assert client.get(compare_url(vcpu)).status_code == 200
    # Each page stores its main part and the whole page: the first two pages; the others were served only.
    assert len(stored) == 4
    assert all(isinstance(value, bytes) for _, value in stored)
    html = client.get(compare_url(1))
    assert "Every option, cheapest first" in html.content.decode()  # from the compressed copy
    assert len(max((value for _, value in stored), key=len)) < 40_000


def test_batch_zips_are_bounded_in_size_and_kept_a_stated_number_of_days(
    client, seeded, renders, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from compute_advisor.reports.services import report_batches_expire

    user = User.objects.create_user("jade", password="a long enough secret")
    SavedScenario.objects.create(owner=user, name="one", scenario=scenario_data(), snapshot=seeded)
    client.force_login(user)
    with override_settings(BATCH_ARCHIVE_MAX_BYTES=10), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:batch_start"))
    too_big = ReportBatch.objects.get()
    assert too_big.status == ReportBatch.Status.FAILED
    assert "more than the 0 MB kept" in too_big.error
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:batch_start"))
    done = ReportBatch.objects.filter(status=ReportBatch.Status.DONE).get()
    assert client.get(reverse("reports:batch", args=[done.pk]), {"download": "1"}).status_code == 200
    ReportBatch.objects.filter(pk=done.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert report_batches_expire() == 1
    gone = client.get(reverse("reports:batch", args=[done.pk]), {"download": "1"})
    assert gone.status_code == 410
    assert "kept 7 days" in gone.content.decode()
