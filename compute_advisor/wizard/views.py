"""The wizard: four steps kept in the session (back and forward keep the answers), then the result."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from compute_advisor.comparison.service import SnapshotPricer
from compute_advisor.engine import ScenarioError
from compute_advisor.estimates.scenario_form import query_from_scenario
from compute_advisor.wizard.forms import STEP_NUMBERS, step_form_class, step_plan
from compute_advisor.wizard.recommend import describe_usage, recommend
from compute_advisor.wizard.session import answers_forget, answers_from_session, answers_initial, answers_store
from pricing.selectors import price_snapshot_active, price_snapshot_regions


def _form(name: str, request: HttpRequest, data: Any = None) -> Any:
    form_class = step_form_class(name)
    kwargs: dict[str, Any] = {"initial": answers_initial(request.session)}
    if form_class.__name__ == "ConstraintsStep":
        snapshot = price_snapshot_active()
        kwargs["regions"] = price_snapshot_regions(snapshot=snapshot) if snapshot else None
    return form_class(data, **kwargs)


def _url(name: str) -> str:
    if name == "services":
        return reverse("wizard:services")
    return reverse("wizard:step", args=[STEP_NUMBERS[name]])


def start(request: HttpRequest) -> HttpResponse:
    if request.GET.get("restart"):
        answers_forget(request.session)
    return redirect("wizard:step", step=1)


def step(request: HttpRequest, step: int) -> HttpResponse:
    names = {number: name for name, number in STEP_NUMBERS.items()}
    if step not in names:
        raise Http404("No such step")
    return _step(request, names[step])


def services(request: HttpRequest) -> HttpResponse:
    """The services of an application, one form each, asked after the workload step says "several"."""
    return _step(request, "services")


def _step(request: HttpRequest, name: str) -> HttpResponse:
    if request.method == "POST":
        form = _form(name, request, request.POST)
        going_back = "back" in request.POST
        if form.is_valid():
            answers_store(request.session, form.cleaned_data)
        elif not going_back:
            return render(request, "wizard/step.html", _context(name, form, request))
        # The plan after this step's answers: "several services" on the first step adds the services step.
        plan = step_plan(answers_initial(request.session))
        index = plan.index(name) if name in plan else 0
        if going_back:
            return redirect(_url(plan[max(index - 1, 0)]))
        if index + 1 >= len(plan):
            return redirect("wizard:result")
        return redirect(_url(plan[index + 1]))
    return render(request, "wizard/step.html", _context(name, _form(name, request), request))


def _context(name: str, form: Any, request: HttpRequest) -> dict[str, Any]:
    plan = step_plan(answers_initial(request.session))
    position = plan.index(name) + 1 if name in plan else 1
    return {
        "form": form,
        "step": position,
        "steps": [step_form_class(n).title for n in plan],
        "total": len(plan),
    }


def result(request: HttpRequest) -> HttpResponse:
    snapshot = price_snapshot_active()
    if snapshot is None:
        messages.error(request, "No price snapshot is loaded yet: run `python manage.py load_seed_prices`.")
        return redirect("home")
    try:
        answers = answers_from_session(request.session)
        if answers.shape == "several" and not answers.services:
            messages.info(request, "Tell the wizard about each of the services first.")
            return redirect("wizard:services")
        recommendation = recommend(answers, SnapshotPricer(snapshot))
    except ScenarioError as exc:
        messages.error(request, "Some answers do not fit together: " + "; ".join(exc.lines()))
        return redirect("wizard:step", step=1)
    return render(
        request,
        "wizard/result.html",
        {
            "answers": answers,
            "recommendation": recommendation,
            "compare_url": f"{reverse('estimates:compare')}?{query_from_scenario(recommendation.scenario)}#results",
            "scenario_json": json.dumps(recommendation.scenario),
            "snapshot": snapshot,
            "services_text": describe_usage(answers, sizes=True),
            "last_step_url": _url(step_plan(answers_initial(request.session))[-1]),
        },
    )
