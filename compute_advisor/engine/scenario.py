"""The scenario of docs/CONTRACT.md: parsed and checked, with a message for each bad field."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)

from compute_advisor.catalog.reference import SERVICE_CODES as OPTION_CODES

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
MAX_REPLICAS = 5000


class ScenarioError(ValueError):
    """Invalid input: `errors` maps each bad field's path (e.g. "workload.vcpu") to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{path}: {' '.join(messages)}" for path, messages in errors.items()))


_REQUIRED: Any = ...


def _amount(
    default: Any = _REQUIRED, *, gt: float | None = None, ge: float | None = None, le: float | None = None
) -> Any:
    if default is not _REQUIRED and default is not None:
        default = Decimal(default)
    return Field(default=default, gt=gt, ge=ge, le=le, allow_inf_nan=False)


def _is_number_field(annotation: Any) -> bool:
    return annotation in (Decimal, int, Decimal | None, int | None)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _numbers_are_numbers(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        cleaned = dict(data)
        for name, value in data.items():
            field = cls.model_fields.get(name)
            if field is None or not _is_number_field(field.annotation):
                continue
            # JSON true/false must not pass as 1/0 for a number: hand pydantic something it refuses.
            if isinstance(value, bool):
                cleaned[name] = "true" if value else "false"
            # A JSON number read as a float goes through its shortest text, never its binary value.
            if isinstance(value, float):
                cleaned[name] = Decimal(repr(value))
        return cleaned


class Workload(_Strict):
    vcpu: Decimal = _amount(gt=0, le=192)
    memory_gib: Decimal = _amount(gt=0, le=24576)
    architecture: Literal["x86_64", "arm64"] = "x86_64"
    os: Literal["linux", "windows"] = "linux"
    ephemeral_storage_gib: Decimal = _amount(20, ge=0, le=16384)
    disk_gib: Decimal = _amount(30, gt=0, le=65536)


class AlwaysOn(_Strict):
    kind: Literal["always_on"]
    replicas: int = Field(ge=1, le=MAX_REPLICAS)


class Trigger(_Strict):
    """What starts each scheduled run, priced as line items when the snapshot has its price."""

    kind: Literal["eventbridge_scheduler", "step_functions"]
    state_transitions_per_run: int = Field(default=4, ge=1, le=100000)


class Scheduled(_Strict):
    kind: Literal["scheduled"]
    replicas: int = Field(ge=1, le=MAX_REPLICAS)
    runs_per_day: Decimal = _amount(gt=0, le=1440)
    minutes_per_run: Decimal = _amount(gt=0, le=1440)
    days_per_month: Decimal = _amount(30, gt=0, le=31)
    trigger: Trigger | None = None

    @model_validator(mode="after")
    def _fits_in_a_day(self) -> Scheduled:
        if self.runs_per_day * self.minutes_per_run > 1440:
            raise ValueError("runs_per_day x minutes_per_run is more than the 1,440 minutes of a day")
        return self


class Hourly(_Strict):
    kind: Literal["hourly"]
    replicas_by_hour: list[Annotated[int, Field(ge=0, le=MAX_REPLICAS)]]

    @field_validator("replicas_by_hour")
    @classmethod
    def _a_day_or_a_week(cls, value: list[int]) -> list[int]:
        if len(value) not in (24, 168):
            raise ValueError(f"must hold 24 (a day) or 168 (a week) hourly values, not {len(value)}")
        if not any(value):
            raise ValueError("must need at least one replica in some hour")
        return value


Usage = Annotated[AlwaysOn | Scheduled | Hourly, Field(discriminator="kind")]


class Traffic(_Strict):
    data_transfer_out_gib: Decimal = _amount(0, ge=0, le=10**9)
    requests_per_second: Decimal = _amount(0, ge=0, le=10**7)
    avg_response_kib: Decimal = _amount(0, ge=0, le=10**7)
    # Extensions (optional): what a load balancer's capacity units are derived from, when known.
    avg_request_kib: Decimal | None = _amount(None, ge=0, le=10**7)
    new_connections_per_second: Decimal | None = _amount(None, ge=0, le=10**7)
    connection_seconds: Decimal | None = _amount(None, gt=0, le=86400)
    rules_per_request: int | None = Field(default=None, ge=0, le=1000)
    processed_gb_per_hour: Decimal | None = _amount(None, ge=0, le=10**7)


class EcsEc2Settings(_Strict):
    instance_types: list[str] | None = None
    ebs_volume_type: Literal["gp3", "gp2"] = "gp3"
    ebs_iops: int = Field(default=3000, ge=3000, le=80000)
    ebs_throughput_mibps: int = Field(default=125, ge=125, le=2000)
    network_mode: Literal["awsvpc", "bridge", "host"] = "awsvpc"
    eni_trunking: StrictBool = False
    reserved_memory_mib: int = Field(default=0, ge=0, le=65536)


class BeanstalkSettings(_Strict):
    instance_type: str | None = None
    environment: Literal["single_instance", "load_balanced"] | None = None
    ebs_volume_type: Literal["gp3", "gp2"] = "gp3"


class AppRunnerSettings(_Strict):
    active_hours_per_day: Decimal | None = _amount(None, ge=0, le=24)
    min_instances: int = Field(default=1, ge=1, le=25)
    automatic_deployments: StrictBool = False
    build_minutes_per_month: Decimal = _amount(0, ge=0, le=10**6)


class LightsailInstanceSettings(_Strict):
    bundle: str | None = None


class LightsailContainerSettings(_Strict):
    power: str | None = None


class EcsExpressSettings(_Strict):
    services_sharing_alb: int = Field(default=1, ge=1, le=25)


class FargateSettings(_Strict):
    pass


class OptionSettings(_Strict):
    ecs_ec2: EcsEc2Settings = EcsEc2Settings()
    fargate: FargateSettings = FargateSettings()
    beanstalk: BeanstalkSettings = BeanstalkSettings()
    app_runner: AppRunnerSettings = AppRunnerSettings()
    lightsail_instance: LightsailInstanceSettings = LightsailInstanceSettings()
    lightsail_container: LightsailContainerSettings = LightsailContainerSettings()
    ecs_express: EcsExpressSettings = EcsExpressSettings()


class Scenario(_Strict):
    region: str
    workload: Workload
    usage: Usage
    hours_per_month: Decimal = _amount(730, gt=0, le=744)
    traffic: Traffic = Traffic()
    load_balancer: Literal["auto", "alb", "nlb", "none"] = "auto"
    public_ipv4: StrictBool = True
    purchase: Literal["on_demand", "spot", "savings_plan_1y", "savings_plan_3y"] = "on_demand"
    options: list[Literal[OPTION_CODES]] = list(OPTION_CODES)  # type: ignore[valid-type]
    option_settings: OptionSettings = OptionSettings()
    name: str | None = Field(default=None, max_length=200)

    @field_validator("region")
    @classmethod
    def _region_code(cls, value: str) -> str:
        if not _REGION.match(value):
            raise ValueError(f"{value!r} is not an AWS region code such as us-east-1")
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

    @property
    def peak_replicas(self) -> int:
        usage = self.usage
        return max(usage.replicas_by_hour) if isinstance(usage, Hourly) else usage.replicas


def parse_scenario(data: Any) -> Scenario:
    """Check `data` (already decoded JSON) against the contract; raise ScenarioError naming each bad field."""
    if not isinstance(data, dict):
        raise ScenarioError({"": ["the scenario must be a JSON object"]})
    nul = _nul_path(data, "")
    if nul is not None:
        # No field can hold one, and PostgreSQL refuses to store one: say so before anything tries.
        raise ScenarioError({nul: ["must not contain NUL (\\u0000) characters"]})
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_errors(exc)) from None


def _nul_path(value: Any, path: str) -> str | None:
    """The path of the first string (key or value) holding a NUL character, if any."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and "\x00" in key:
                return path
            found = _nul_path(item, inner)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_path(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


_USAGE_TAGS = {"always_on", "scheduled", "hourly"}


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error["loc"]]
        # Drop the union tag pydantic adds to paths inside `usage` ("usage.always_on.replicas").
        if len(loc) > 1 and loc[0] == "usage" and loc[1] in _USAGE_TAGS:
            del loc[1]
        path = ".".join(loc)
        errors.setdefault(path, []).append(_message(error))
    return errors


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind == "union_tag_invalid":
        return "kind must be one of always_on, scheduled, hourly"
    if kind == "union_tag_not_found":
        return "needs a kind: always_on, scheduled or hourly"
    if kind in {"decimal_parsing", "decimal_type", "float_parsing"}:
        return 'must be a number (a JSON number or a decimal string such as "0.5")'
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "must be a whole number"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return "must be an object"
    if kind == "list_type":
        return "must be a list"
    if kind == "bool_type":
        return "must be true or false"
    if kind == "string_type":
        return "must be a string"
    message: str = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    message = message.replace("Input should be", "must be").replace("input should be", "must be")
    return message[:1].lower() + message[1:]
