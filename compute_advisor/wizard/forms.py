"""The wizard's steps: one question group each. Every field comes from the answers' declaration
(`wizard.answers.Answers`: label, help text, bounds, default); a step only says which answers it asks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from compute_advisor.engine.catalog import default_catalog
from compute_advisor.engine.declaration import field_spec
from compute_advisor.lib.declared_forms import form_field
from compute_advisor.wizard.answers import MAX_WIZARD_SERVICES, Answers, ServiceAnswer

RADIO = {"shape", "workload", "patching"}
# Asked only for some workloads: optional on the form, checked by the answers' own rules when they apply.
# A question added after others were answered: a step posted without it keeps the declared default.
LEFT_OUT_IS_DEFAULT = {"shape"}
OPTIONAL = {"requests_per_second", "data_transfer_out_gib", "runs_per_day", "minutes_per_run"}


def _fields(*names: str, model: type = Answers, radio: frozenset[str] = frozenset(RADIO)) -> dict[str, forms.Field]:
    fields = {}
    for name in names:
        spec = field_spec(model, name)
        required = spec.kind not in ("boolean",) and spec.default is not None and name not in OPTIONAL
        field = form_field(spec, required=required)
        if name in LEFT_OUT_IS_DEFAULT:
            field.required = False  # no blank choice is shown: a radio always sends one
        if name in radio:
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
        # With several services, each one's own answers (the next step) say what it is and how it runs.
        if data.get("workload") == "batch" and data.get("shape") != "several":
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
        "shape",
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


# --- several services: one small form each (a formset), asked between the workload and the team -------------

SERVICE_QUESTIONS = ("name", "workload", "vcpu", "memory_gib", "replicas", "pattern", "runs_per_day", "minutes_per_run")
PREFIX = "svc"
ADD = "add_service"
# Where the services step starts: the kind of application the question names (web + worker + scheduled job).
SUGGESTED_SERVICES: tuple[dict[str, Any], ...] = (
    {"name": "web", "workload": "web", "vcpu": "0.5", "memory_gib": "1", "replicas": 2, "pattern": "daily_peaks"},
    {"name": "worker", "workload": "worker", "vcpu": "1", "memory_gib": "2", "replicas": 1, "pattern": "steady"},
    {
        "name": "nightly",
        "workload": "batch",
        "vcpu": "1",
        "memory_gib": "2",
        "replicas": 1,
        "runs_per_day": "1",
        "minutes_per_run": "30",
    },
)


class _ServiceAnswerFormBase(StepForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        runs, minutes = data.get("runs_per_day"), data.get("minutes_per_run")
        if data.get("workload") == "batch":
            for name in ("runs_per_day", "minutes_per_run"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, "A batch job needs this.")
        if data.get("workload") == "batch" and runs and minutes and runs * minutes > 1440:
            self.add_error("minutes_per_run", "The runs add up to more than a day.")
        return data


ServiceAnswerForm = type(
    "ServiceAnswerForm",
    (_ServiceAnswerFormBase,),
    _fields(*SERVICE_QUESTIONS, model=ServiceAnswer, radio=frozenset()),  # selects: a few lines a service
)


class BaseServiceAnswerFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": "The wizard asks about at most %(num)d services; the comparison form takes up to 50.",
        "too_few_forms": "Give at least %(num)d service, or answer “One service” on the first step.",
        "missing_management_form": "The list of services is incomplete: start this step again.",
    }

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this service"

    def clean(self) -> None:
        names = [f.cleaned_data.get("name") for f in self.forms if f.cleaned_data and f not in self.deleted_forms]
        if len(set(names)) != len(names):
            raise forms.ValidationError("Give each service its own name.")


ServiceAnswerFormSet = forms.formset_factory(
    ServiceAnswerForm,
    formset=BaseServiceAnswerFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_WIZARD_SERVICES,
    absolute_max=MAX_WIZARD_SERVICES,  # Django builds no more forms than this, whatever the request says
    validate_max=True,
    can_delete=True,
)

SERVICES_CONCEPTS = (
    (
        "One application, several services",
        "Each ECS service keeps its own task definition's copies running: a web service behind the load "
        "balancer, a worker reading a queue, a scheduled task for a nightly job. They share the cluster, the "
        "load balancer and the data transfer, so they are priced together.",
    ),
)


def _raw_services(data: Any) -> list[dict[str, Any]]:
    """The services a posted step shows, as typed (those ticked for removal left out), for re-showing it."""
    try:
        total = min(int(data.get(f"{PREFIX}-TOTAL_FORMS", "0")), MAX_WIZARD_SERVICES)
    except ValueError:
        total = 0
    services = []
    for index in range(total):
        if data.get(f"{PREFIX}-{index}-DELETE"):
            continue
        services.append({name: data.get(f"{PREFIX}-{index}-{name}") for name in SERVICE_QUESTIONS})
    return services


def _new_service(taken: list[dict[str, Any]]) -> dict[str, Any]:
    names = {str(s.get("name")) for s in taken}
    number = len(taken) + 1
    while f"service-{number}" in names:
        number += 1
    return {**ServiceAnswer().model_dump(mode="json"), "name": f"service-{number}"}


class ServicesStep:
    """The services step: one form per service (a formset) that the wizard's view handles like a step's form.
    "Add a service" shows the same services again with one more; ticked ones are left out."""

    title = "Your services"
    concepts = SERVICES_CONCEPTS

    def __init__(self, data: Any = None, *, initial: dict[str, Any]) -> None:
        self.adding = data is not None and ADD in data
        if self.adding:
            shown = _raw_services(data)
            if len(shown) < MAX_WIZARD_SERVICES:
                shown.append(_new_service(shown))
            self.formset = ServiceAnswerFormSet(initial=shown, prefix=PREFIX)
        elif data is not None:
            self.formset = ServiceAnswerFormSet(data, prefix=PREFIX)
        else:
            services = initial.get("services") or [dict(s) for s in SUGGESTED_SERVICES]
            self.formset = ServiceAnswerFormSet(initial=services, prefix=PREFIX)

    def is_valid(self) -> bool:
        return not self.adding and self.formset.is_valid()

    @property
    def cleaned_data(self) -> dict[str, Any]:
        kept = [f for f in self.formset.forms if f not in self.formset.deleted_forms]
        # A question left blank (a web service's runs a day) keeps its declared default.
        return {
            "services": [
                {k: v for k, v in f.cleaned_data.items() if k != "DELETE" and v not in (None, "")} for f in kept
            ]
        }

    def non_field_errors(self) -> Any:
        return self.formset.non_form_errors() if self.formset.is_bound else []

    @property
    def full(self) -> bool:
        return self.formset.total_form_count() >= MAX_WIZARD_SERVICES


# The steps in the order they are asked, by name: several services add theirs after the workload, and leave
# out the growth question (it is about one service's replicas).
STEP_NUMBERS = {"workload": 1, "team": 2, "constraints": 3, "growth": 4}
ONE_SERVICE_PLAN = ("workload", "team", "constraints", "growth")
SEVERAL_SERVICES_PLAN = ("workload", "services", "team", "constraints")


def step_plan(answers: dict[str, Any]) -> tuple[str, ...]:
    """The steps asked for the answers so far."""
    return SEVERAL_SERVICES_PLAN if answers.get("shape") == "several" else ONE_SERVICE_PLAN


def step_form_class(name: str) -> Any:
    return ServicesStep if name == "services" else STEPS[STEP_NUMBERS[name] - 1]
