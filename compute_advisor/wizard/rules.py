"""The wizard's rules, kept as data: each says when it applies, what it does to which options, and why.

A rule either excludes an option (a hard constraint) or moves its fit score up or down. The cost of each
option comes from the engine and adds to the score, so the winner fits the situation and costs little.
Everything here is plain Python that tests can read and check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from compute_advisor.engine.catalog import default_catalog
from compute_advisor.wizard.answers import Answers

# AWS's figures in the reasons come from the catalog, where each has its source.
_CATALOG = default_catalog()
APP_RUNNER_CLOSED = next(
    n.effective.isoformat() for n in _CATALOG.notices["app_runner"] if n.kind == "closed" and n.effective
)
LIGHTSAIL_MAX_NODES = _CATALOG.lightsail_container_max_scale

EXCLUDE = None
ALL = ("ecs_ec2", "fargate", "beanstalk", "app_runner", "lightsail_instance", "lightsail_container", "ecs_express")
SERVERLESS = ("fargate", "ecs_express", "app_runner", "lightsail_container")
SERVERS = ("ecs_ec2", "beanstalk", "lightsail_instance")


@dataclass(frozen=True)
class Rule:
    name: str
    applies: Callable[[Answers], bool]
    effects: dict[str, int | None]  # option -> score change, or EXCLUDE
    reason: str  # said of each option the rule touches; {option} is its name


RULES: tuple[Rule, ...] = (
    # Hard constraints.
    Rule(
        "gpu",
        lambda a: a.needs_gpu,
        {code: EXCLUDE for code in ALL if code != "ecs_ec2"},
        "GPUs: only ECS on EC2 runs containers on GPU instances (Fargate, App Runner and Lightsail have none)",
    ),
    Rule(
        "privileged",
        lambda a: a.needs_privileged,
        {"fargate": EXCLUDE, "ecs_express": EXCLUDE, "app_runner": EXCLUDE, "lightsail_container": EXCLUDE},
        "privileged containers and host daemons need a host you control, which {option} does not give",
    ),
    Rule(
        "windows",
        lambda a: a.windows,
        {
            "app_runner": EXCLUDE,
            "lightsail_container": EXCLUDE,
            "ecs_express": EXCLUDE,
            "beanstalk": EXCLUDE,
            "lightsail_instance": EXCLUDE,
        },
        "Windows containers run on Fargate and on ECS on EC2 Windows instances, not on {option}",
    ),
    Rule(
        "new_to_app_runner",
        lambda a: not a.existing_app_runner,
        {"app_runner": EXCLUDE},
        f"App Runner closed to new customers on {APP_RUNNER_CLOSED}; AWS points new users to ECS Express Mode",
    ),
    Rule(
        "ssh",
        lambda a: a.needs_ssh,
        {code: EXCLUDE for code in SERVERLESS},
        "you need SSH or root on the machine, and {option} has no server to log in to",
    ),
    Rule(
        "long_requests",
        lambda a: a.long_requests and "web" in a.kinds,
        {"app_runner": EXCLUDE},
        "App Runner ends any request after 120 seconds",
    ),
    Rule(
        "vpc_control",
        lambda a: a.vpc_control,
        {"lightsail_instance": EXCLUDE, "lightsail_container": EXCLUDE, "app_runner": -20},
        "compliance needs control of the VPC (subnets, security groups, flow logs), which {option} keeps to itself",
    ),
    Rule(
        "lightsail_scale",
        lambda a: max(a.peak_replicas, a.replicas_next_year or 0) > LIGHTSAIL_MAX_NODES,
        {"lightsail_container": EXCLUDE},
        f"a Lightsail container service stops at {LIGHTSAIL_MAX_NODES} nodes",
    ),
    Rule(
        "batch_not_for_web_services",
        lambda a: a.kinds == {"batch"},
        {
            "ecs_express": EXCLUDE,
            "app_runner": EXCLUDE,
            "lightsail_container": -25,
            "lightsail_instance": -25,
            "beanstalk": -20,
            "fargate": 20,
            "ecs_ec2": 5,
        },
        "scheduled batch jobs: {option}",
    ),
    # Preferences.
    Rule(
        "no_patching",
        lambda a: a.patching == "nobody",
        {
            "fargate": 15,
            "ecs_express": 15,
            "app_runner": 15,
            "lightsail_container": 15,
            "ecs_ec2": -20,
            "beanstalk": -5,
            "lightsail_instance": -15,
        },
        "nobody on the team patches servers: {option}",
    ),
    Rule(
        "team_patches",
        lambda a: a.patching == "team",
        {"ecs_ec2": 10, "beanstalk": 5},
        "the team already patches servers, so {option}'s instances are no extra burden",
    ),
    Rule(
        "new_to_containers",
        lambda a: a.experience == "new",
        {
            "lightsail_container": 15,
            "ecs_express": 15,
            "app_runner": 15,
            "lightsail_instance": 10,
            "beanstalk": 5,
            "ecs_ec2": -20,
        },
        "the team is new to containers: {option}",
    ),
    Rule(
        "container_experts",
        lambda a: a.experience == "expert",
        {"ecs_ec2": 10, "fargate": 5},
        "the team knows containers well and can run {option} to its full extent",
    ),
    Rule(
        "autoscaling",
        lambda a: a.has_peaks,
        {"lightsail_instance": -25, "lightsail_container": -20, "fargate": 10, "ecs_express": 10, "app_runner": 5},
        "the load has peaks: {option}",
    ),
    Rule(
        "mostly_idle",
        lambda a: a.mostly_idle_web,
        {"app_runner": 15, "fargate": 5},
        "the service is mostly idle: {option}",
    ),
    Rule(
        "whole_server",
        lambda a: "server" in a.kinds,
        {"lightsail_instance": 25, "ecs_ec2": 5, "lightsail_container": -10},
        "you want a whole server (a VPS): {option}",
    ),
    Rule(
        "many_servers",
        lambda a: a.running_replicas > 4,
        {"lightsail_instance": -30},
        "{option}: every replica is a separate server, deployed to and updated by hand, with no orchestration",
    ),
    # An application of several services (the wizard asks about each).
    Rule(
        "several_services",
        lambda a: len(a.parts) > 1,
        {"ecs_ec2": 5, "fargate": 5, "ecs_express": 5, "lightsail_instance": -20},
        "several services: {option}",
    ),
    Rule(
        "jobs_beside_services",
        lambda a: "batch" in a.kinds and len(a.kinds) > 1,
        {"fargate": 10, "ecs_ec2": 5, "beanstalk": -10, "lightsail_instance": -10, "lightsail_container": -10},
        "a scheduled job beside the services: {option}",
    ),
    Rule(
        "fast_startup",
        lambda a: a.fast_startup,
        {"lightsail_instance": -10, "lightsail_container": -10, "fargate": -5, "ecs_ec2": 5},
        "new capacity must start within seconds: {option}",
    ),
)

# What each rule says of the options it touches, in plain words, by direction.
GOOD = {
    "no_patching": "AWS runs and patches the machines, so nobody has to",
    "new_to_containers": "it is the simplest way to get a container running",
    "autoscaling": "it scales the replicas with the load",
    "mostly_idle": "it costs little while idle",
    "whole_server": "you get a whole server for a flat monthly price",
    "batch_not_for_web_services": "it runs scheduled tasks and bills only while they run",
    "fast_startup": "instances already running take new tasks in seconds",
    "container_experts": "the team can use every knob it offers",
    "team_patches": "the team already patches servers",
    "several_services": "it runs every service of the application together, behind one shared load balancer",
    "jobs_beside_services": "its scheduled job runs as tasks of the same cluster, billed only while they run",
}
BAD = {
    "many_servers": "every replica would be a separate server to deploy to and update by hand",
    "no_patching": "someone would have to patch and update its servers",
    "new_to_containers": "it asks for cluster, capacity and instance know-how",
    "autoscaling": "it does not scale by itself, so you pay for the peak all the time",
    "whole_server": "it is not a whole server of your own",
    "batch_not_for_web_services": "it keeps running between runs",
    "fast_startup": "new capacity takes tens of seconds or more to start",
    "vpc_control": "it does not give you full control of the VPC",
    "several_services": "each service would be servers of its own, deployed to and updated by hand",
    "jobs_beside_services": "its scheduled job keeps capacity running between runs",
}
