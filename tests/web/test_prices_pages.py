import json
from html import unescape

from django.core.management import call_command
from django.urls import reverse

from pricing.models import PriceRefresh, PriceSnapshot
from pricing.refresh import refresh_start
from tests.pricing.offers import FARGATE_US_EAST_1, ecs_offer


def test_the_prices_page_lists_snapshots_with_their_status(client, seeded):
    html = unescape(client.get(reverse("pricing:prices")).content.decode())
    assert f"<td>{seeded.pk}</td>" in html
    assert "Seed file shipped with the app" in html
    assert "Active" in html
    assert "Start a refresh" not in html  # only staff can start one
    assert "python manage.py refresh_prices" in html


def test_staff_start_a_refresh_and_see_it_finish(
    admin_client, seeded, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PRICING_BULK_BASE_URL = "http://127.0.0.1:9"  # unreachable: the refresh fails, visibly
    page = admin_client.get(reverse("pricing:prices")).content.decode()
    assert "Start a refresh" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("pricing:start_refresh"),
            {"source": "bulk", "regions": ["us-east-1"], "services": ["AmazonECS"]},
            follow=True,
        )
    refresh = PriceRefresh.objects.get()
    assert f"Refresh #{refresh.pk} started." in unescape(response.content.decode())
    refresh.refresh_from_db()
    assert refresh.status == "failed"
    html = unescape(admin_client.get(reverse("pricing:prices")).content.decode())
    assert "AmazonECS us-east-1: http://127.0.0.1:9/" in html  # the reason is on the page
    assert PriceSnapshot.objects.get(status="active").pk == seeded.pk


def test_anonymous_users_cannot_start_a_refresh(client, seeded):
    response = client.post(reverse("pricing:start_refresh"), {"source": "bulk"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not PriceRefresh.objects.exists()


def test_a_bad_refresh_form_is_refused_with_the_reason(admin_client, seeded):
    response = admin_client.post(
        reverse("pricing:start_refresh"), {"source": "ftp", "regions": ["mars-1"]}, follow=True
    )
    assert "The refresh was not started" in unescape(response.content.decode())
    assert not PriceRefresh.objects.exists()


def test_progress_is_served_as_json(client, seeded, tmp_path):
    refresh = refresh_start(source="offer_file", offer_files={("AmazonECS", "us-east-1"): str(ecs_offer(tmp_path))})
    data = client.get(reverse("pricing:refresh_progress", args=[refresh.pk])).json()
    assert data["status"] == "running"
    assert (data["parts_done"], data["parts_total"], data["rows"]) == (0, 1, 0)
    assert client.get(reverse("pricing:refresh_progress", args=[9999])).status_code == 404


def test_the_diff_page_shows_how_prices_moved(client, seeded, tmp_path):
    prices = {**FARGATE_US_EAST_1, "Fargate-vCPU-Hours:perCPU": "0.0500000000"}
    call_command("refresh_prices", "--offer-file", str(ecs_offer(tmp_path, prices=prices)), "--region", "us-east-1")
    newer = PriceSnapshot.objects.get(status="active")
    html = unescape(client.get(reverse("pricing:diff"), {"older": seeded.pk, "newer": newer.pk}).content.decode())
    assert "1 up, 0 down, 0 new, 0 gone" in html
    assert "Fargate-vCPU-Hours:perCPU" in html
    assert "0.04048" in html
    assert "23.5 %" in html
    same = client.get(reverse("pricing:diff"), {"older": seeded.pk, "newer": seeded.pk}).content.decode()
    assert "Pick two different snapshots." in same
    bad = client.get(reverse("pricing:diff"), {"older": "x", "newer": "9999"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


SQL_ERROR = (
    'OperationalError: relation "pricing_price" does not exist\nLINE 1: SELECT "pricing_price"."id" FROM '
    '"pricing_price" WHERE ...\nTraceback (most recent call last):\n  File "/srv/app/pricing/refresh.py"'
)


def refresh_with_an_internal_error(tmp_path):
    """A refresh whose part failed on a database error: its detail quotes SQL and a traceback."""
    from pricing.refresh import refresh_finish, refresh_part_fail

    refresh = refresh_start(source="offer_file", offer_files={("AmazonECS", "us-east-1"): str(ecs_offer(tmp_path))})
    refresh_part_fail(part=refresh.parts.get(), error=SQL_ERROR, failure="internal", held_only=False)
    return refresh_finish(refresh=refresh)


def test_anyone_sees_a_summary_of_a_refresh_error_and_only_staff_see_its_detail(client, admin_client, seeded, tmp_path):
    refresh = refresh_with_an_internal_error(tmp_path)
    assert refresh.status == "failed"
    summary = "Failed: some of its parts failed. AmazonECS us-east-1: an unexpected error."
    public = unescape(client.get(reverse("pricing:prices")).content.decode())
    assert summary in public
    for secret in ("SELECT", "pricing_price", "Traceback", "/srv/app", "OperationalError"):
        assert secret not in public
    staff = unescape(admin_client.get(reverse("pricing:prices")).content.decode())
    assert summary in staff
    assert "Detail (staff only)" in staff
    assert 'SELECT "pricing_price"."id"' in staff


def test_the_progress_json_gives_anyone_the_summary_and_staff_the_detail(client, admin_client, seeded, tmp_path):
    refresh = refresh_with_an_internal_error(tmp_path)
    url = reverse("pricing:refresh_progress", args=[refresh.pk])
    public = client.get(url).json()
    assert public["summary"] == "Failed: some of its parts failed. AmazonECS us-east-1: an unexpected error."
    assert "error" not in public
    assert [("error" in part, part["failure"]) for part in public["parts"]] == [(False, "an unexpected error")]
    assert "SELECT" not in json.dumps(public)
    staff = admin_client.get(url).json()
    assert "SELECT" in staff["error"]
    assert "SELECT" in staff["parts"][0]["error"]
