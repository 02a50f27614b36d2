"""The comparison form: one field per entry of `scenario_form.FIELDS`, made from the engine's declaration
(label, help text, bounds, choices), with errors beside each field.

Only what is about the page lives here: widgets, the profile preset, and the lists of regions, bundles and
powers the snapshot and the catalog offer.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings

from compute_advisor.engine import OPTION_CODES
from compute_advisor.engine.catalog import default_catalog
from compute_advisor.engine.money import plain
from compute_advisor.engine.presets import PRESETS, preset_profile
from compute_advisor.engine.scenario import MAX_REPLICAS, SCALING_METRICS, USAGE_KINDS
from compute_advisor.estimates.imports.metrics import MetricsOptions
from compute_advisor.estimates.scenario_form import DEFAULTS, FIELDS, FormField, split_list
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
            choices=list(USAGE_KINDS.items()),
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
