"""The wizard's steps: one question group each. Every field comes from the answers' declaration
(`wizard.answers.Answers`: label, help text, bounds, default); a step only says which answers it asks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from compute_advisor.engine.catalog import default_catalog
from compute_advisor.engine.declaration import field_spec
from compute_advisor.lib.declared_forms import form_field
from compute_advisor.wizard.answers import Answers

RADIO = {"workload", "patching"}
# Asked only for some workloads: optional on the form, checked by the answers' own rules when they apply.
OPTIONAL = {"requests_per_second", "data_transfer_out_gib", "runs_per_day", "minutes_per_run"}


def _fields(*names: str) -> dict[str, forms.Field]:
    fields = {}
    for name in names:
        spec = field_spec(Answers, name)
        required = spec.kind not in ("boolean",) and spec.default is not None and name not in OPTIONAL
        field = form_field(spec, required=required)
        if name in RADIO:
            field.widget = forms.RadioSelect(choices=field.choices)  # type: ignore[attr-defined]
        fields[name] = field
    return fields


class StepForm(forms.Form):
    title = ""
    concepts: tuple[tuple[str, str], ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _step(
    name: str, title: str, answers: tuple[str, ...], concepts: tuple[tuple[str, str], ...] = (), base: type = StepForm
) -> type[StepForm]:
    return type(name, (base,), {"title": title, "concepts": concepts, **_fields(*answers)})


class _WorkloadStepBase(StepForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("workload") == "batch":
            for name in ("runs_per_day", "minutes_per_run"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, "A batch job needs this.")
            runs, minutes = data.get("runs_per_day"), data.get("minutes_per_run")
            if runs and minutes and runs * minutes > 1440:
                self.add_error("minutes_per_run", "The runs add up to more than a day.")
        return data


class _ConstraintsStepBase(StepForm):
    def __init__(self, *args: Any, regions: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = forms.ChoiceField(
            label=self.fields["region"].label,
            help_text=self.fields["region"].help_text,
            choices=[(r, r) for r in (regions or settings.PRICING_REGIONS)],
        )
        closed = [n for n in default_catalog().notices.get("app_runner", ()) if n.kind == "closed"]
        if closed and closed[0].effective:
            self.fields["existing_app_runner"].help_text = (
                f"App Runner closed to new customers on {closed[0].effective:%-d %B %Y}; accounts that already use "
                "it can go on."
            )


WORKLOAD_CONCEPTS = (
    (
        "Task definition, service, cluster",
        "In ECS a task definition describes your container (image, CPU, memory); a service keeps N copies of it "
        "(tasks) running and replaces any that stop; a cluster is where the tasks run, on Fargate or on EC2 "
        "instances you own.",
    ),
    (
        "Service auto scaling",
        "ECS changes a service's task count for you: target tracking keeps a metric (say 60 % CPU) near a target, "
        "step scaling adds or removes tasks when an alarm fires, scheduled scaling changes the count at set times.",
    ),
)
TEAM_CONCEPTS = (
    (
        "EC2 launch type or Fargate",
        "With the EC2 launch type your tasks run on EC2 instances in your account: you choose, patch and scale "
        "them. With Fargate, AWS runs each task on capacity it manages: nothing to patch, you pay per task.",
    ),
    (
        "Task role, execution role, instance profile",
        "The task role is what your code may do in AWS; the task execution role lets ECS pull your image and "
        "write its logs; an instance profile is the role of an EC2 instance itself (ECS on EC2 needs one).",
    ),
)

WorkloadStep = _step(
    "WorkloadStep",
    "Your workload",
    (
        "workload",
        "vcpu",
        "memory_gib",
        "replicas",
        "pattern",
        "requests_per_second",
        "data_transfer_out_gib",
        "runs_per_day",
        "minutes_per_run",
    ),
    WORKLOAD_CONCEPTS,
    base=_WorkloadStepBase,
)
TeamStep = _step(
    "TeamStep",
    "Your team and operations",
    ("experience", "patching", "needs_ssh", "needs_gpu", "needs_privileged", "windows", "arm_ok"),
    TEAM_CONCEPTS,
)
ConstraintsStep = _step(
    "ConstraintsStep",
    "Constraints",
    ("region", "budget_usd", "vpc_control", "long_requests", "fast_startup", "existing_app_runner"),
    base=_ConstraintsStepBase,
)
GrowthStep = _step("GrowthStep", "Growth", ("replicas_next_year",))

STEPS = (WorkloadStep, TeamStep, ConstraintsStep, GrowthStep)
