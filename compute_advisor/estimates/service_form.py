"""An application's services on the comparison form: one small form per service (a formset), each field tied to
the `Service` field it edits, and everything derived from that one table, as `scenario_form` does for the
one-service form: the fields' declarations, service form -> scenario, scenario -> URL query, an engine error's
path -> the field it belongs beside, and the query edits of the "Add a service" and "Remove" buttons.

The formset's fields travel in the comparison URL as `svc-<index>-<field>` (Django's formset names), so a
link to an application reproduces its page.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from compute_advisor.engine.declaration import FieldSpec, field_spec
from compute_advisor.engine.money import plain
from compute_advisor.engine.presets import preset_profile
from compute_advisor.engine.scaling import DAYS
from compute_advisor.engine.scenario import (
    MAX_SERVICES,
    AlwaysOn,
    Autoscaling,
    Hourly,
    Scheduled,
    Service,
    StepScaling,
    TargetTracking,
)
from compute_advisor.lib import dotted

PREFIX = "svc"
TOTAL = f"{PREFIX}-TOTAL_FORMS"
INITIAL = f"{PREFIX}-INITIAL_FORMS"
ADD = "add_service"
USAGE_MODELS: dict[str, Any] = {
    "always_on": AlwaysOn,
    "scheduled": Scheduled,
    "hourly": Hourly,
    "autoscaling": Autoscaling,
}
POLICY_MODELS: dict[str, Any] = {"target_tracking": TargetTracking, "step": StepScaling}


@dataclass(frozen=True)
class ServiceField:
    name: str  # the form field, `svc-<index>-<name>` in the URL
    path: str  # the Service field it edits
    kinds: tuple[str, ...] = ()  # the usage kinds it belongs to (all when empty)
    policies: tuple[str, ...] = ()  # the scaling policies it belongs to (all when empty)
    text: str = ""  # a list edited as text: "numbers", "steps" or "schedule"

    @property
    def spec(self) -> FieldSpec:
        """Its declaration; a field of one usage kind (or one policy) reads that member's, so "replicas" of a
        scheduled run says "Tasks each run starts." and a step policy's "below" is found at all."""
        rest = self.path.removeprefix("usage.")
        if rest == self.path or len(self.kinds) != 1:
            return field_spec(Service, self.path)
        model = USAGE_MODELS[self.kinds[0]]
        if rest.startswith("policy.") and len(self.policies) == 1:
            model, rest = POLICY_MODELS[self.policies[0]], rest.removeprefix("policy.")
        return replace(field_spec(model, rest), path=self.path)


SCHEDULED = ("scheduled",)
SCALING = ("autoscaling",)
FIELDS: tuple[ServiceField, ...] = (
    ServiceField("name", "name"),
    ServiceField("vcpu", "workload.vcpu"),
    ServiceField("memory_gib", "workload.memory_gib"),
    ServiceField("architecture", "workload.architecture"),
    ServiceField("os", "workload.os"),
    ServiceField("ephemeral_storage_gib", "workload.ephemeral_storage_gib"),
    ServiceField("disk_gib", "workload.disk_gib"),
    ServiceField("cpu_utilization_percent", "workload.cpu_utilization_percent"),
    ServiceField("load_balanced", "load_balanced"),
    ServiceField("usage_kind", "usage.kind"),
    # As on the one-service form: the replicas always on and a run's tasks are two fields, so switching the
    # usage never turns 3 replicas into 3 tasks a run.
    ServiceField("replicas", "usage.replicas", kinds=("always_on",)),
    ServiceField("tasks_per_run", "usage.replicas", kinds=SCHEDULED),
    ServiceField("runs_per_day", "usage.runs_per_day", kinds=SCHEDULED),
    ServiceField("minutes_per_run", "usage.minutes_per_run", kinds=SCHEDULED),
    ServiceField("days_per_month", "usage.days_per_month", kinds=SCHEDULED),
    ServiceField("profile", "usage.replicas_by_hour", kinds=("hourly",), text="numbers"),
    ServiceField("min_replicas", "usage.min_replicas", kinds=SCALING),
    ServiceField("max_replicas", "usage.max_replicas", kinds=SCALING),
    ServiceField("policy_type", "usage.policy.type", kinds=SCALING),
    ServiceField("metric", "usage.policy.metric", kinds=SCALING),
    ServiceField("target", "usage.policy.target", kinds=SCALING, policies=("target_tracking",)),
    ServiceField("steps", "usage.policy.steps", kinds=SCALING, policies=("step",), text="steps"),
    ServiceField("below", "usage.policy.below", kinds=SCALING, policies=("step",)),
    ServiceField("remove", "usage.policy.remove", kinds=SCALING, policies=("step",)),
    ServiceField("demand", "usage.demand_by_hour", kinds=SCALING, text="numbers"),
    ServiceField("schedule", "usage.schedule", kinds=SCALING, text="schedule"),
)
BY_NAME = {f.name: f for f in FIELDS}
# The one-service form's fields that a service has too, under the same names (what "Add a service" carries
# over from it into the first service).
SHARED_WITH_ONE_SERVICE_FORM = tuple(f.name for f in FIELDS if f.path.startswith(("workload.", "usage.")))


def belongs(field: ServiceField, kind: str | None, policy: str | None) -> bool:
    """Whether `field` is part of a service of usage `kind` scaled by `policy`."""
    if field.kinds and kind not in field.kinds:
        return False
    return not field.policies or policy in field.policies


def _initial(field: ServiceField) -> Any:
    if field.name == "usage_kind":
        return "always_on"
    if field.name == "policy_type":
        return "target_tracking"
    if field.name == "load_balanced":
        return ""  # the declaration's default: every service but scheduled runs
    value = field.spec.initial
    return Decimal(value) if isinstance(value, str) and field.spec.kind == "number" else value


# What a new service's form starts with: the declaration's defaults, or its examples where a field has none.
DEFAULTS: dict[str, Any] = {f.name: v for f in FIELDS if (v := _initial(f)) is not None}


# --- text forms of the lists ------------------------------------------------------------------------------


class TextProblem(ValueError):
    """A list typed as text that cannot be read; the message says how to write it."""


def split_numbers(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text.strip()) if part]


_STEP = re.compile(r"^(?P<above>[^:]+):\s*\+?(?P<add>\S+)$")


def parse_steps(text: str) -> list[dict[str, str]]:
    """ "70:+1, 85:+3" -> [{"above": "70", "add": "1"}, ...]; the engine checks the numbers themselves."""
    steps = []
    for part in (p.strip() for p in re.split(r"[,;\n]+", text) if p.strip()):
        match = _STEP.match(part)
        if match is None:
            raise TextProblem(f"“{part[:40]}” is not a step: write threshold:+replicas, e.g. 70:+1, 85:+3.")
        steps.append({"above": match["above"].strip(), "add": match["add"]})
    return steps


def steps_text(steps: Iterable[Mapping[str, Any]]) -> str:
    return ", ".join(f"{_text(step.get('above'))}:+{_text(step.get('add'))}" for step in steps)


_DAY_ABBREVIATIONS = {day[:3]: day for day in DAYS}
_HOURS = re.compile(r"^(\d{1,2})-(\d{1,2})$")
SCHEDULE_HELP = (
    "One action a line: days (all, weekdays, weekends or mon,tue,...), hours from-to, then min N and/or max N; "
    "e.g. “weekdays 8-18 min 4 max 20”."
)


def _days(word: str) -> Any:
    if word in ("all", "weekdays", "weekends"):
        return word
    days = []
    for name in (n.strip() for n in word.split(",") if n.strip()):
        day = _DAY_ABBREVIATIONS.get(name[:3])
        if day is None or not day.startswith(name):
            raise TextProblem(f"“{word[:40]}” is not a list of days: all, weekdays, weekends or mon,tue,...")
        days.append(day)
    return days


def parse_schedule(text: str) -> list[dict[str, Any]]:
    """ "weekdays 8-18 min 4 max 20" a line -> the scheduled actions; the engine checks the hours and counts."""
    actions = []
    for number, line in enumerate((ln.strip() for ln in re.split(r"[\n;]+", text) if ln.strip()), start=1):
        words = line.lower().split()
        action: dict[str, Any] = {}
        if words and not _HOURS.match(words[0]):
            action["days"] = _days(words.pop(0))
        hours = _HOURS.match(words.pop(0)) if words else None
        if hours is None:
            raise TextProblem(f"Line {number}: give the hours as from-to, e.g. 8-18. {SCHEDULE_HELP}")
        action["from_hour"], action["to_hour"] = hours[1], hours[2]
        while words:
            key = words.pop(0)
            if key not in ("min", "max") or not words or f"{key}_replicas" in action:
                raise TextProblem(f"Line {number}: after the hours, write min N and/or max N. {SCHEDULE_HELP}")
            action[f"{key}_replicas"] = words.pop(0)
        actions.append(action)
    return actions


def schedule_text(actions: Iterable[Mapping[str, Any]]) -> str:
    lines = []
    for action in actions:
        days = action.get("days", "all")
        words = [days if isinstance(days, str) else ",".join(str(d)[:3] for d in days)]
        words.append(f"{_text(action.get('from_hour'))}-{_text(action.get('to_hour'))}")
        for key in ("min", "max"):
            if action.get(f"{key}_replicas") is not None:
                words += [key, _text(action[f"{key}_replicas"])]
        lines.append(" ".join(words))
    return "\n".join(lines)


def _text(value: Any) -> str:
    return plain(value) if isinstance(value, Decimal) else str(value)


def list_text(field: ServiceField, value: Any) -> str:
    if field.text == "steps":
        return steps_text(value)
    if field.text == "schedule":
        return schedule_text(value)
    return ", ".join(_text(v) for v in value)


# --- form <-> scenario ---------------------------------------------------------------------------------------

LOAD_BALANCED = {"": None, "yes": True, "no": False}


def service_from_form(data: Mapping[str, Any]) -> dict[str, Any]:
    """The contract's service from a valid service form's cleaned data: each field of its usage kind (and
    scaling policy) that has a value, at its path."""
    kind, policy = data.get("usage_kind"), data.get("policy_type")
    service: dict[str, Any] = {}
    for field in FIELDS:
        if not belongs(field, kind, policy):
            continue
        value = data.get(field.name)
        if field.name == "load_balanced":
            value = LOAD_BALANCED.get(value or "")
        if value in (None, "", []):
            continue
        dotted.put(service, field.path, plain(value) if isinstance(value, Decimal) else value)
    return service


def service_query(service: Mapping[str, Any]) -> dict[str, str]:
    """A contract service as its form's fields (unprefixed): what a link or "Edit" fills the form with."""
    usage = service.get("usage") or {}
    kind = usage.get("kind")
    policy = (usage.get("policy") or {}).get("type") if isinstance(usage.get("policy"), Mapping) else None
    values: dict[str, str] = {}
    for field in FIELDS:
        if not belongs(field, kind, policy):
            continue
        value = dotted.get(service, field.path)
        if field.name == "load_balanced":
            values[field.name] = {True: "yes", False: "no"}.get(value, "")
            continue
        if value is None:
            continue
        values[field.name] = list_text(field, value) if field.text else _text(value)
    return values


def services_query(services: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """The formset's part of a comparison URL for these services (management fields first)."""
    listed = list(services)
    params = [(TOTAL, str(len(listed))), (INITIAL, "0")]
    for index, service in enumerate(listed):
        params += [(f"{PREFIX}-{index}-{name}", value) for name, value in service_query(service).items()]
    return params


def field_for(path: str, kind: str | None, policy: str | None) -> tuple[str | None, str]:
    """The service form field an engine error's path (inside the service: "usage.max_replicas") belongs
    beside, and what to say before the message: the item of a list at fault ("Value 3: ")."""
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        for field in FIELDS:
            if field.path == prefix and belongs(field, kind, policy):
                rest = parts[end:]
                lead = ""
                if field.text and rest and rest[0].isdigit():
                    what = {"numbers": "Value", "steps": "Step", "schedule": "Line"}[field.text]
                    lead = f"{what} {int(rest[0]) + 1}{': ' + ' '.join(rest[1:]) if rest[1:] else ''}: "
                return field.name, lead
    if parts[0] == "usage":
        return ("policy_type" if parts[1:2] == ["policy"] else "usage_kind"), ""
    return None, ""


# --- the buttons: add a service, remove the ticked ones ------------------------------------------------------


_INDEX = re.compile(rf"^{PREFIX}-(\d{{1,3}})-")


def total_forms(query: Mapping[str, Any]) -> int:
    """How many service forms a query holds: its TOTAL_FORMS, or when that is no number, one more than the
    highest index its fields name. Not capped: the formset refuses more than MAX_SERVICES itself."""
    text = str(query.get(TOTAL, ""))
    if text.isdigit():
        return int(text) if len(text) < 10 else MAX_SERVICES + 1  # never int() of a thousand digits
    indices = [int(found[1]) for key in query if (found := _INDEX.match(key))]
    return max(indices, default=-1) + 1


def _total(query: Mapping[str, Any]) -> int:
    return min(total_forms(query), MAX_SERVICES)


def is_application(query: Mapping[str, Any]) -> bool:
    """Whether a comparison URL describes an application (the services formset) rather than one service."""
    return TOTAL in query


def _new_name(taken: set[str]) -> str:
    number = len(taken) + 1
    while f"service-{number}" in taken:
        number += 1
    return f"service-{number}"


def _service_from_one_service_form(query: Any) -> dict[str, str]:
    """The one-service form's workload and usage, as the first service of an application."""
    values = {name: query.get(name) for name in SHARED_WITH_ONE_SERVICE_FORM if query.get(name) not in (None, "")}
    if values.get("usage_kind") == "hourly" and not values.get("profile") and query.get("preset"):
        # An unknown preset or replicas leave the profile empty, and its field says what is missing.
        with contextlib.suppress(KeyError, ValueError):
            values["profile"] = ", ".join(map(str, preset_profile(query["preset"], int(query.get("replicas", 1)))))
    return {"name": "app", **values}


NEW_SERVICE_FIELDS = ("vcpu", "memory_gib", "usage_kind", "replicas")


def edited_query(query: Any) -> list[tuple[str, str]] | None:
    """The comparison URL after the "Add a service" button or ticked "Remove" boxes, or None when the query
    asks for neither. Adding to the one-service form makes it an application: its workload and usage become
    the first service. A new service starts from the declaration's defaults, so the page prices at once."""
    application = is_application(query)
    adding = ADD in query
    removing = application and any(re.fullmatch(rf"{PREFIX}-\d+-DELETE", key) for key in query)
    if not adding and not removing:
        return None
    services: list[dict[str, str]] = []
    if application:
        for index in range(_total(query)):
            lead = f"{PREFIX}-{index}-"
            values = {key.removeprefix(lead): query.get(key) for key in query if key.startswith(lead)}
            if values.pop("DELETE", "") not in ("", "off", "false"):
                continue
            services.append(values)
        if not services and _total(query):
            services = [{}]  # an application keeps a service; its fields show what the form needs
    else:
        services = [_service_from_one_service_form(query)]
    if adding and len(services) < MAX_SERVICES:
        names = {str(s.get("name", "")) for s in services}
        # Its size and replicas; the URL leaves the other fields out and the form fills in their defaults.
        new = {name: _text(DEFAULTS[name]) for name in NEW_SERVICE_FIELDS}
        services.append(new | {"name": _new_name(names)})
    one_service_only = set(SHARED_WITH_ONE_SERVICE_FORM) | {"preset", ADD}
    params = [
        (key, value)
        for key in query
        if not key.startswith(f"{PREFIX}-") and key not in one_service_only
        for value in query.getlist(key)
    ]
    if ("submitted", "1") not in params:
        params.insert(0, ("submitted", "1"))
    params += [(TOTAL, str(len(services))), (INITIAL, "0")]
    for index, values in enumerate(services):
        params += [(f"{PREFIX}-{index}-{name}", str(value)) for name, value in values.items() if value is not None]
    return params
