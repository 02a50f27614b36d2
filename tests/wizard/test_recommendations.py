"""Realistic situations and what the wizard recommends, with the reasons a user can check."""

from decimal import Decimal

import pytest

from compute_advisor.wizard.answers import Answers
from compute_advisor.wizard.recommend import recommend
from tests.engine.conftest import pricer

D = Decimal

PROFILES = [
    # (name, answers, acceptable winners, a phrase the winner's reasons must contain)
    (
        "small always-on hobby API",
        Answers(workload="web", vcpu=D("0.25"), memory_gib=D("0.5"), replicas=1, experience="new", patching="nobody"),
        {"lightsail_instance", "lightsail_container"},
        "simplest",
    ),
    (
        "nightly 10-minute batch",
        Answers(workload="batch", vcpu=D(1), memory_gib=D(2), replicas=1, runs_per_day=D(1), minutes_per_run=D(10)),
        {"fargate"},
        "scheduled tasks",
    ),
    (
        "40 steady replicas with an ops team",
        Answers(
            workload="web",
            vcpu=D(1),
            memory_gib=D(2),
            replicas=40,
            experience="expert",
            patching="team",
            requests_per_second=D(400),
        ),
        {"ecs_ec2"},
        "less than",
    ),
    (
        "Windows container",
        Answers(workload="web", vcpu=D(1), memory_gib=D(2), replicas=2, windows=True),
        {"fargate", "ecs_ec2"},
        "",
    ),
    (
        "existing App Runner user with a mostly idle API",
        Answers(
            workload="web",
            vcpu=D(1),
            memory_gib=D(2),
            replicas=1,
            pattern="mostly_idle",
            existing_app_runner=True,
            experience="new",
            requests_per_second=D(1),
        ),
        {"app_runner"},
        "idle",
    ),
    (
        "new account with a mostly idle API",
        Answers(
            workload="web",
            vcpu=D(1),
            memory_gib=D(2),
            replicas=1,
            pattern="mostly_idle",
            existing_app_runner=False,
            experience="new",
            requests_per_second=D(1),
        ),
        # A 1 vCPU / 2 GB container fits Lightsail's medium container power.
        {"ecs_express", "lightsail_instance", "lightsail_container", "fargate"},
        "",
    ),
    (
        "GPU inference",
        Answers(workload="worker", vcpu=D(4), memory_gib=D(16), replicas=2, needs_gpu=True, patching="team"),
        {"ecs_ec2"},
        "",
    ),
    (
        "privileged container with a host agent",
        Answers(workload="worker", vcpu=D(1), memory_gib=D(2), replicas=3, needs_privileged=True, patching="team"),
        {"ecs_ec2", "beanstalk", "lightsail_instance"},
        "",
    ),
    (
        "a VPS with root access",
        Answers(workload="server", vcpu=D(2), memory_gib=D(4), replicas=1, needs_ssh=True, experience="some"),
        {"lightsail_instance"},
        "whole server",
    ),
    (
        "spiky web API, nobody patches servers",
        Answers(
            workload="web",
            vcpu=D("0.5"),
            memory_gib=D(1),
            replicas=8,
            pattern="spiky",
            patching="nobody",
            requests_per_second=D(80),
        ),
        {"fargate", "ecs_express"},
        "scales",
    ),
    (
        "compliance needs VPC control",
        Answers(workload="web", vcpu=D(1), memory_gib=D(2), replicas=3, vpc_control=True, experience="some"),
        {"fargate", "ecs_express", "ecs_ec2", "beanstalk"},
        "",
    ),
    (
        "a tight budget",
        Answers(workload="web", vcpu=D("0.5"), memory_gib=D(1), replicas=2, budget_usd=D(40)),
        {"lightsail_instance", "lightsail_container"},
        "",
    ),
    (
        "growing past Lightsail's 20 nodes",
        Answers(workload="web", vcpu=D("0.25"), memory_gib=D(1), replicas=10, replicas_next_year=30, experience="new"),
        {"ecs_express", "fargate", "lightsail_instance", "beanstalk", "ecs_ec2"},
        "",
    ),
]


@pytest.mark.parametrize(("name", "answers", "winners", "phrase"), PROFILES, ids=[p[0] for p in PROFILES])
def test_the_recommendation_fits_the_situation(name, answers, winners, phrase):
    result = recommend(answers, pricer(answers.region))
    assert result.winner is not None, [(a.option, a.excluded) for a in result.assessments]
    assert result.winner.option in winners, [
        (a.option, a.score, a.monthly_cost, a.excluded) for a in result.assessments
    ]
    eligible = [a for a in result.assessments if a.eligible]
    if len(eligible) > 1:
        assert result.runner_up is not None
        assert result.runner_up.option != result.winner.option
    else:
        assert result.runner_up is None
    assert result.winner.reasons_for, "the winner comes with its reasons"
    if phrase:
        assert any(phrase in reason for reason in result.winner.reasons_for), result.winner.reasons_for


def test_hard_constraints_exclude_with_the_reason():
    result = recommend(Answers(needs_gpu=True, patching="team"), pricer())
    excluded = {a.option: a.excluded for a in result.assessments if a.excluded}
    assert set(excluded) == {
        "fargate",
        "beanstalk",
        "app_runner",
        "lightsail_instance",
        "lightsail_container",
        "ecs_express",
    }
    assert any("App Runner closed to new customers on 2026-04-30" in r for r in excluded["app_runner"])
    assert any("only ECS on EC2 runs containers on GPU instances" in r for r in excluded["fargate"])


def test_the_budget_ceiling_excludes_what_costs_more():
    result = recommend(Answers(vcpu=D(2), memory_gib=D(4), replicas=4, budget_usd=D(100)), pricer())
    for item in result.assessments:
        if item.monthly_cost is not None and item.monthly_cost > 100:
            assert any("above your $100.00 ceiling" in r for r in item.excluded)


def test_it_says_what_would_change_the_answer():
    result = recommend(
        Answers(
            workload="web",
            vcpu=D("0.5"),
            memory_gib=D(1),
            replicas=3,
            experience="expert",
            patching="team",
            replicas_next_year=40,
        ),
        pricer(),
    )
    assert result.changes, "crossing points or next year's growth are named"
    assert all(sentence.endswith(".") for sentence in result.changes)


def test_the_rules_are_data_a_test_can_read():
    from compute_advisor.wizard.rules import ALL, RULES

    assert len({rule.name for rule in RULES}) == len(RULES)
    for rule in RULES:
        assert set(rule.effects) <= set(ALL), rule.name
        assert rule.reason
