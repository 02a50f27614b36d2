"""The scenario of docs/CONTRACT.md, declared once: each field's bounds, default, title and description.

The API's schema and validation, the comparison form and its URL, and the CLI's messages all come from
these models (see `engine.declaration`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, field_validator, model_validator

from compute_advisor.engine.declaration import (
    Declared,
    FieldErrors,
    ScenarioError,
    amount,
    choice,
    labelled,
    parse,
)
from compute_advisor.engine.reference import SERVICE_CODES as OPTION_CODES

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
MAX_REPLICAS = 5000
# gp3 limits (Amazon EBS User Guide, "General Purpose SSD volumes"; the EC2 API reference's CreateVolume
# gives the 2,000 MiB/s maximum): 3,000 IOPS and 125 MiB/s at any size; at most 500 IOPS per GiB and
# 0.25 MiB/s per provisioned IOPS, up to 80,000 IOPS and 2,000 MiB/s (the field bounds).
GP3_BASELINE_IOPS = 3000
GP3_BASELINE_THROUGHPUT = 125
GP3_IOPS_PER_GIB = 500
GP3_THROUGHPUT_PER_IOPS = Decimal("0.25")

__all__ = ["OPTION_CODES", "Scenario", "ScenarioError", "parse_scenario"]


def _replicas(title: str, description: str, *, example: int | None = None) -> Any:
    return Field(
        ge=1, le=MAX_REPLICAS, title=title, description=description, examples=None if example is None else [example]
    )


class Workload(Declared):
    """What one replica (task, container, instance share) needs."""

    vcpu: Decimal = amount(
        gt=0,
        le=192,
        title="vCPU per replica",
        description="What one replica (task, container) needs, e.g. 0.5 or 2.",
        example=1,
    )
    memory_gib: Decimal = amount(
        gt=0,
        le=24576,
        title="Memory per replica (GiB)",
        description="E.g. 1 or 4. Fargate and App Runner round up to a valid size.",
        example=2,
    )
    architecture: Literal["x86_64", "arm64"] = choice(
        "x86_64",
        title="Architecture",
        description="Graviton (arm64) is cheaper where your image supports it.",
        labels={"x86_64": "x86_64 (Intel/AMD)", "arm64": "arm64 (Graviton)"},
    )
    os: Literal["linux", "windows"] = choice(
        "linux",
        title="Operating system",
        description="Windows containers run on Fargate and EC2 only.",
        labels={"linux": "Linux", "windows": "Windows"},
    )
    ephemeral_storage_gib: Decimal = amount(
        20,
        ge=0,
        le=200,
        title="Ephemeral storage per task (GiB)",
        description="Per Linux Fargate task, in whole GiB (a fraction rounds up): 20 are free, at most 200.",
    )
    disk_gib: Decimal = amount(
        30,
        gt=0,
        le=65536,
        title="EBS root volume per instance (GiB)",
        description="The root volume of each EC2 instance (ECS on EC2, Beanstalk).",
    )
    cpu_utilization_percent: Decimal = amount(
        50,
        ge=0,
        le=100,
        title="Average CPU use (%)",
        description="The share of its vCPU a replica keeps busy on average; burstable capacity (T-family "
        "instances, Lightsail) is judged and charged by it.",
    )


USAGE_KINDS = {"always_on": "Always on", "scheduled": "Scheduled runs", "hourly": "Hourly profile"}


def _kind(description: str) -> Any:
    return Field(title="Usage", description=description, json_schema_extra=labelled(USAGE_KINDS))


class AlwaysOn(Declared):
    """N replicas for all of `hours_per_month`."""

    kind: Literal["always_on"] = _kind("always_on: replicas all month.")
    replicas: int = _replicas("Replicas", "How many run at once.", example=2)


class Trigger(Declared):
    """What starts each scheduled run, priced as line items when the snapshot has its price."""

    kind: Literal["eventbridge_scheduler", "step_functions"] = choice(
        title="Trigger",
        description="What starts each run.",
        labels={"eventbridge_scheduler": "EventBridge Scheduler", "step_functions": "Step Functions"},
    )
    state_transitions_per_run: int = Field(
        default=4,
        ge=1,
        le=100000,
        title="State transitions a run",
        description="Step Functions: state transitions each run makes.",
    )


class Scheduled(Declared):
    """Short runs: N replicas start R times a day, each run lasting M minutes (batch jobs)."""

    kind: Literal["scheduled"] = _kind("scheduled: short runs (batch jobs).")
    replicas: int = _replicas("Replicas", "Tasks each run starts.", example=1)
    runs_per_day: Decimal = amount(
        gt=0, le=1440, title="Runs a day", description="How many times a day the job starts.", example=1
    )
    minutes_per_run: Decimal = amount(
        gt=0, le=1440, title="Minutes a run", description="How long each run lasts.", example=10
    )
    days_per_month: Decimal = amount(30, gt=0, le=31, title="Days a month", description="On how many days it runs.")
    trigger: Trigger | None = Field(default=None, description="What starts the runs (priced when known).")

    @model_validator(mode="after")
    def _fits_in_a_day(self) -> Scheduled:
        if self.runs_per_day * self.minutes_per_run > 1440:
            raise ValueError("runs_per_day x minutes_per_run is more than the 1,440 minutes of a day")
        return self


class Hourly(Declared):
    """Replicas needed in each hour of a day or a week; each hour weighs `hours_per_month / len(profile)`."""

    kind: Literal["hourly"] = _kind("hourly: replicas for each hour of a day or a week.")
    replicas_by_hour: list[Annotated[int, Field(ge=0, le=MAX_REPLICAS)]] = Field(
        title="Replicas by hour",
        description="24 values (a day) or 168 (a week, Monday 00:00 first).",
        json_schema_extra={"minItems": 24, "maxItems": 168},
    )

    @field_validator("replicas_by_hour")
    @classmethod
    def _a_day_or_a_week(cls, value: list[int]) -> list[int]:
        if len(value) not in (24, 168):
            raise ValueError(f"must hold 24 (a day) or 168 (a week) hourly values, not {len(value)}")
        if not any(value):
            raise ValueError("must need at least one replica in some hour")
        return value


Usage = Annotated[AlwaysOn | Scheduled | Hourly, Field(discriminator="kind")]


def _traffic(title: str, description: str, *, gt: float | None = None, le: float = 10**7) -> Any:
    return amount(None, ge=None if gt is not None else 0, gt=gt, le=le, title=title, description=description)


class Traffic(Declared):
    """Monthly data transfer out and the request rate (load balancer capacity units come from these)."""

    data_transfer_out_gib: Decimal = amount(
        0, ge=0, le=10**9, title="Data out to the internet (GB/month)", description="The first 100 GB are free."
    )
    data_transfer_in_gib: Decimal = amount(
        0,
        ge=0,
        le=10**9,
        title="Data in from the internet (GB/month)",
        description="Free on AWS, but Lightsail counts it against a plan's allowance.",
    )
    requests_per_second: Decimal = amount(
        0, ge=0, le=10**7, title="Requests a second", description="Average; load balancer capacity units come from it."
    )
    avg_response_kib: Decimal = amount(
        0,
        ge=0,
        le=10**7,
        title="Average response (KB)",
        description="With the requests, the bytes a load balancer processes (KB of 1,000 bytes, as AWS counts "
        "them in its load balancer pricing examples).",
    )
    # Extensions (optional): what a load balancer's capacity units are derived from, when known.
    avg_request_kib: Decimal | None = _traffic("Average request (KB)", "KB a request sends, when known.")
    new_connections_per_second: Decimal | None = _traffic(
        "New connections a second", "When known; otherwise requests a second / requests a connection."
    )
    requests_per_connection: Decimal | None = _traffic(
        "Requests a connection",
        "Requests a kept-alive connection carries; 5 when unknown, as in AWS's load balancer pricing example.",
        gt=0,
        le=10**6,
    )
    connection_seconds: Decimal | None = _traffic(
        "Connection length (seconds)",
        "How long a connection stays open; 120 seconds when unknown, as in AWS's pricing example.",
        gt=0,
        le=86400,
    )
    rules_per_request: int | None = Field(
        default=None,
        ge=0,
        le=1000,
        title="Listener rules a request",
        description="ALB rule evaluations per request; the first 10 are free.",
    )
    processed_gb_per_hour: Decimal | None = _traffic(
        "Processed GB an hour", "Bytes the load balancer processes, when known (else derived from the requests)."
    )


class EcsEc2Settings(Declared):
    instance_types: list[str] | None = Field(
        default=None,
        title="ECS on EC2: instance types",
        description="Pin the instance types to choose from, e.g. m7g.large; none lets the engine choose.",
        max_length=50,
    )
    ebs_volume_type: Literal["gp3", "gp2"] = choice(
        "gp3", title="EBS volume type", description="The root volumes' type.", labels={"gp3": "gp3", "gp2": "gp2"}
    )
    ebs_iops: int = Field(default=3000, ge=3000, le=80000, title="gp3 IOPS", description="3,000 are included.")
    ebs_throughput_mibps: int = Field(
        default=125, ge=125, le=2000, title="gp3 throughput (MiB/s)", description="125 MiB/s are included."
    )
    network_mode: Literal["awsvpc", "bridge", "host"] = choice(
        "awsvpc",
        title="Network mode",
        description="awsvpc gives each task its own network interface, which limits tasks per instance.",
        labels={"awsvpc": "awsvpc", "bridge": "bridge", "host": "host"},
    )
    eni_trunking: StrictBool = Field(
        default=False, title="ENI trunking", description="Raises the awsvpc task limit on the types that support it."
    )
    reserved_memory_mib: int = Field(
        default=256,
        ge=0,
        le=65536,
        title="Reserved memory (MiB)",
        description="ECS_RESERVED_MEMORY on each instance: kept for the OS and the agents (256, AWS's example).",
    )


class BeanstalkSettings(Declared):
    instance_type: str | None = Field(
        default=None, max_length=40, title="Beanstalk: instance type", description="Pin one, e.g. t3.small."
    )
    environment: Literal["single_instance", "load_balanced"] | None = choice(
        None,
        title="Beanstalk: environment",
        description="Chosen from the replicas when not given.",
        labels={"single_instance": "Single instance", "load_balanced": "Load balanced"},
    )
    ebs_volume_type: Literal["gp3", "gp2"] = choice(
        "gp3", title="EBS volume type", description="The instances' root volumes.", labels={"gp3": "gp3", "gp2": "gp2"}
    )


class AppRunnerSettings(Declared):
    active_hours_per_day: Decimal | None = amount(
        None, ge=0, le=24, title="App Runner: active hours a day", description="Hours a day it handles requests."
    )
    min_instances: int = Field(
        default=1, ge=1, le=25, title="App Runner: minimum instances", description="Provisioned instances kept warm."
    )
    automatic_deployments: StrictBool = Field(
        default=False, title="Automatic deployments", description="Deploy on each push: a monthly fee."
    )
    build_minutes_per_month: Decimal = amount(
        0, ge=0, le=10**6, title="Build minutes a month", description="Builds from source, per build-minute."
    )
    existing_account: StrictBool = Field(
        default=False,
        title="App Runner: account already uses it",
        description="App Runner is closed to new customers since 2026-04-30: it is ranked only for an account "
        "that already uses it.",
    )


class LightsailInstanceSettings(Declared):
    bundle: str | None = Field(
        default=None, max_length=40, title="Lightsail: bundle", description="Pin a bundle, e.g. medium_3_0."
    )


class LightsailContainerSettings(Declared):
    power: str | None = Field(
        default=None, max_length=40, title="Lightsail containers: power", description="Pin a power, e.g. micro."
    )


class EcsExpressSettings(Declared):
    services_sharing_alb: int = Field(
        default=1,
        ge=1,
        le=25,
        title="Express Mode: services sharing the ALB",
        description="Express Mode services in the VPC that share one load balancer.",
    )


class FargateSettings(Declared):
    pass


class Resilience(Declared):
    """How the replicas of a service spread over Availability Zones."""

    min_zones: int = Field(
        default=2,
        ge=1,
        le=6,
        title="Availability Zones",
        description="A service of 2 or more replicas runs on at least this many instances (no more than its "
        "replicas), each in its own zone, where the option runs instances; 1 turns this off.",
    )


class OptionSettings(Declared):
    """Per-option pins; without one the engine chooses the cheapest configuration that fits."""

    ecs_ec2: EcsEc2Settings = EcsEc2Settings()
    fargate: FargateSettings = FargateSettings()
    beanstalk: BeanstalkSettings = BeanstalkSettings()
    app_runner: AppRunnerSettings = AppRunnerSettings()
    lightsail_instance: LightsailInstanceSettings = LightsailInstanceSettings()
    lightsail_container: LightsailContainerSettings = LightsailContainerSettings()
    ecs_express: EcsExpressSettings = EcsExpressSettings()


class Scenario(Declared):
    """A workload to price on every way of running it (docs/CONTRACT.md)."""

    region: str = Field(title="Region", description="An AWS region code, e.g. us-east-1.", examples=["us-east-1"])
    workload: Workload
    usage: Usage
    hours_per_month: Decimal = amount(
        730, ge=1, le=744, title="Hours a month", description="730 is AWS's convention; at most 744."
    )
    traffic: Traffic = Traffic()
    load_balancer: Literal["auto", "alb", "nlb", "none"] = choice(
        "auto",
        title="Load balancer",
        description="auto: an ALB where the option serves traffic with several replicas, none for a single "
        "instance or a batch job.",
        labels={"auto": "What each option needs", "alb": "Application (ALB)", "nlb": "Network (NLB)", "none": "None"},
    )
    public_ipv4: StrictBool = Field(
        default=True,
        title="Public IPv4 addresses",
        description="Whether tasks, instances and load balancers get public IPv4 addresses, which AWS charges by "
        "the address-hour.",
    )
    purchase: Literal["on_demand", "spot", "savings_plan_1y", "savings_plan_3y"] = choice(
        "on_demand",
        title="Purchase option",
        description="Options without this purchase model show why.",
        labels={
            "on_demand": "On-Demand",
            "spot": "Spot",
            "savings_plan_1y": "Compute Savings Plan, 1 year",
            "savings_plan_3y": "Compute Savings Plan, 3 years",
        },
    )
    options: list[Literal[OPTION_CODES]] = Field(  # type: ignore[valid-type]
        default=list(OPTION_CODES), title="Compare", description="Which ways of running it to price."
    )
    option_settings: OptionSettings = OptionSettings()
    resilience: Resilience = Resilience()
    name: str | None = Field(default=None, max_length=200, title="Name", description="What this workload is.")

    @field_validator("region")
    @classmethod
    def _region_code(cls, value: str) -> str:
        if not _REGION.match(value):
            raise ValueError(f"{value[:40]!r} is not an AWS region code such as us-east-1")
        return value

    @field_validator("options")
    @classmethod
    def _some_options_once_each(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("name at least one option to compare")
        if len(set(value)) != len(value):
            raise ValueError("lists an option more than once")
        return value

    @model_validator(mode="after")
    def _runs_fit_in_the_month(self) -> Scenario:
        usage = self.usage
        if isinstance(usage, Scheduled):
            hours = usage.runs_per_day * usage.minutes_per_run * usage.days_per_month / 60
            if hours > self.hours_per_month:
                raise ValueError(
                    f"the runs take {hours.normalize():f} hours a month, more than hours_per_month "
                    f"({self.hours_per_month.normalize():f})"
                )
        return self

    @model_validator(mode="after")
    def _within_aws_limits(self) -> Scenario:
        """AWS's limits on settings that depend on one another: breaking one is invalid input."""
        errors: dict[str, list[str]] = {}
        workload, ec2 = self.workload, self.option_settings.ecs_ec2
        if workload.os == "windows" and "fargate" in self.options and workload.ephemeral_storage_gib > 20:
            errors["workload.ephemeral_storage_gib"] = [
                "Fargate Windows tasks have no ephemeral storage setting (AWS gives them 20 GiB): leave it at 20, "
                "or leave Fargate out of the options"
            ]
        if ec2.ebs_volume_type == "gp3":
            most_iops = max(Decimal(GP3_BASELINE_IOPS), GP3_IOPS_PER_GIB * workload.disk_gib)
            if ec2.ebs_iops > most_iops:
                errors["option_settings.ecs_ec2.ebs_iops"] = [
                    f"a gp3 volume has at most {GP3_IOPS_PER_GIB} IOPS per GiB: {_plain(most_iops)} for "
                    f"{_plain(workload.disk_gib)} GiB (workload.disk_gib)"
                ]
            most_throughput = max(Decimal(GP3_BASELINE_THROUGHPUT), ec2.ebs_iops * GP3_THROUGHPUT_PER_IOPS)
            if ec2.ebs_throughput_mibps > most_throughput:
                errors["option_settings.ecs_ec2.ebs_throughput_mibps"] = [
                    f"a gp3 volume has at most {GP3_THROUGHPUT_PER_IOPS} MiB/s per provisioned IOPS: "
                    f"{_plain(most_throughput)} MiB/s for {ec2.ebs_iops} IOPS"
                ]
        if errors:
            raise FieldErrors(errors)
        return self

    @property
    def peak_replicas(self) -> int:
        usage = self.usage
        return max(usage.replicas_by_hour) if isinstance(usage, Hourly) else usage.replicas


def _plain(value: Decimal | int) -> str:
    return format(Decimal(value).normalize(), "f")


def parse_scenario(data: Any) -> Scenario:
    """Check `data` (already decoded JSON) against the contract; raise ScenarioError naming each bad field."""
    return parse(Scenario, data, what="scenario")
