"""The wizard's questions as data: what a user tells us about their situation (plain Python)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, StrictBool, model_validator

from compute_advisor.engine.declaration import Declared, FieldErrors, amount, choice, parse
from compute_advisor.engine.presets import preset_profile
from compute_advisor.engine.scenario import MAX_REPLICAS

_REGION = r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$"


def _flag(title: str, description: str = "") -> Any:
    return Field(default=False, title=title, description=description)


# What one service is and how it is loaded: asked once for a single service, and for each of several.
WORKLOAD_LABELS = {
    "web": "A web service or API",
    "worker": "A background worker (queue consumer)",
    "batch": "A scheduled batch job",
    "server": "A whole server (a VPS)",
}
PATTERN_LABELS = {
    "steady": "Steady",
    "daily_peaks": "Daily peaks (busy office hours)",
    "spiky": "Spiky (sudden bursts)",
    "mostly_idle": "Mostly idle",
}
PEAKS = ("daily_peaks", "spiky")
MAX_WIZARD_SERVICES = 5  # the wizard asks about a few; the comparison form and the API take up to 50


def _vcpu() -> Any:
    return amount(1, gt=0, le=192, title="vCPU per replica", description="What one copy needs, e.g. 0.5 or 2.")


def _memory() -> Any:
    return amount(2, gt=0, le=24576, title="Memory per replica (GiB)", description="E.g. 1 or 4.")


def _replicas() -> Any:
    return Field(
        default=2,
        ge=1,
        le=MAX_REPLICAS,
        title="Replicas (at the busiest)",
        description="How many copies run at once when it is busiest.",
    )


def _pattern() -> Any:
    return choice(
        "steady",
        title="How does the load look?",
        description="Peaks favour options that scale by themselves; idle time favours paying per use.",
        labels=PATTERN_LABELS,
    )


def _runs_per_day() -> Any:
    return amount(1, gt=0, le=1440, title="Batch: runs a day", description="How many times a day the job starts.")


def _minutes_per_run() -> Any:
    return amount(10, gt=0, le=1440, title="Batch: minutes a run", description="How long each run lasts.")


def _check_runs_fit_in_a_day(part: Any) -> None:
    if part.workload == "batch" and part.runs_per_day * part.minutes_per_run > 1440:
        raise ValueError("the runs add up to more than a day (runs_per_day x minutes_per_run > 1,440 minutes)")


class ServiceAnswer(Declared):
    """One service of an application, as the wizard asks about it: what it is, its size and its load."""

    name: str = Field(
        default="web",
        min_length=1,
        max_length=63,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$",
        title="Service name",
        description="Letters, digits, '-', '_' or '.', e.g. web.",
    )
    workload: Literal["web", "worker", "batch"] = choice(
        "web",
        title="What is it?",
        description="A web service answers requests; a worker runs all the time; a batch job starts, works and stops.",
        labels={k: v for k, v in WORKLOAD_LABELS.items() if k != "server"},
    )
    vcpu: Decimal = _vcpu()
    memory_gib: Decimal = _memory()
    replicas: int = _replicas()
    pattern: Literal["steady", "daily_peaks", "spiky", "mostly_idle"] = _pattern()
    runs_per_day: Decimal = _runs_per_day()
    minutes_per_run: Decimal = _minutes_per_run()

    @model_validator(mode="after")
    def _runs_fit_in_a_day(self) -> ServiceAnswer:
        _check_runs_fit_in_a_day(self)
        return self


class Answers(Declared):
    """What a user tells the wizard about their situation, declared once: the wizard's pages, the API and
    `manage.py recommend` all read these fields, bounds and defaults."""

    shape: Literal["one", "several"] = choice(
        "one",
        title="One service or several?",
        description="Several services (a web service, a worker, a scheduled job) are priced together: one "
        "cluster, one load balancer in front of those that serve requests.",
        labels={"one": "One service", "several": "Several services, e.g. web + worker + a scheduled job"},
    )
    workload: Literal["web", "worker", "batch", "server"] = choice(
        "web",
        title="What is it?",
        description="A web service answers requests; a worker runs all the time; a batch job starts, works and stops.",
        labels=WORKLOAD_LABELS,
    )
    vcpu: Decimal = _vcpu()
    memory_gib: Decimal = _memory()
    replicas: int = _replicas()
    pattern: Literal["steady", "daily_peaks", "spiky", "mostly_idle"] = _pattern()
    requests_per_second: Decimal = amount(
        0, ge=0, le=10**7, title="Requests a second (web)", description="On average; 0 if it serves no requests."
    )
    data_transfer_out_gib: Decimal = amount(
        0, ge=0, le=10**9, title="Data out to the internet (GB a month)", description="The first 100 GB are free."
    )
    runs_per_day: Decimal = _runs_per_day()
    minutes_per_run: Decimal = _minutes_per_run()
    services: list[ServiceAnswer] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_WIZARD_SERVICES,
        title="Services",
        description="With several services: each one's kind, size and load (the top-level ones are then unused).",
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
        if not self.several:
            _check_runs_fit_in_a_day(self)
        names = [part.name for part in self.services or []]
        if len(set(names)) != len(names):
            raise FieldErrors({"services": ["give each service its own name"]})
        return self

    # What the rules read: the same questions for one service and for an application of several.
    @property
    def several(self) -> bool:
        """Whether the answers describe an application of several services (they were asked for each)."""
        return self.shape == "several" and bool(self.services)

    @property
    def parts(self) -> list[Any]:
        """Each service the answers describe: the listed ones, or these answers as the one service."""
        return list(self.services or []) if self.several else [self]

    @property
    def kinds(self) -> frozenset[str]:
        """What the services are: web, worker, batch, server."""
        return frozenset(part.workload for part in self.parts)

    @property
    def peak_replicas(self) -> int:
        """The most replicas any one service runs at once."""
        return max(part.replicas for part in self.parts)

    @property
    def running_replicas(self) -> int:
        """The replicas of the services that run all the time (web services and workers), added up."""
        return sum(part.replicas for part in self.parts if part.workload in ("web", "worker"))

    @property
    def has_peaks(self) -> bool:
        """Whether a service that runs all the time has a load with peaks."""
        return any(part.pattern in PEAKS and part.workload in ("web", "worker") for part in self.parts)

    @property
    def mostly_idle_web(self) -> bool:
        """Whether every service is a web service that is mostly idle (pay-per-use pays off)."""
        return all(part.workload == "web" and part.pattern == "mostly_idle" for part in self.parts)

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


def _usage(part: Any) -> dict[str, Any]:
    """The usage the wizard prices for one service's answers."""
    if part.workload == "batch":
        return {
            "kind": "scheduled",
            "replicas": part.replicas,
            "runs_per_day": format(part.runs_per_day, "f"),
            "minutes_per_run": format(part.minutes_per_run, "f"),
            "days_per_month": "30",
        }
    if part.workload in ("web", "worker") and part.pattern in PEAKS:
        return {"kind": "hourly", "replicas_by_hour": preset_profile("weekday_peak", part.replicas)}
    if part.workload == "server":
        return {"kind": "always_on", "replicas": 1}
    return {"kind": "always_on", "replicas": part.replicas}


def _workload(part: Any, answers: Answers) -> dict[str, Any]:
    return {
        "vcpu": format(part.vcpu, "f"),
        "memory_gib": format(part.memory_gib, "f"),
        "os": "windows" if answers.windows else "linux",
        "architecture": "arm64" if answers.arm_ok and not answers.windows else "x86_64",
    }


def scenario_for(answers: Answers) -> dict[str, Any]:
    """The contract scenario the wizard prices for these answers: one service's workload and usage, or an
    application of several services (web services behind the load balancer, workers and jobs not)."""
    app_runner: dict[str, Any] = {"existing_account": answers.existing_app_runner}
    if answers.mostly_idle_web:
        app_runner["active_hours_per_day"] = "2"
    # The comparison ranks App Runner only for an account that already uses it, as the wizard's rules do.
    settings: dict[str, Any] = {"app_runner": app_runner}
    scenario: dict[str, Any] = {"region": answers.region}
    if answers.several:
        scenario["services"] = [
            {
                "name": part.name,
                "workload": _workload(part, answers),
                "usage": _usage(part),
                "load_balanced": part.workload == "web",
            }
            for part in answers.parts
        ]
    else:
        scenario.update({"workload": _workload(answers, answers), "usage": _usage(answers)})
    return {
        **scenario,
        "traffic": {
            "requests_per_second": format(answers.requests_per_second, "f"),
            "data_transfer_out_gib": format(answers.data_transfer_out_gib, "f"),
            "avg_response_kib": "16" if answers.requests_per_second else "0",
        },
        "option_settings": settings,
    }
