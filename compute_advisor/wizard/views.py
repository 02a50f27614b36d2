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
from compute_advisor.wizard.forms import STEPS
from compute_advisor.wizard.recommend import recommend
from compute_advisor.wizard.session import answers_forget, answers_from_session, answers_initial, answers_store
from pricing.selectors import price_snapshot_active, price_snapshot_regions


def _form(step: int, request: HttpRequest, data: Any = None) -> Any:
    form_class = STEPS[step - 1]
    kwargs: dict[str, Any] = {"initial": answers_initial(request.session)}
    if form_class.__name__ == "ConstraintsStep":
        snapshot = price_snapshot_active()
        kwargs["regions"] = price_snapshot_regions(snapshot=snapshot) if snapshot else None
    return form_class(data, **kwargs)


def start(request: HttpRequest) -> HttpResponse:
    if request.GET.get("restart"):
        answers_forget(request.session)
    return redirect("wizard:step", step=1)


def step(request: HttpRequest, step: int) -> HttpResponse:
    if not 1 <= step <= len(STEPS):
        raise Http404("No such step")
    if request.method == "POST":
        form = _form(step, request, request.POST)
        going_back = "back" in request.POST
        if form.is_valid():
            answers_store(request.session, form.cleaned_data)
        elif not going_back:
            return render(request, "wizard/step.html", _context(step, form))
        if going_back:
            return redirect("wizard:step", step=max(step - 1, 1))
        if step == len(STEPS):
            return redirect("wizard:result")
        return redirect("wizard:step", step=step + 1)
    return render(request, "wizard/step.html", _context(step, _form(step, request)))


def _context(step: int, form: Any) -> dict[str, Any]:
    return {
        "form": form,
        "step": step,
        "steps": [s.title for s in STEPS],
        "total": len(STEPS),
    }


def result(request: HttpRequest) -> HttpResponse:
    snapshot = price_snapshot_active()
    if snapshot is None:
        messages.error(request, "No price snapshot is loaded yet: run `python manage.py load_seed_prices`.")
        return redirect("home")
    try:
        answers = answers_from_session(request.session)
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
        },
    )
