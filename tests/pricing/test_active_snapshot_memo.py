"""Each process remembers the active snapshot for a moment; an activation is seen at once where it happened."""

from datetime import date

from django.test import override_settings

from pricing.models import PriceSnapshot
from pricing.selectors import price_snapshot_active, price_snapshot_active_forget, price_snapshot_regions
from pricing.services import price_snapshot_activate


def building(**fields):
    return PriceSnapshot.objects.create(source="seed", as_of=date(2026, 11, 1), checksum="x" * 64, **fields)


@override_settings(ACTIVE_SNAPSHOT_MEMO_SECONDS=60)
def test_the_active_snapshot_is_remembered_until_an_activation(seeded, django_capture_on_commit_callbacks):
    price_snapshot_active_forget()
    assert price_snapshot_active() == seeded
    # Another process activates a snapshot (simulated by a write this process does not see as an activation).
    other = building()
    PriceSnapshot.objects.filter(pk=seeded.pk).update(status="superseded")
    PriceSnapshot.objects.filter(pk=other.pk).update(status="active")
    assert price_snapshot_active() == seeded  # still remembered: at most ACTIVE_SNAPSHOT_MEMO_SECONDS old
    price_snapshot_active_forget()
    assert price_snapshot_active() == other

    newest = building()
    with django_capture_on_commit_callbacks(execute=True):
        price_snapshot_activate(snapshot=newest)
    assert price_snapshot_active() == newest  # this process activated it: no wait
    price_snapshot_active_forget()


def test_without_a_memo_every_call_reads_the_database(seeded, django_assert_num_queries):
    with django_assert_num_queries(2):
        price_snapshot_active()
        price_snapshot_active()


def test_regions_are_read_once_per_finished_snapshot_but_not_while_it_is_building(seeded, django_assert_num_queries):
    price_snapshot_regions(snapshot=seeded)
    with django_assert_num_queries(0):
        assert price_snapshot_regions(snapshot=seeded) == [
            "ap-southeast-1", "eu-central-1", "eu-west-1", "us-east-1", "us-west-2",
        ]  # fmt: skip
    unfinished = building()
    with django_assert_num_queries(2):
        assert price_snapshot_regions(snapshot=unfinished) == []
        assert price_snapshot_regions(snapshot=unfinished) == []
