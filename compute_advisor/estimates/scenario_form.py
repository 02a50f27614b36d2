"""The comparison form's fields, each tied to the scenario field it edits, and everything derived from that
one table: the form's fields, bounds and defaults (from the engine's declaration), form -> scenario,
scenario -> URL query, and an engine error's path -> the form field it belongs beside.

The form is sent with GET, so the URL of a comparison carries its whole scenario: short names keep it
readable ("vcpu=1&memory_gib=2"), and the table below says which scenario field each name is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from compute_advisor.engine import OPTION_CODES, Scenario
from compute_advisor.engine.declaration import FieldSpec, field_spec
from compute_advisor.engine.money import plain
from compute_advisor.engine.scenario import MAX_SERVICES, AlwaysOn, Hourly, Scheduled
from compute_advisor.estimates.service_form import services_query
from compute_advisor.lib import dotted

# The usage kinds' own declarations: a field of one kind reads its kind's title and description.
USAGE_MODELS = {"always_on": AlwaysOn, "scheduled": Scheduled, "hourly": Hourly}


@dataclass(frozen=True)
class FormField:
    name: str  # the form field and URL parameter
    path: str  # the scenario field it edits
    kinds: tuple[str, ...] = ()  # the usage kinds it belongs to (all when empty)
    list_text: bool = False  # a list edited as text: "a, b" or "1 2 3"

    @property
    def spec(self) -> FieldSpec:
        if self.path.startswith("usage.") and len(self.kinds) == 1:
            # usage.replicas is "Tasks each run starts." for scheduled runs, "How many run at once." always on.
            member = field_spec(USAGE_MODELS[self.kinds[0]], self.path.removeprefix("usage."))
            return replace(member, path=self.path)
        return field_spec(Scenario, self.path)


SCHEDULED = ("scheduled",)
FIELDS: tuple[FormField, ...] = (
    FormField("name", "name"),
    FormField("region", "region"),
    FormField("vcpu", "workload.vcpu"),
    FormField("memory_gib", "workload.memory_gib"),
    FormField("architecture", "workload.architecture"),
    FormField("os", "workload.os"),
    FormField("ephemeral_storage_gib", "workload.ephemeral_storage_gib"),
    FormField("disk_gib", "workload.disk_gib"),
    FormField("cpu_utilization_percent", "workload.cpu_utilization_percent"),
    FormField("usage_kind", "usage.kind"),
    # Two fields edit usage.replicas, one per usage kind, so that the replicas typed for always-on never
    # become the tasks of a scheduled run (3 always on is common; 3 tasks a run is not).
    FormField("replicas", "usage.replicas", kinds=("always_on",)),
    FormField("tasks_per_run", "usage.replicas", kinds=SCHEDULED),
    FormField("runs_per_day", "usage.runs_per_day", kinds=SCHEDULED),
    FormField("minutes_per_run", "usage.minutes_per_run", kinds=SCHEDULED),
    FormField("days_per_month", "usage.days_per_month", kinds=SCHEDULED),
    FormField("profile", "usage.replicas_by_hour", kinds=("hourly",), list_text=True),
    FormField("hours_per_month", "hours_per_month"),
    FormField("min_zones", "resilience.min_zones"),
    FormField("data_transfer_out_gib", "traffic.data_transfer_out_gib"),
    FormField("data_transfer_in_gib", "traffic.data_transfer_in_gib"),
    FormField("requests_per_second", "traffic.requests_per_second"),
    FormField("avg_response_kib", "traffic.avg_response_kib"),
    FormField("load_balancer", "load_balancer"),
    FormField("public_ipv4", "public_ipv4"),
    FormField("purchase", "purchase"),
    FormField("options", "options"),
    FormField("pin_ec2_types", "option_settings.ecs_ec2.instance_types", list_text=True),
    FormField("pin_beanstalk_type", "option_settings.beanstalk.instance_type"),
    FormField("beanstalk_environment", "option_settings.beanstalk.environment"),
    FormField("apprunner_active_hours", "option_settings.app_runner.active_hours_per_day"),
    FormField("apprunner_min_instances", "option_settings.app_runner.min_instances"),
    FormField("apprunner_existing_account", "option_settings.app_runner.existing_account"),
    FormField("lightsail_bundle", "option_settings.lightsail_instance.bundle"),
    FormField("lightsail_power", "option_settings.lightsail_container.power"),
    FormField("express_sharing", "option_settings.ecs_express.services_sharing_alb"),
)


def per_service(field: FormField) -> bool:
    """Whether `field` is a service's own (its workload and usage): an application has one per service, in
    the services' forms (`service_form`), and the scenario's form keeps the rest."""
    return field.path.startswith(("workload.", "usage."))


def _belongs(field: FormField, kind: str | None) -> bool:
    """Whether `field` is part of a scenario of usage `kind` (fields of every kind have no kinds)."""
    return not field.kinds or kind in field.kinds


# Each scenario path's form field, for each usage kind: usage.replicas is "replicas" always on and
# "tasks_per_run" for scheduled runs (an hourly profile has no such path).
BY_KIND: dict[str, dict[str, FormField]] = {
    kind: {f.path: f for f in FIELDS if _belongs(f, kind)} for kind in USAGE_MODELS
}
# Each path's field when no usage kind is known: always-on's where two kinds share a path.
BY_PATH = {**BY_KIND["hourly"], **BY_KIND["scheduled"], **BY_KIND["always_on"]}
# For an hourly profile the replicas field shows its peak, so switching the usage keeps a sensible count.
PEAK = "replicas"


def _initial(field: FormField) -> Any:
    if field.name == "usage_kind":
        return "always_on"
    if field.name == "options":
        return list(OPTION_CODES)
    value = field.spec.initial
    if isinstance(value, str) and field.spec.kind == "number":
        return Decimal(value)
    return value


# What the form shows before the user changes anything: the declaration's defaults, or its examples where a
# field has no default (vcpu, memory, replicas, region).
DEFAULTS: dict[str, Any] = {f.name: v for f in FIELDS if (v := _initial(f)) is not None}


def field_for(path: str, kind: str | None = None) -> str | None:
    """The form field an engine error's path belongs beside (its longest prefix in the table), among the
    fields of usage `kind` when it is given: an error on usage.replicas goes beside "tasks_per_run" for
    scheduled runs."""
    fields = BY_KIND.get(kind, BY_PATH) if kind else BY_PATH
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        found = fields.get(".".join(parts[:end]))
        if found is not None:
            return found.name
    if parts[0] == "usage":
        return "usage_kind"
    return None


def _scenario_value(value: Any) -> Any:
    return plain(value) if isinstance(value, Decimal) else value


def scenario_from_form(data: dict[str, Any], *, services: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The contract's scenario from a valid form's cleaned data: each field that has a value, at its path;
    with `services` (an application's, from their own forms), those instead of the workload and usage.

    Fields of another usage kind are left out (usage.replicas is "replicas" always on, "tasks_per_run" for
    scheduled runs), and so are option settings left at their declared default.
    """
    kind = data.get("usage_kind")
    scenario: dict[str, Any] = {}
    for field in FIELDS:
        if services is not None and per_service(field):
            continue
        if not _belongs(field, kind):
            continue
        value = data.get(field.name)
        if value in (None, "", []) and field.spec.kind != "boolean":
            continue
        if field.path.startswith("option_settings.") and value == field.spec.default:
            continue
        dotted.put(scenario, field.path, _scenario_value(value))
    if services is not None:
        scenario["services"] = services
    return scenario


def _query_value(field: FormField, value: Any) -> list[str]:
    if isinstance(value, bool):
        return ["on"] if value else []
    if field.name == "options":
        return [str(v) for v in value]
    if field.list_text:
        separator = " " if field.name == "profile" else ", "  # a profile of numbers; names with commas
        return [separator.join(str(v) for v in value)]
    return [plain(value) if isinstance(value, Decimal) else str(value)]


def query_from_scenario(scenario: dict[str, Any], *, submitted: bool = True) -> str:
    """The comparison URL's query for a contract scenario (share links, re-pricing, the wizard, imports).

    `submitted=False` fills the form without comparing yet (an import to check first); only the fields the
    scenario gives are written then.
    """
    params: list[tuple[str, str]] = [("submitted", "1")] if submitted else []
    usage = scenario.get("usage") or {}
    kind = usage.get("kind")
    services = scenario.get("services")
    for field in FIELDS:
        if isinstance(services, list) and per_service(field):
            continue  # each service's own fields follow, in the services' forms
        if field.name == PEAK and kind == "hourly":
            value = max(usage["replicas_by_hour"]) if usage.get("replicas_by_hour") else None
        elif not _belongs(field, kind):
            continue  # another usage kind's field keeps the form's default (a run's tasks are not replicas)
        else:
            value = dotted.get(scenario, field.path)
        if value is None and submitted:
            if field.spec.kind == "boolean":
                value = field.spec.default
            elif field.name == "options":
                value = list(OPTION_CODES)
        if value is None:
            continue
        params += [(field.name, text) for text in _query_value(field, value)]
    if isinstance(services, list):
        params += services_query(s for s in services if isinstance(s, dict))
    return urlencode(params)


def split_list(text: str, *, numbers: bool) -> list[str]:
    """A list typed as text: separated by commas, semicolons or (for numbers) spaces."""
    pattern = r"[\s,;]+" if numbers else r"[,;]+"
    return [part.strip() for part in re.split(pattern, text.strip()) if part.strip()]


def editable(scenario: dict[str, Any]) -> dict[str, Any]:
    """A scenario as the comparison form edits it: a one-service scenario whose usage only the services'
    forms can hold (Service Auto Scaling) becomes an application of that one service, priced the same way
    (the engine prices such a usage as an application of one service named "app" already)."""
    usage = scenario.get("usage")
    if "services" in scenario or not isinstance(usage, dict) or usage.get("kind") in USAGE_MODELS:
        return scenario
    rest = {k: v for k, v in scenario.items() if k not in ("workload", "usage")}
    return {**rest, "services": [{"name": "app", "workload": scenario.get("workload") or {}, "usage": usage}]}


def form_leaves_out(scenario: dict[str, Any]) -> list[str]:
    """The paths of what a scenario says that the comparison form has no field for: an "Edit" of it in the
    form says these are left out, rather than dropping them quietly."""
    from compute_advisor.estimates import service_form

    missing: list[str] = []

    def walk(tree: dict[str, Any], prefix: str, known: set[str], shown: str) -> None:
        for key, value in tree.items():
            path = f"{prefix}{key}"
            if path in known:
                continue
            if isinstance(value, dict) and any(k.startswith(f"{path}.") for k in known):
                walk(value, f"{path}.", known, shown)
            else:
                missing.append(f"{shown}{path}")

    scenario = editable(scenario)
    walk({k: v for k, v in scenario.items() if k != "services"}, "", {f.path for f in FIELDS}, "")
    for index, service in enumerate(scenario.get("services") or []):
        if isinstance(service, dict):
            walk(service, "", {f.path for f in service_form.FIELDS}, f"services.{index}.")
    return missing


@dataclass(frozen=True)
class FormEdit:
    query: str  # the comparison URL's query, the form filled with the scenario
    leaves_out: list[str]  # what the scenario says that the form has no field for


def _editable_shape(data: Any) -> bool:
    """Whether decoded JSON has the shape the form can be filled from (it may still be invalid: the form
    then shows each error beside its field)."""
    if not isinstance(data, dict):
        return False
    services = data.get("services")
    parts = [data] if services is None else services if isinstance(services, list) else None
    if parts is None or len(parts) > MAX_SERVICES or not all(isinstance(p, dict) for p in parts):
        return False
    for part in parts:
        usage = part.get("usage")
        if not isinstance(part.get("workload", {}), dict | None) or not isinstance(usage, dict | None):
            return False
        if isinstance(usage, dict) and not isinstance(usage.get("policy", {}), dict | None):
            return False
    return True


def form_edit(data: Any) -> FormEdit | None:
    """How the comparison form edits a scenario (an application page's "Edit"), or None when its shape is
    not one the form can hold."""
    if not _editable_shape(data):
        return None
    scenario = editable(data)
    return FormEdit(query=query_from_scenario(scenario), leaves_out=form_leaves_out(scenario))
