"""The scenario of docs/CONTRACT.md, declared once: each field's bounds, default, title and description.

The API's schema and validation, the comparison form and its URL, and the CLI's messages all come from
these models (see `engine.declaration`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, StrictBool, field_validator, model_validator

from compute_advisor.engine.declaration import (
    Declared,
    FieldErrors,
    ScenarioError,
    amount,
    choice,
    labelled,
    numbers_as_read,
    parse,
)
from compute_advisor.engine.reference import SERVICE_CODES as OPTION_CODES
from compute_advisor.engine.scaling import DAYS as DAY_NAMES
from compute_advisor.engine.scaling import ScalingRun, simulate

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
MAX_REPLICAS = 5000
# gp3 limits (Amazon EBS User Guide, "General Purpose SSD volumes"; the EC2 API reference's CreateVolume
# gives the 2,000 MiB/s maximum): 3,000 IOPS and 125 MiB/s at any size; at most 500 IOPS per GiB and
# 0.25 MiB/s per provisioned IOPS, up to 80,000 IOPS and 2,000 MiB/s (the field bounds).
GP3_BASELINE_IOPS = 3000
GP3_BASELINE_THROUGHPUT = 125
GP3_IOPS_PER_GIB = 500
GP3_THROUGHPUT_PER_IOPS = Decimal("0.25")

__all__ = ["OPTION_CODES", "Scenario", "ScenarioError", "Service", "parse_scenario"]


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


USAGE_KINDS = {
    "always_on": "Always on",
    "scheduled": "Scheduled runs",
    "hourly": "Hourly profile",
    "autoscaling": "Service Auto Scaling",
}


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


SCALING_METRICS = {
    "cpu": "CPU (vCPU in use)",
    "memory": "Memory (GiB in use)",
    "requests_per_target": "Requests per target (requests a second arriving)",
}


class TargetTracking(Declared):
    """Keep the metric at `target`: desired replicas = ceil(demand / (per-replica capacity x target / 100)),
    or ceil(requests a second x 60 / target) for requests per target (a target per minute, as AWS's
    ALBRequestCountPerTarget)."""

    type: Literal["target_tracking"] = choice(
        title="Scaling policy", description="target_tracking or step.", labels={"target_tracking": "Target tracking"}
    )
    metric: Literal["cpu", "memory", "requests_per_target"] = choice(
        "cpu", title="Metric", description="What the demand measures.", labels=SCALING_METRICS
    )
    target: Decimal = amount(
        gt=0,
        le=10**7,
        title="Target",
        description="Percent of a replica's vCPU or memory (cpu, memory: at most 100), or requests per target "
        "per minute (requests_per_target).",
        example=60,
    )

    @model_validator(mode="after")
    def _percent_at_most_100(self) -> TargetTracking:
        if self.metric != "requests_per_target" and self.target > 100:
            raise FieldErrors({"target": [f"is a percentage of a replica's {self.metric}: at most 100"]})
        return self


class Step(Declared):
    """One step adjustment: when the metric is above `above`, add `add` replicas."""

    above: Decimal = amount(ge=0, le=10**7, title="Above", description="The metric's threshold.", example=70)
    add: int = Field(ge=1, le=MAX_REPLICAS, title="Add", description="Replicas to add.")


class StepScaling(Declared):
    """Each hour starts from the last hour's replicas: above a step's threshold the largest such step adds
    its replicas, below `below` `remove` go; then the min and max in force clamp it. With
    percent_change_in_capacity, add and remove are percents of the replicas running, rounded as Application
    Auto Scaling rounds them."""

    type: Literal["step"] = choice(
        title="Scaling policy", description="target_tracking or step.", labels={"step": "Step"}
    )
    metric: Literal["cpu", "memory", "requests_per_target"] = choice(
        "cpu", title="Metric", description="What the demand measures.", labels=SCALING_METRICS
    )
    steps: list[Step] = Field(min_length=1, max_length=20, title="Steps", description="Scale-out steps.")
    below: Decimal | None = amount(
        None, ge=0, le=10**7, title="Scale in below", description="The metric under which replicas are removed."
    )
    remove: int = Field(default=1, ge=1, le=MAX_REPLICAS, title="Remove", description="Replicas removed a step in.")
    adjustment: Literal["change_in_capacity", "percent_change_in_capacity"] = choice(
        "change_in_capacity",
        title="Adjustment type",
        description="Whether add and remove are replicas or percents of the replicas running.",
        labels={"change_in_capacity": "Replicas", "percent_change_in_capacity": "Percent of the replicas"},
    )
    min_adjustment_magnitude: int | None = Field(
        default=None,
        ge=1,
        le=MAX_REPLICAS,
        title="Minimum adjustment",
        description="With percents: the fewest replicas a step adds or removes.",
    )

    @model_validator(mode="after")
    def _thresholds_apart(self) -> StepScaling:
        thresholds = [step.above for step in self.steps]
        if len(set(thresholds)) != len(thresholds):
            raise FieldErrors({"steps": ["each step needs its own threshold"]})
        if self.below is not None and self.below >= min(thresholds):
            raise FieldErrors({"below": ["must be under the lowest step's threshold"]})
        if self.min_adjustment_magnitude is not None and self.adjustment != "percent_change_in_capacity":
            raise FieldErrors({"min_adjustment_magnitude": ["applies to percent_change_in_capacity only (as AWS's)"]})
        return self


ScalingPolicy = Annotated[TargetTracking | StepScaling, Field(discriminator="type")]


class ScheduledAction(Declared):
    """Sets the min and/or max replicas for the hours it covers (UTC): from_hour included, to_hour not."""

    days: Literal["all", "weekdays", "weekends"] | list[Literal[DAY_NAMES]] = Field(  # type: ignore[valid-type]
        default="all", title="Days", description="all, weekdays, weekends, or a list of day names."
    )
    from_hour: int = Field(ge=0, le=23, title="From hour", description="The first hour it covers (UTC).")
    to_hour: int = Field(ge=1, le=24, title="To hour", description="The hour it ends, not included (UTC).")
    min_replicas: int | None = Field(
        default=None, ge=0, le=MAX_REPLICAS, title="Min replicas", description="The min in force in these hours."
    )
    max_replicas: int | None = Field(
        default=None, ge=1, le=MAX_REPLICAS, title="Max replicas", description="The max in force in these hours."
    )

    @model_validator(mode="after")
    def _a_window_that_sets_something(self) -> ScheduledAction:
        if self.to_hour <= self.from_hour:
            raise FieldErrors({"to_hour": ["must be after from_hour (a window does not cross midnight)"]})
        if self.min_replicas is None and self.max_replicas is None:
            raise ValueError("sets neither min_replicas nor max_replicas")
        if isinstance(self.days, list) and (not self.days or len(set(self.days)) != len(self.days)):
            raise FieldErrors({"days": ["names each day once, and at least one"]})
        return self


class _Runs(dict[tuple[Decimal, Decimal], ScalingRun]):
    """A memo of simulations, which never makes two usages unequal (pydantic compares private attributes)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Runs)

    __hash__ = None


class Autoscaling(Declared):
    """Service Auto Scaling, simulated hour by hour: a policy follows the demand between the min and max in
    force (engine.scaling)."""

    kind: Literal["autoscaling"] = _kind("autoscaling: replicas follow a demand, as Service Auto Scaling does.")
    min_replicas: int = Field(ge=0, le=MAX_REPLICAS, title="Min replicas", description="The fewest it runs.")
    max_replicas: int = Field(ge=1, le=MAX_REPLICAS, title="Max replicas", description="The most it runs.")
    demand_by_hour: list[Annotated[Decimal, Field(ge=0, le=10**9, allow_inf_nan=False)]] = Field(
        title="Demand by hour",
        description="24 values (a day, every day) or 168 (a week, Monday 00:00 first, UTC): vCPU in use (cpu), "
        "GiB in use (memory) or requests a second (requests_per_target).",
        json_schema_extra={"minItems": 24, "maxItems": 168},
    )
    policy: ScalingPolicy
    schedule: list[ScheduledAction] = Field(
        default_factory=list, max_length=50, title="Scheduled actions", description="Min/max for some hours."
    )

    @field_validator("demand_by_hour", mode="before")
    @classmethod
    def _demand_numbers(cls, value: Any) -> Any:
        # Read as the scenario's own numbers are (no booleans, no float's binary value, no number of a
        # million digits), in one pass over the list.
        return numbers_as_read(value) if isinstance(value, list) else value

    @field_validator("demand_by_hour")
    @classmethod
    def _demand_a_day_or_a_week(cls, value: list[Decimal]) -> list[Decimal]:
        if len(value) not in (24, 168):
            raise ValueError(f"must hold 24 (a day) or 168 (a week) hourly values, not {len(value)}")
        return value

    # The simulation of this usage for each task size it was run for: a usage is checked (it must run a
    # replica) and then priced, and a model is frozen, so the run is worked out once.
    _runs: _Runs = PrivateAttr(default_factory=lambda: _Runs())

    def simulated(self, workload: Workload) -> ScalingRun:
        key = (workload.vcpu, workload.memory_gib)
        run = self._runs.get(key)
        if run is None:
            run = self._runs[key] = simulate(self, workload)
        return run

    @model_validator(mode="after")
    def _min_under_max(self) -> Autoscaling:
        if self.min_replicas > self.max_replicas:
            raise FieldErrors({"min_replicas": ["must be at most max_replicas"]})
        return self


Usage = Annotated[AlwaysOn | Scheduled | Hourly | Autoscaling, Field(discriminator="kind")]


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


def _as_ecs_allows(strategy: list[Any] | None) -> list[Any] | None:
    """ECS's rules for a capacity provider strategy (CapacityProviderStrategyItem): each provider named once,
    a base on one provider at most, and a weight above 0 somewhere so the tasks beyond the base have a home."""
    if strategy is None:
        return strategy
    providers = [share.provider for share in strategy]
    if len(set(providers)) != len(providers):
        raise ValueError("names a capacity provider more than once")
    if sum(1 for share in strategy if share.base) > 1:
        raise ValueError("only one capacity provider of a strategy may have a base (as ECS allows)")
    if not any(share.weight for share in strategy):
        raise ValueError("at least one capacity provider needs a weight above 0")
    return strategy


class ProviderShare(Declared):
    """One capacity provider of a strategy: the tasks it runs first (`base`) and its share of the rest."""

    provider: Literal["FARGATE", "FARGATE_SPOT"] = choice(
        title="Capacity provider",
        description="FARGATE (on demand) or FARGATE_SPOT.",
        labels={"FARGATE": "Fargate", "FARGATE_SPOT": "Fargate Spot"},
    )
    base: int = Field(default=0, ge=0, le=MAX_REPLICAS, title="Base", description="Tasks it runs first.")
    weight: int = Field(default=0, ge=0, le=1000, title="Weight", description="Its share of the other tasks.")


class ClusterProviderShare(ProviderShare):
    """One capacity provider of an ECS on EC2 cluster's strategy: its On-Demand or Spot Auto Scaling group, or
    Fargate beside them."""

    provider: Literal["on_demand", "spot", "FARGATE", "FARGATE_SPOT"] = choice(  # type: ignore[assignment]
        title="Capacity provider",
        description="The cluster's On-Demand or Spot Auto Scaling group, or FARGATE / FARGATE_SPOT.",
        labels={
            "on_demand": "On-Demand group",
            "spot": "Spot group",
            "FARGATE": "Fargate",
            "FARGATE_SPOT": "Fargate Spot",
        },
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
    capacity_provider_strategy: list[ClusterProviderShare] | None = Field(
        default=None,
        min_length=1,
        max_length=4,
        title="ECS on EC2: capacity provider strategy",
        description="How tasks split between the On-Demand and Spot groups and Fargate: the base first, the rest "
        "by weight.",
    )

    _strategy = field_validator("capacity_provider_strategy")(_as_ecs_allows)


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
    capacity_provider_strategy: list[ProviderShare] | None = Field(
        default=None,
        min_length=1,
        max_length=2,
        title="Fargate: capacity provider strategy",
        description="How tasks split between FARGATE and FARGATE_SPOT: the base first, the rest by weight.",
    )

    _strategy = field_validator("capacity_provider_strategy")(_as_ecs_allows)


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


_SERVICE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
MAX_SERVICES = 50


class Service(Declared):
    """One service of an application: its own task size and load; the load balancer may front it."""

    name: str = Field(
        min_length=1,
        max_length=63,
        title="Service name",
        description="Letters, digits, '-', '_' or '.', as ECS names a service, e.g. web.",
        examples=["web"],
    )
    workload: Workload
    usage: Usage
    load_balanced: StrictBool | None = Field(
        default=None,
        title="Behind the load balancer",
        description="Whether the load balancer fronts it; by default every service but scheduled runs.",
    )

    @field_validator("name")
    @classmethod
    def _ecs_name(cls, value: str) -> str:
        if not _SERVICE_NAME.match(value):
            raise ValueError("must start with a letter or digit and hold only letters, digits, '-', '_' or '.'")
        return value

    @property
    def fronted(self) -> bool:
        """Whether the load balancer fronts this service (scheduled runs are not fronted unless told)."""
        if self.load_balanced is not None:
            return self.load_balanced
        return not isinstance(self.usage, Scheduled)

    @model_validator(mode="after")
    def _scales_to_something(self) -> Service:
        check_scaling(self.usage, self.workload)
        return self


def check_scaling(usage: Any, workload: Workload) -> None:
    """An autoscaling usage must run a replica in some hour, and may not need more than its max can give."""
    if not isinstance(usage, Autoscaling):
        return
    if not any(usage.simulated(workload).replicas_by_hour):
        raise FieldErrors({"usage.min_replicas": ["with this demand the service runs no replica in any hour"]})


class Scenario(Declared):
    """A workload, or an application of several services, to price on every way of running it
    (docs/CONTRACT.md)."""

    region: str = Field(title="Region", description="An AWS region code, e.g. us-east-1.", examples=["us-east-1"])
    workload: Workload | None = Field(
        default=None, description="What one replica needs (the one-service form; or give services)."
    )
    usage: Usage | None = Field(default=None, description="How many replicas run when (the one-service form).")
    services: list[Service] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_SERVICES,
        title="Services",
        description="An application's services (1 to 50), each with its workload and usage, instead of the "
        "top-level workload and usage.",
    )
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
    def _one_form(self) -> Scenario:
        """Either the top-level workload and usage (one service) or services, never both."""
        if self.services is not None:
            given = [name for name in ("workload", "usage") if getattr(self, name) is not None]
            if given:
                raise FieldErrors(
                    {name: ["give services or the top-level workload and usage, not both"] for name in given}
                )
            names = [service.name for service in self.services]
            repeated = sorted({n for n in names if names.count(n) > 1})
            if repeated:
                raise FieldErrors({"services": [f"names {', '.join(repeated)} more than once"]})
            return self
        missing = {name: ["is required"] for name in ("workload", "usage") if getattr(self, name) is None}
        if missing:
            raise FieldErrors(missing)
        assert self.workload is not None
        check_scaling(self.usage, self.workload)
        return self

    @model_validator(mode="after")
    def _runs_fit_in_the_month(self) -> Scenario:
        for path, service in self._service_paths():
            usage = service.usage
            if isinstance(usage, Scheduled):
                hours = usage.runs_per_day * usage.minutes_per_run * usage.days_per_month / 60
                if hours > self.hours_per_month:
                    raise FieldErrors(
                        {
                            f"{path}usage": [
                                f"the runs take {hours.normalize():f} hours a month, more than hours_per_month "
                                f"({self.hours_per_month.normalize():f})"
                            ]
                        }
                    )
        return self

    def _service_paths(self) -> list[tuple[str, Service]]:
        """Each service with the path its fields have in this scenario ("" for the one-service form)."""
        if self.services is None:
            return [("", self.application[0])] if self.workload is not None and self.usage is not None else []
        return [(f"services.{index}.", service) for index, service in enumerate(self.services)]

    @property
    def application(self) -> tuple[Service, ...]:
        """The services priced: the listed ones, or the one-service form as one service named after the
        scenario ("app" when it has no name)."""
        if self.services is not None:
            return tuple(self.services)
        assert self.workload is not None and self.usage is not None, "a checked scenario has one form"
        return (_one_service(self.workload, self.usage),)

    @property
    def is_application(self) -> bool:
        """Whether the results speak per service: several services, or a usage the engine simulates."""
        return self.services is not None or isinstance(self.usage, Autoscaling)

    @model_validator(mode="after")
    def _within_aws_limits(self) -> Scenario:
        """AWS's limits on settings that depend on one another: breaking one is invalid input."""
        errors: dict[str, list[str]] = {}
        ec2 = self.option_settings.ecs_ec2
        for option in ("fargate", "ecs_ec2"):
            if getattr(self.option_settings, option).capacity_provider_strategy and self.purchase == "spot":
                errors[f"option_settings.{option}.capacity_provider_strategy"] = [
                    "a strategy says which tasks run on Spot: leave purchase at on_demand (or a Savings Plan) with it"
                ]
        for path, service in self._service_paths():
            workload = service.workload
            if workload.os == "windows" and "fargate" in self.options and workload.ephemeral_storage_gib > 20:
                errors[f"{path}workload.ephemeral_storage_gib"] = [
                    "Fargate Windows tasks have no ephemeral storage setting (AWS gives them 20 GiB): leave it at "
                    "20, or leave Fargate out of the options"
                ]
        disks = [(path, service.workload.disk_gib) for path, service in self._service_paths()]
        if ec2.ebs_volume_type == "gp3" and disks:
            # The cluster's instances share one volume setting: the smallest root volume bounds its IOPS.
            disk_path, disk_gib = min(disks, key=lambda item: item[1])
            most_iops = max(Decimal(GP3_BASELINE_IOPS), GP3_IOPS_PER_GIB * disk_gib)
            if ec2.ebs_iops > most_iops:
                errors["option_settings.ecs_ec2.ebs_iops"] = [
                    f"a gp3 volume has at most {GP3_IOPS_PER_GIB} IOPS per GiB: {_plain(most_iops)} for "
                    f"{_plain(disk_gib)} GiB ({disk_path}workload.disk_gib)"
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
        """The most replicas the one-service form runs at once (an autoscaling usage: as simulated)."""
        usage = self.usage
        assert usage is not None and self.workload is not None, "the one-service form"
        return peak_replicas(usage, self.workload)


def peak_replicas(usage: Any, workload: Workload) -> int:
    if isinstance(usage, Hourly):
        return max(usage.replicas_by_hour)
    if isinstance(usage, Autoscaling):
        return max(usage.simulated(workload).replicas_by_hour)
    replicas: int = usage.replicas
    return replicas


def _one_service(workload: Workload, usage: Any) -> Service:
    return Service.model_construct(name="app", workload=workload, usage=usage, load_balanced=None)


def _plain(value: Decimal | int) -> str:
    return format(Decimal(value).normalize(), "f")


def parse_scenario(data: Any) -> Scenario:
    """Check `data` (already decoded JSON) against the contract; raise ScenarioError naming each bad field."""
    return parse(Scenario, data, what="scenario")
