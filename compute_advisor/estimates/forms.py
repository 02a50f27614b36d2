"""The comparison form: one field per entry of `scenario_form.FIELDS`, made from the engine's declaration
(label, help text, bounds, choices), with errors beside each field.

Only what is about the page lives here: widgets, the profile preset, and the lists of regions, bundles and
powers the snapshot and the catalog offer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings

from compute_advisor.engine import OPTION_CODES
from compute_advisor.engine.catalog import default_catalog
from compute_advisor.engine.declaration import field_spec
from compute_advisor.engine.money import plain
from compute_advisor.engine.presets import PRESETS, preset_profile
from compute_advisor.engine.scenario import MAX_REPLICAS, MAX_SERVICES, SCALING_METRICS, USAGE_KINDS
from compute_advisor.estimates import service_form
from compute_advisor.estimates.imports.metrics import MetricsOptions
from compute_advisor.estimates.scenario_form import (
    DEFAULTS,
    FIELDS,
    USAGE_MODELS,
    FormField,
    field_for,
    per_service,
    scenario_from_form,
    split_list,
)
from compute_advisor.estimates.service_form import ServiceField
from compute_advisor.lib.declared_forms import choice_field, form_field

MAX_PROFILE_TEXT = 2000
# What a field of one usage kind says when that usage is chosen and the field is left blank.
NEEDED_BY = {
    "always_on": "Always-on usage needs this.",
    "scheduled": "Scheduled runs need this.",
    "hourly": "An hourly profile needs this.",
}


def _always_sent(entry: FormField) -> bool:
    """A field the form always shows with a value (required, or with a default): blank is an error, not "the
    default". Pins and fields of one usage kind may be left blank."""
    spec = entry.spec
    optional = entry.kinds or entry.path.startswith("option_settings.")
    return not optional and (spec.required or spec.default is not None)


EMPTY_LABELS = {
    "beanstalk_environment": "Chosen from the replicas",
    "lightsail_bundle": "Chosen to fit",
    "lightsail_power": "Chosen to fit",
}


def _field(entry: FormField) -> forms.Field:
    spec = entry.spec
    required = _always_sent(entry)
    if entry.name == "usage_kind":
        return forms.ChoiceField(
            label=spec.title,
            widget=forms.RadioSelect,
            # Service Auto Scaling is a service's usage: "Add a service" makes the form an application.
            choices=[(kind, label) for kind, label in USAGE_KINDS.items() if kind in USAGE_MODELS],
            help_text="Always on: N replicas all month. Scheduled: short runs (batch jobs). Hourly: replicas per hour.",
        )
    if entry.name == "replicas":
        # Always on needs it, and a profile preset scales to it; scheduled runs count their tasks apart.
        return form_field(spec, required=False, help_text="How many run at once (the peak, for a profile preset).")
    if entry.name == "tasks_per_run":
        return form_field(spec, required=False, label="Tasks a run")
    if entry.name == "profile":
        return forms.CharField(
            label=spec.title,
            required=False,
            max_length=MAX_PROFILE_TEXT,
            widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
            help_text=f"{spec.description} Separate them with spaces or commas.",
        )
    if entry.name == "options":
        return forms.MultipleChoiceField(
            label=spec.title, widget=forms.CheckboxSelectMultiple, help_text=spec.description
        )
    if entry.name in ("region", "lightsail_bundle", "lightsail_power"):
        return forms.ChoiceField(label=spec.title, help_text=spec.description, required=required)
    if entry.list_text:
        return forms.CharField(label=spec.title, help_text=spec.description, required=False, max_length=500)
    return form_field(spec, required=required, empty_label=EMPTY_LABELS.get(entry.name, "(none)"))


class ScenarioFormBase(forms.Form):
    submitted = forms.CharField(widget=forms.HiddenInput, required=False, initial="1")
    preset = forms.ChoiceField(
        label="Profile preset",
        required=False,
        choices=[("", "(type or paste your own)"), *PRESETS.items()],
        help_text="Fills the profile below from the replicas above.",
    )

    def __init__(self, *args: Any, regions: list[str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        catalog = default_catalog()
        choice_field(self, "region").choices = [(r, r) for r in (regions or settings.PRICING_REGIONS)]
        choice_field(self, "options").choices = [(code, catalog.labels.get(code, code)) for code in OPTION_CODES]
        choice_field(self, "lightsail_bundle").choices = [("", EMPTY_LABELS["lightsail_bundle"])] + [
            (b.bundle_id, f"{b.name} ({b.bundle_id})") for b in catalog.lightsail_bundles
        ]
        choice_field(self, "lightsail_power").choices = [("", EMPTY_LABELS["lightsail_power"])] + [
            (p.power, p.power) for p in catalog.lightsail_powers
        ]

    def clean_profile(self) -> list[int] | None:
        text = self.cleaned_data.get("profile", "") or ""
        if not text.strip():
            return None
        try:
            values = [int(p) for p in split_list(text, numbers=True)]
        except ValueError:
            raise forms.ValidationError("Use whole numbers only, separated by spaces or commas.") from None
        if len(values) not in (24, 168):
            raise forms.ValidationError(f"Give 24 values (a day) or 168 (a week); there are {len(values)}.")
        if any(v < 0 or v > MAX_REPLICAS for v in values):
            raise forms.ValidationError(f"Each hour needs between 0 and {MAX_REPLICAS:,} replicas.")
        if not any(values):
            raise forms.ValidationError("At least one hour needs a replica.")
        return values

    def clean_pin_ec2_types(self) -> list[str]:
        return split_list(self.cleaned_data.get("pin_ec2_types") or "", numbers=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("usage_kind")
        if kind == "hourly" and not data.get("profile"):
            if data.get("preset") and data.get("replicas"):
                data["profile"] = preset_profile(data["preset"], data["replicas"])
            elif data.get("preset"):
                if "replicas" not in self.errors:
                    self.add_error("replicas", "A profile preset needs the replicas at its peak.")
            elif "profile" not in self.errors:
                self.add_error("profile", "An hourly profile needs its values, or pick a preset.")
        for entry in FIELDS:
            if (
                kind in entry.kinds
                and entry.spec.required
                and data.get(entry.name) in (None, "")
                and not (entry.name == "profile" or entry.name in self.errors)
            ):
                self.add_error(entry.name, NEEDED_BY[kind])
        return data


ScenarioForm: type[ScenarioFormBase] = type(
    "ScenarioForm", (ScenarioFormBase,), {entry.name: _field(entry) for entry in FIELDS}
)


def form_data_with_defaults(query: Any) -> dict[str, Any]:
    """A bound form's data: what the URL says, on top of the defaults for what it leaves out."""
    data: dict[str, Any] = {}
    for name, value in DEFAULTS.items():
        if isinstance(value, list):
            data[name] = value
        elif isinstance(value, bool):
            data[name] = "on" if value else ""
        elif isinstance(value, Decimal):
            data[name] = plain(value)
        else:
            data[name] = str(value)
    if query.get("submitted"):
        data["public_ipv4"] = ""  # an unticked box is absent from the URL
        data["options"] = []
    for key in query:
        values = query.getlist(key)
        data[key] = values if key == "options" else values[-1]
    return data


METRIC_CHOICES = [("", "Say it from the export's labels"), *((k, v) for k, v in SCALING_METRICS.items())]


class ImportForm(forms.Form):
    """The import page: a file (task definition, compose file, template, Terraform JSON) and, optionally, a
    CloudWatch export for one service's demand, with what the export cannot say. Bounds come from the engine's
    declaration where a field has one; everything is optional and the importers say what is missing."""

    # The importers bound the texts (in bytes, with their own messages); the upload limits are theirs too.
    text = forms.CharField(required=False, strip=False, widget=forms.Textarea)
    metrics_text = forms.CharField(required=False, strip=False, widget=forms.Textarea)
    metric = forms.ChoiceField(required=False, choices=METRIC_CHOICES, label="Metric")
    service = forms.CharField(required=False, max_length=63, label="Service the metrics are of")
    replicas = forms.IntegerField(required=False, min_value=1, max_value=MAX_REPLICAS, label="Running tasks")
    period_seconds = forms.IntegerField(required=False, min_value=1, max_value=86400, label="Period (seconds)")
    vcpu = forms.DecimalField(required=False, min_value=Decimal("0.001"), max_value=192, label="Task vCPU")
    memory_gib = forms.DecimalField(required=False, min_value=Decimal("0.001"), max_value=24576, label="Task GiB")
    target = forms.DecimalField(required=False, min_value=Decimal("0.001"), max_value=10**7, label="Target")
    min_replicas = forms.IntegerField(required=False, min_value=0, max_value=MAX_REPLICAS, label="Min replicas")
    max_replicas = forms.IntegerField(required=False, min_value=1, max_value=MAX_REPLICAS, label="Max replicas")
    name = forms.CharField(required=False, max_length=63, label="Service name")

    def metrics_options(self) -> MetricsOptions:
        data = self.cleaned_data
        return MetricsOptions(
            metric=data.get("metric") or None,
            service=data.get("service") or None,
            replicas=data.get("replicas"),
            period_seconds=data.get("period_seconds"),
            vcpu=data.get("vcpu"),
            memory_gib=data.get("memory_gib"),
            target=data.get("target"),
            min_replicas=data.get("min_replicas"),
            max_replicas=data.get("max_replicas"),
            name=data.get("name") or "service",
        )


# --- an application: the scenario's own fields, and one form per service ------------------------------------

# What a service field of one usage kind says when that usage is chosen and the field is left blank.
SERVICE_NEEDED_BY = {**NEEDED_BY, "autoscaling": "Service Auto Scaling needs this."}
TEXT_LIMITS = {"profile": MAX_PROFILE_TEXT, "demand": 4000, "steps": 500, "schedule": 2000}
TEXT_HELP = {
    "profile": "Separate them with commas or spaces.",
    "demand": "Separate them with commas or spaces.",
    "steps": "Each as threshold:+replicas, e.g. 70:+1, 85:+3.",
    "schedule": service_form.SCHEDULE_HELP,
}


def _service_field(entry: ServiceField) -> forms.Field:
    spec = entry.spec
    if entry.name == "usage_kind":
        return forms.ChoiceField(label=spec.title, choices=list(USAGE_KINDS.items()))
    if entry.name == "policy_type":
        policies = [field_spec(model, "type") for model in service_form.POLICY_MODELS.values()]
        choices = [(p.choices[0], p.labels.get(p.choices[0], p.choices[0])) for p in policies]
        return forms.ChoiceField(label=spec.title, choices=choices, required=False)
    if entry.name == "load_balanced":
        choices = [("", "By default"), ("yes", "Yes"), ("no", "No")]
        return forms.ChoiceField(label=spec.title, help_text=spec.description, choices=choices, required=False)
    if entry.name == "tasks_per_run":
        return form_field(spec, required=False, label="Tasks a run")
    if entry.text:
        rows = 4 if entry.name == "schedule" else 2
        return forms.CharField(
            label=spec.title,
            required=False,
            max_length=TEXT_LIMITS[entry.name],
            widget=forms.Textarea(attrs={"rows": rows, "spellcheck": "false"}),
            help_text=f"{spec.description} {TEXT_HELP[entry.name]}",
        )
    if entry.kinds and spec.kind == "choice" and spec.default is not None:
        # Optional (another usage has no use for it), yet it always has a value: its default, no blank.
        choices = [(value, spec.labels.get(value, value)) for value in spec.choices]
        return forms.ChoiceField(label=spec.title, help_text=spec.description, choices=choices, required=False)
    field = form_field(spec, required=not entry.kinds and (spec.required or spec.default is not None))
    return field


class ServiceFormBase(forms.Form):
    """One service of an application; its fields come from `service_form.FIELDS` (the declaration)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def _text(self, name: str, parse: Any) -> Any:
        text = self.cleaned_data.get(name) or ""
        if not text.strip():
            return None
        try:
            return parse(text)
        except service_form.TextProblem as problem:
            raise forms.ValidationError(str(problem)) from None

    def clean_profile(self) -> list[str] | None:
        return self._text("profile", service_form.split_numbers)

    def clean_demand(self) -> list[str] | None:
        return self._text("demand", service_form.split_numbers)

    def clean_steps(self) -> list[dict[str, str]] | None:
        return self._text("steps", service_form.parse_steps)

    def clean_schedule(self) -> list[dict[str, Any]] | None:
        return self._text("schedule", service_form.parse_schedule)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, policy = data.get("usage_kind"), data.get("policy_type") or "target_tracking"
        data["policy_type"] = policy
        for entry in service_form.FIELDS:
            if (
                entry.kinds
                and service_form.belongs(entry, kind, policy)
                and entry.spec.required
                and data.get(entry.name) in (None, "", [])
                and entry.name not in self.errors
            ):
                self.add_error(entry.name, SERVICE_NEEDED_BY[str(kind)])
        return data

    @property
    def usage_kind(self) -> str:
        """The usage chosen (what the page shows the fields of), as typed."""
        return str(self["usage_kind"].value() or "always_on")


ServiceForm: type[ServiceFormBase] = type(
    "ServiceForm", (ServiceFormBase,), {entry.name: _service_field(entry) for entry in service_form.FIELDS}
)


class BaseServiceFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": "An application has at most %(num)d services.",
        "too_few_forms": "An application needs at least %(num)d service.",
        "missing_management_form": "The list of services is incomplete: start again from the comparison page.",
    }

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this service"

    @property
    def kept(self) -> list[ServiceFormBase]:
        """The services priced: every form but those ticked for removal (in the engine's order)."""
        deleted = {id(form) for form in self.deleted_forms} if self.is_bound and self.can_delete else set()
        return [form for form in self.forms if id(form) not in deleted]


ServiceFormSet = forms.formset_factory(
    ServiceForm,
    formset=BaseServiceFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    # The engine's limit, and a hard one: Django builds no more forms than this whatever TOTAL_FORMS says.
    max_num=MAX_SERVICES,
    absolute_max=MAX_SERVICES,
    validate_max=True,
    can_delete=True,
)

ApplicationForm: type[ScenarioFormBase] = type(
    "ApplicationForm", (ScenarioFormBase,), {e.name: _field(e) for e in FIELDS if not per_service(e)}
)


def services_data_with_defaults(query: Any) -> dict[str, Any]:
    """The service forms' data: what the URL says, on top of a new service's defaults for what it leaves out
    (a hand-written link may give only each service's name, size and replicas)."""
    data: dict[str, Any] = {service_form.INITIAL: "0"}
    for key in query:
        if key.startswith(f"{service_form.PREFIX}-"):
            data[key] = query.getlist(key)[-1]
    # A count that is not a number (a link cut or edited by hand) is the services the link gives.
    data[service_form.TOTAL] = str(service_form.total_forms(query))
    for index in range(min(service_form.total_forms(query), MAX_SERVICES)):
        for name, value in service_form.DEFAULTS.items():
            if name == "name":
                continue  # a service's name is the user's to give: a default one would repeat
            key = f"{service_form.PREFIX}-{index}-{name}"
            if key not in data:
                data[key] = plain(value) if isinstance(value, Decimal) else str(value)
    return data


@dataclass
class BoundScenario:
    """The comparison form as a request fills it: the scenario's fields, and for an application one form per
    service. Pages, regions and reports read a scenario from a URL through this one object."""

    form: ScenarioFormBase
    services: BaseServiceFormSet | None = None

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        if self.services is not None:
            valid = self.services.is_valid() and valid
        return valid

    def scenario_data(self) -> dict[str, Any]:
        """The contract's scenario (after `is_valid()`)."""
        if self.services is None:
            return scenario_from_form(self.form.cleaned_data)
        services = [service_form.service_from_form(f.cleaned_data) for f in self.services.kept]
        return scenario_from_form(self.form.cleaned_data, services=services)

    def add_engine_errors(self, errors: dict[str, list[str]], data: dict[str, Any]) -> None:
        """Each engine error beside the field it blames: `services.1.usage.max_replicas` beside the second
        service's "max replicas", `workload.vcpu` beside the one-service form's vCPU."""
        kept = self.services.kept if self.services is not None else []
        for path, problems in errors.items():
            target: forms.BaseForm = self.form
            name: str | None
            lead = ""
            found = re.fullmatch(r"services\.(\d+)\.(.+)", path)
            if found and int(found[1]) < len(kept):
                target = kept[int(found[1])]
                cleaned = getattr(target, "cleaned_data", {})
                name, lead = service_form.field_for(found[2], cleaned.get("usage_kind"), cleaned.get("policy_type"))
            elif path.startswith("services"):
                name, lead = None, "Services: "
            else:
                name = field_for(path, (data.get("usage") or {}).get("kind"))
            for problem in problems:
                target.add_error(name if name in target.fields else None, lead + problem)

    def service_errors(self) -> list[tuple[str, str]]:
        """Each service's errors as (the id of its field's box, what to say): listed above the results, since
        on a long list of services the field marked in red may be far down the page."""
        summary: list[tuple[str, str]] = []
        for index, form in enumerate(self.services.forms if self.services is not None else []):
            name = str(form["name"].value() or "").strip()
            service = f"Service {index + 1}{f' ({name})' if name else ''}"
            for field, problems in form.errors.items():
                anchor = f"field-{form.add_prefix(field)}" if field in form.fields else f"service-{index}"
                label = form.fields[field].label if field in form.fields else ""
                summary += [(anchor, f"{service}{', ' + str(label) if label else ''}: {p}") for p in problems]
        return summary

    def error_lists(self) -> dict[str, list[str]]:
        """Every error by the name of its field in the URL, as the reports' JSON answers name them."""
        errors = {k: [str(e) for e in v] for k, v in self.form.errors.items()}
        if self.services is not None:
            for form in self.services.forms:
                for name, problems in form.errors.items():
                    errors[form.add_prefix(name)] = [str(e) for e in problems]
            if self.services.non_form_errors():
                errors[service_form.PREFIX] = [str(e) for e in self.services.non_form_errors()]
        return errors


def bind_scenario(query: Any, *, regions: list[str] | None, unsubmitted_unbound: bool = False) -> BoundScenario:
    """The comparison form for a URL's query: an application when it carries services (`svc-...`), else the
    one-service form. With `unsubmitted_unbound`, a query without `submitted` only fills the form's initial
    values (a link from an import, to check before comparing)."""
    if service_form.is_application(query):
        form = ApplicationForm(form_data_with_defaults(query), regions=regions)
        services = ServiceFormSet(services_data_with_defaults(query), prefix=service_form.PREFIX)
        assert isinstance(services, BaseServiceFormSet)
        return BoundScenario(form, services)
    if unsubmitted_unbound and not query.get("submitted"):
        return BoundScenario(ScenarioForm(initial={**DEFAULTS, **query.dict()}, regions=regions))
    return BoundScenario(ScenarioForm(form_data_with_defaults(query), regions=regions))
