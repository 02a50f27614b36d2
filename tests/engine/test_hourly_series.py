"""The cost of each hour of a profile, attributed by the engine itself: it adds up to the table, for every
option, and follows the replicas each hour needs."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compute_advisor.engine import OPTION_CODES, estimate
from compute_advisor.engine.usage import hour_weights
from tests.engine.conftest import book
from tests.factories import parsed_scenario

BOOK = book("us-east-1")
MIDDAY_PEAK = [1] * 10 + [4] * 4 + [1] * 10


def priced(profile, **fields):
    scenario = parsed_scenario(usage={"kind": "hourly", "replicas_by_hour": profile}, **fields)
    return estimate(scenario, BOOK).to_json()


def test_each_option_carries_one_cost_a_profile_hour_adding_up_to_its_monthly_cost():
    result = priced(MIDDAY_PEAK)
    for option in result["options"]:
        if not option["available"]:
            continue
        hours = [Decimal(c) for c in option["cost_by_profile_hour"]]
        assert len(hours) == 24
        assert sum(hours) == Decimal(option["monthly_cost"]), option["option"]


def test_busy_hours_cost_more_on_options_that_scale_and_the_same_on_those_that_do_not():
    options = {o["option"]: o for o in priced(MIDDAY_PEAK)["options"]}
    fargate = [Decimal(c) for c in options["fargate"]["cost_by_profile_hour"]]
    # Midday's 4 tasks: three more tasks' worth than an hour of 1; the ALB costs the same in both.
    assert fargate[12] > Decimal("2.5") * fargate[20]
    assert fargate[12] == fargate[13]
    assert fargate[20] == fargate[21]
    lightsail = [Decimal(c) for c in options["lightsail_instance"]["cost_by_profile_hour"]]
    # Lightsail runs the peak all month: every hour that occurs as often costs the same, to the cent.
    assert max(lightsail[10:24]) - min(lightsail[10:24]) <= Decimal("0.01")


def test_an_hour_without_replicas_still_pays_for_what_runs_all_month():
    profile = [0] * 8 + [2] * 16
    options = {o["option"]: o for o in priced(profile, traffic={"requests_per_second": "10"})["options"]}
    fargate = [Decimal(c) for c in options["fargate"]["cost_by_profile_hour"]]
    assert 0 < fargate[0] < fargate[12]  # the load balancer bills every hour


def test_other_usage_has_no_hourly_series():
    for option in estimate(parsed_scenario(), BOOK).to_json()["options"]:
        assert "cost_by_profile_hour" not in option


profiles = st.one_of(
    st.lists(st.integers(0, 30), min_size=24, max_size=24).filter(any),
    st.lists(st.integers(0, 8), min_size=168, max_size=168).filter(any),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    profile=profiles,
    vcpu=st.sampled_from(["0.25", "1", "2", "4"]),
    memory=st.sampled_from(["0.5", "2", "8"]),
    hours=st.sampled_from(["730", "744", "100", "1.5"]),
    transfer=st.sampled_from(["0", "400"]),
    rps=st.sampled_from(["0", "50"]),
    active_hours=st.sampled_from([None, "6"]),
)
def test_the_hourly_series_equals_the_table_for_every_option(profile, vcpu, memory, hours, transfer, rps, active_hours):
    settings_ = {"app_runner": {"active_hours_per_day": active_hours}} if active_hours else {}
    result = priced(
        profile,
        workload={"vcpu": vcpu, "memory_gib": memory},
        hours_per_month=hours,
        traffic={"data_transfer_out_gib": transfer, "requests_per_second": rps, "avg_response_kib": "16"},
        options=list(OPTION_CODES),
        option_settings=settings_,
    )
    for option in result["options"]:
        if not option["available"]:
            continue
        hours_ = [Decimal(c) for c in option["cost_by_profile_hour"]]
        assert len(hours_) == len(profile)
        assert all(c >= 0 for c in hours_)
        assert sum(hours_) == Decimal(option["monthly_cost"]), option["option"]
        # Of two profile hours that occur equally often, the one needing more replicas never costs less
        # (beyond the odd cent the rounding gives one of them).
        weights = hour_weights(len(profile), Decimal(hours))
        for a in range(len(profile)):
            for b in range(len(profile)):
                if profile[a] > profile[b] and weights[a] == weights[b]:
                    assert hours_[a] >= hours_[b] - Decimal("0.01"), (option["option"], a, b)
