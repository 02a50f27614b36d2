"""Loading the seed price file: idempotent, atomic, and a corrupt file is refused whole."""

import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from pricing.models import Price, PriceSnapshot, PriceSource
from pricing.selectors import price_snapshot_active, price_usd
from pricing.services import price_snapshot_load_seed

SEED = settings.SEED_PRICES_FILE


def seed_data() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


def write(tmp_path, data, name="seed.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_it_loads_the_shipped_seed_as_the_active_snapshot(no_prices):
    result = price_snapshot_load_seed(path=SEED)
    snapshot = result.snapshot
    assert result.created
    assert price_snapshot_active() == snapshot
    assert snapshot.source == "seed"
    assert snapshot.status == "active"
    assert snapshot.row_count == Price.objects.filter(snapshot=snapshot).count() == len(seed_data()["prices"])
    assert snapshot.as_of.isoformat() == seed_data()["as_of"]
    # Every price points at a declared source; nothing unsourced reaches the database.
    assert not Price.objects.filter(snapshot=snapshot, source__isnull=True).exists()
    assert PriceSource.objects.filter(snapshot=snapshot).count() == len(seed_data()["sources"])


def test_prices_keep_the_published_precision(no_prices):
    snapshot = price_snapshot_load_seed(path=SEED).snapshot
    # us-east-1 list prices (AWS Price List), stored exactly.
    assert price_usd(snapshot=snapshot, service_code="AmazonEC2", region="us-east-1", key="BoxUsage:t3.medium") == (
        Decimal("0.0416")
    )
    assert price_usd(
        snapshot=snapshot, service_code="AmazonECS", region="us-east-1", key="Fargate-vCPU-Hours:perCPU"
    ) == Decimal("0.04048")
    assert price_usd(
        snapshot=snapshot, service_code="AmazonECS", region="us-east-1", key="Fargate-GB-Hours"
    ) == Decimal("0.004445")
    # No sourced figure: None, never a guess.
    assert price_usd(snapshot=snapshot, service_code="AmazonEC2", region="us-east-1", key="BoxUsage:zz9.huge") is None


def test_the_database_in_use_is_the_one_configured(no_prices):
    # CI runs the suite on PostgreSQL; `make test` on SQLite. Both must load the same seed.
    expected = "postgresql" if settings.DATABASE_URL.startswith(("postgres", "pgsql")) else "sqlite"
    assert connection.vendor == expected
    snapshot = price_snapshot_load_seed(path=SEED).snapshot
    assert Price.objects.filter(snapshot=snapshot).count() == len(seed_data()["prices"])


def test_a_second_load_changes_nothing(no_prices):
    first = price_snapshot_load_seed(path=SEED)
    rows = Price.objects.count()
    second = price_snapshot_load_seed(path=SEED)
    assert not second.created
    assert second.snapshot.pk == first.snapshot.pk
    assert (PriceSnapshot.objects.count(), Price.objects.count()) == (1, rows)
    assert price_snapshot_active().pk == first.snapshot.pk


def test_a_load_with_other_content_supersedes_the_active_snapshot(no_prices, tmp_path):
    first = price_snapshot_load_seed(path=SEED).snapshot
    data = seed_data()
    data["as_of"] = "2026-11-02"
    second = price_snapshot_load_seed(path=write(tmp_path, data)).snapshot
    first.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "active")
    assert PriceSnapshot.objects.filter(status="active").count() == 1
    # The old snapshot keeps its prices: saved estimates can still be shown with them.
    assert Price.objects.filter(snapshot=first).count() == first.row_count


def corrupt_variants():
    data = seed_data()

    def with_price(**changes):
        copy = json.loads(json.dumps(data))
        copy["prices"][0].update(changes)
        return copy

    duplicate = json.loads(json.dumps(data))
    duplicate["prices"].append(dict(duplicate["prices"][0]))
    no_sources = json.loads(json.dumps(data))
    no_sources["sources"] = []
    return [
        ("truncated JSON", SEED.read_text(encoding="utf-8")[:5000], "not valid JSON"),
        ("a price that is not a number", with_price(usd="zero point one"), "prices[0].usd"),
        ("a negative price", with_price(usd="-0.01"), "prices[0].usd"),
        ("a float price", with_price(usd=0.1), None),
        ("an unknown source", with_price(source="somebody-said-so"), "prices[0].source"),
        ("a bad region", with_price(region="Virginia"), "prices[0].region"),
        ("a missing key", with_price(key=""), "prices[0].key"),
        ("a repeated price", duplicate, "repeats prices[0]"),
        ("no sources", no_sources, "sources: must be a non-empty list"),
        ("not an object", [1, 2, 3], "top level must be a JSON object"),
    ]


@pytest.mark.parametrize(("label", "content", "message"), corrupt_variants(), ids=[v[0] for v in corrupt_variants()])
def test_a_corrupt_seed_is_refused_and_the_active_snapshot_stays(no_prices, tmp_path, capsys, label, content, message):
    active = price_snapshot_load_seed(path=SEED).snapshot
    rows = Price.objects.count()
    path = write(tmp_path, content)
    if message is None:
        # A JSON float is read from its text, so 0.1 is exactly 0.1: accepted as a different snapshot.
        call_command("load_seed_prices", "--file", str(path))
        assert Price.objects.filter(snapshot=price_snapshot_active(), usd=Decimal("0.1")).exists()
        return
    with pytest.raises(CommandError) as raised:
        call_command("load_seed_prices", "--file", str(path))
    text = str(raised.value)
    assert "refused" in text
    assert message in text
    assert price_snapshot_active().pk == active.pk
    assert (PriceSnapshot.objects.count(), Price.objects.count()) == (1, rows)


def test_a_missing_file_is_refused_clearly(no_prices, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_seed_prices", "--file", str(tmp_path / "nope.json"))


def test_a_load_that_fails_half_way_leaves_the_previous_snapshot_active(no_prices, tmp_path, monkeypatch):
    active = price_snapshot_load_seed(path=SEED).snapshot
    data = seed_data()
    data["as_of"] = "2026-11-03"
    path = write(tmp_path, data)

    # The database refuses the rows after the snapshot and its sources were written.
    def fail(*args, **kwargs):
        raise RuntimeError("connection lost while writing prices")

    monkeypatch.setattr(Price.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        price_snapshot_load_seed(path=path)
    assert price_snapshot_active().pk == active.pk
    assert PriceSnapshot.objects.count() == 1
    assert PriceSource.objects.exclude(snapshot=active).count() == 0


def test_the_command_loads_only_when_no_snapshot_exists_with_if_none(no_prices, capsys):
    call_command("load_seed_prices", "--if-none")
    assert "made it active" in capsys.readouterr().out
    call_command("load_seed_prices", "--if-none")
    assert "seed not loaded" in capsys.readouterr().out
    call_command("load_seed_prices")
    assert "nothing changed" in capsys.readouterr().out
    assert PriceSnapshot.objects.count() == 1
