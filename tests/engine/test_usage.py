"""A usage as billing reads it: billed hours over a profile are the hour-by-hour sum, however they are added."""

from decimal import Decimal, localcontext

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compute_advisor.engine.money import ZERO, engine_precision
from compute_advisor.engine.usage import UsagePlan, billed_hours, hour_weights, profile_sum

profiles = st.lists(st.integers(0, 60), min_size=24, max_size=24).flatmap(
    lambda day: st.sampled_from([tuple(day), tuple(day * 7)])
)
# Shares of an hour as options bill them: whole, halves, thirds (a division that never ends), huge ones.
shares = st.sampled_from(
    [Decimal(1), Decimal("1.00"), Decimal("0.5"), Decimal(8) / 24, Decimal(5) / 7, Decimal("123456789012345678.9")]
)
examples = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@examples
@given(profiles, shares, st.sampled_from([50, 28, 9, 5]), st.booleans())
def test_a_sum_over_the_profile_is_the_hour_by_hour_sum_to_the_last_digit(profile, share, precision, offset):
    with localcontext() as context:
        context.prec = precision
        units = {r: Decimal(r) * share + (Decimal("0.1") if offset else ZERO) for r in set(profile)}
        plan = UsagePlan(hours_per_month=Decimal(730), hourly_profile=profile)
        hour_by_hour = sum((units[r] for r in profile), ZERO)
        assert profile_sum(units, plan).as_tuple() == hour_by_hour.as_tuple()


@examples
@given(profiles, st.sampled_from(["730", "744", "100"]), st.sampled_from([0, 1, 3]))
def test_billed_hours_of_whole_units_are_the_hour_by_hour_sum(profile, hours, minimum):
    hours_per_month = Decimal(hours)
    plan = UsagePlan(
        hours_per_month=hours_per_month,
        hourly_profile=profile,
        profile_weights=tuple(hour_weights(len(profile), hours_per_month)),
    )
    with engine_precision():
        billed = billed_hours(plan, lambda replicas: max(replicas, minimum))
        units = {r: Decimal(max(r, minimum)) for r in profile}
        expected = hours_per_month * sum((units[r] for r in profile), ZERO) / len(profile)
    assert billed.total.as_tuple() == expected.as_tuple()
    assert billed.shares is not None
    assert billed.shares.running == units
