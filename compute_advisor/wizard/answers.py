"""The wizard's questions as data: what a user tells us about their situation (plain Python)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, StrictBool, model_validator

from compute_advisor.engine.declaration import Declared, amount, choice, parse
from compute_advisor.engine.scenario import MAX_REPLICAS

_REGION = r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$"


def _flag(title: str, description: str = "") -> Any:
    return Field(default=False, title=title, description=description)


class Answers(Declared):
    """What a user tells the wizard about their situation, declared once: the wizard's pages, the API and
    `manage.py recommend` all read these fields, bounds and defaults."""

    workload: Literal["web", "worker", "batch", "server"] = choice(
        "web",
        title="What is it?",
        description="A web service answers requests; a worker runs all the time; a batch job starts, works and stops.",
        labels={
            "web": "A web service or API",
            "worker": "A background worker (queue consumer)",
            "batch": "A scheduled batch job",
            "server": "A whole server (a VPS)",
        },
    )
    vcpu: Decimal = amount(1, gt=0, le=192, title="vCPU per replica", description="What one copy needs, e.g. 0.5 or 2.")
    memory_gib: Decimal = amount(2, gt=0, le=24576, title="Memory per replica (GiB)", description="E.g. 1 or 4.")
    replicas: int = Field(
        default=2,
        ge=1,
        le=MAX_REPLICAS,
        title="Replicas (at the busiest)",
        description="How many copies run at once when it is busiest.",
    )
    pattern: Literal["steady", "daily_peaks", "spiky", "mostly_idle"] = choice(
        "steady",
        title="How does the load look?",
        description="Peaks favour options that scale by themselves; idle time favours paying per use.",
        labels={
            "steady": "Steady",
            "daily_peaks": "Daily peaks (busy office hours)",
            "spiky": "Spiky (sudden bursts)",
            "mostly_idle": "Mostly idle",
        },
    )
    requests_per_second: Decimal = amount(
        0, ge=0, le=10**7, title="Requests a second (web)", description="On average; 0 if it serves no requests."
    )
    data_transfer_out_gib: Decimal = amount(
        0, ge=0, le=10**9, title="Data out to the internet (GB a month)", description="The first 100 GB are free."
    )
    runs_per_day: Decimal = amount(
        1, gt=0, le=1440, title="Batch: runs a day", description="How many times a day the job starts."
    )
    minutes_per_run: Decimal = amount(
        10, gt=0, le=1440, title="Batch: minutes a run", description="How long each run lasts."
    )
    experience: Literal["new", "some", "expert"] = choice(
        "some",
        title="Experience with containers",
        description="How much the team has run containers before.",
        labels={"new": "New to containers", "some": "Some", "expert": "We run containers in production"},
    )
    patching: Literal["nobody", "team"] = choice(
        "nobody",
        title="Who patches servers?",
        description="Servers need OS updates and security patches; serverless options leave that to AWS.",
        labels={"nobody": "Nobody: we would rather not have servers", "team": "Our team already does"},
    )
    needs_ssh: StrictBool = _flag("We need SSH or root on the machine")
    needs_gpu: StrictBool = _flag("We need GPUs")
    needs_privileged: StrictBool = _flag("We need privileged containers or daemons on the host")
    windows: StrictBool = _flag("It is a Windows container")
    arm_ok: StrictBool = _flag(
        "Our image also runs on arm64 (Graviton)", "Graviton is cheaper for the same vCPU and memory."
    )
    existing_app_runner: StrictBool = _flag(
        "Our AWS account already uses App Runner",
        "App Runner is closed to new customers; accounts that already use it can go on.",
    )
    budget_usd: Decimal | None = amount(
        None, ge=1, le=10**8, title="Budget ceiling (USD a month)", description="Options above it are ruled out."
    )
    region: str = Field(
        default="us-east-1",
        pattern=_REGION,
        title="Region",
        description="Data residency: pick the region the data must stay in.",
    )
    vpc_control: StrictBool = _flag("Compliance needs control of the VPC (subnets, security groups)")
    long_requests: StrictBool = _flag("Some requests take longer than 2 minutes")
    fast_startup: StrictBool = _flag("New capacity must start within seconds")
    replicas_next_year: int | None = Field(
        default=None,
        ge=1,
        le=MAX_REPLICAS,
        title="Replicas you expect in a year",
        description="The recommendation says whether that growth would change the answer.",
    )

    @model_validator(mode="after")
    def _runs_fit_in_a_day(self) -> Answers:
        if self.workload == "batch" and self.runs_per_day * self.minutes_per_run > 1440:
            raise ValueError("the runs add up to more than a day (runs_per_day x minutes_per_run > 1,440 minutes)")
        return self

    def to_dict(self) -> dict[str, Any]:
        """The answers as JSON (decimals as strings), as the session and the API keep them."""
        return self.model_dump(mode="json")


def parse_answers(data: Any) -> Answers:
    """Check the wizard's answers (decoded JSON, or what a session kept); ScenarioError names each bad one."""
    return parse(Answers, data, what="answers")


# Active hours a day, by traffic pattern, for the profile the wizard prices.
PATTERN_PROFILES = {
    "daily_peaks": "weekday_peak",
    "spiky": "weekday_peak",
}


def scenario_for(answers: Answers) -> dict[str, Any]:
    """The contract scenario the wizard prices for these answers."""
    if answers.workload == "batch":
        usage: dict[str, Any] = {
            "kind": "scheduled",
            "replicas": answers.replicas,
            "runs_per_day": format(answers.runs_per_day, "f"),
            "minutes_per_run": format(answers.minutes_per_run, "f"),
            "days_per_month": "30",
        }
    elif answers.workload in ("web", "worker") and answers.pattern in ("daily_peaks", "spiky"):
        from compute_advisor.engine.presets import preset_profile

        usage = {"kind": "hourly", "replicas_by_hour": preset_profile("weekday_peak", answers.replicas)}
    elif answers.workload == "server":
        usage = {"kind": "always_on", "replicas": 1}
    else:
        usage = {"kind": "always_on", "replicas": answers.replicas}
    app_runner: dict[str, Any] = {"existing_account": answers.existing_app_runner}
    if answers.pattern == "mostly_idle" and answers.workload == "web":
        app_runner["active_hours_per_day"] = "2"
    # The comparison ranks App Runner only for an account that already uses it, as the wizard's rules do.
    settings: dict[str, Any] = {"app_runner": app_runner}
    return {
        "region": answers.region,
        "workload": {
            "vcpu": format(answers.vcpu, "f"),
            "memory_gib": format(answers.memory_gib, "f"),
            "os": "windows" if answers.windows else "linux",
            "architecture": "arm64" if answers.arm_ok and not answers.windows else "x86_64",
        },
        "usage": usage,
        "traffic": {
            "requests_per_second": format(answers.requests_per_second, "f"),
            "data_transfer_out_gib": format(answers.data_transfer_out_gib, "f"),
            "avg_response_kib": "16" if answers.requests_per_second else "0",
        },
        "option_settings": settings,
    }
