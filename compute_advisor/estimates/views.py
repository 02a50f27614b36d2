"""The comparison pages: the form and its results, saving, share links, import, regions."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from compute_advisor.charts import figures as chart_figures
from compute_advisor.charts.figures import figures_for
from compute_advisor.comparison.prices import rate_hint
from compute_advisor.comparison.service import comparison_get, comparison_regions
from compute_advisor.engine import ScenarioError, parse_scenario, price_keys
from compute_advisor.engine.catalog import default_catalog
from compute_advisor.estimates import service_form
from compute_advisor.estimates.forms import (
    DEFAULTS,
    BoundScenario,
    ImportForm,
    ScenarioForm,
    bind_scenario,
)
from compute_advisor.estimates.imports import ImportProblem, import_application
from compute_advisor.estimates.imports.common import MAX_BYTES as MAX_IMPORT_BYTES
from compute_advisor.estimates.imports.metrics import MAX_METRICS_BYTES
from compute_advisor.estimates.page_cache import (
    cached_html,
    csrf_placeholder,
    page_key,
    whole_page_cacheable,
    with_visitor_token,
)
from compute_advisor.estimates.presentation import priced_for, rows
from compute_advisor.estimates.scenario_form import editable, form_edit, query_from_scenario
from compute_advisor.estimates.selectors import scenario_by_token, scenario_get_for, scenario_list_for
from compute_advisor.estimates.service_form import MAX_SERVICES, edited_query
from compute_advisor.estimates.services import scenario_save, scenario_sharing, scenario_update
from compute_advisor.lib.bounded_input import load_json
from compute_advisor.lib.limits import client_key, take
from pricing.models import PriceSnapshot
from pricing.selectors import price_snapshot_active, price_snapshot_regions

COMPARE_BODY = "estimates/_compare_body.html"


def _regions(snapshot: PriceSnapshot | None) -> list[str] | None:
    return price_snapshot_regions(snapshot=snapshot) if snapshot else None


def _priced(bound: BoundScenario, snapshot: PriceSnapshot) -> dict[str, Any]:
    """Run a valid form (and its services' forms) through the engine; engine errors go beside their fields."""
    data = bound.scenario_data()
    try:
        comparison = comparison_get(scenario=parse_scenario(data), snapshot=snapshot)
    except ScenarioError as exc:
        bound.add_engine_errors(exc.errors, data)
        return {}
    return {
        "result": comparison.result,
        "rows": rows(comparison.result),
        "priced_for": priced_for(comparison.result),
        "figures": figures_for(comparison),
        "scenario_json": json.dumps(data),
        "snapshot": snapshot,
        "share_query": query_from_scenario(data),
    }


def _compare_context(query: QueryDict, snapshot: PriceSnapshot | None) -> dict[str, Any]:
    regions = _regions(snapshot)
    bound = bind_scenario(query, regions=regions, unsubmitted_unbound=True)
    form = bound.form
    region = str(form["region"].value() or DEFAULTS["region"])
    ipv4 = rate_hint(snapshot, region, price_keys.PUBLIC_IPV4_IN_USE)
    if ipv4:
        form.fields["public_ipv4"].help_text += f" Each address: {ipv4}."
    context: dict[str, Any] = {"form": form, "services": bound.services, "snapshot": snapshot}
    if bound.services is not None:
        context["services_full"] = bound.services.total_form_count() >= MAX_SERVICES
    if snapshot is not None and form.is_bound and bound.is_valid():
        if bound.services is None and form.cleaned_data.get("profile") and not form.data.get("profile"):
            # A preset filled the profile: show its values, so the grid and the URL can be edited from here.
            shown = dict(form.data)  # the defaults-filled copy this view made, never the request's own query
            shown["profile"] = " ".join(str(v) for v in form.cleaned_data["profile"])
            form.data = shown
        context.update(_priced(bound, snapshot))
    if form.is_bound and "result" not in context:
        context["service_errors"] = bound.service_errors()
    return context


def compare(request: HttpRequest) -> HttpResponse:
    edited = edited_query(request.GET)
    if edited is not None:
        # "Add a service" or "Remove": the same comparison with one more, or fewer, services, at its own URL
        # (so the address bar and a shared link always say what the page shows).
        return redirect(f"{reverse('estimates:compare')}?{urlencode(edited)}#services")
    snapshot = price_snapshot_active()
    if snapshot is None:
        messages.error(request, "No price snapshot is loaded yet: run `python manage.py load_seed_prices`.")
        body = render_to_string(COMPARE_BODY, _compare_context(request.GET, None), request=request)
        return render(request, "estimates/compare.html", {"body": body, "snapshot": snapshot})

    services = [key for key in request.GET if key.startswith(f"{service_form.PREFIX}-")]
    key = page_key("compare", request.GET, snapshot, ["submitted", *ScenarioForm.base_fields, *services])
    client = client_key(request)

    def render_body() -> tuple[str, bool]:
        context = _compare_context(request.GET, snapshot)
        form = context["form"]
        html = render_to_string(COMPARE_BODY, {**context, "csrf_token": csrf_placeholder()})
        return html, not form.is_bound or ("result" in context and not form.errors)

    if whole_page_cacheable(request):
        # The header's stale-prices banner depends on the day, so the day is part of the key.
        def render_page() -> tuple[str, bool]:
            body, keep = cached_html(key, render_body, client=client)
            context = {"body": mark_safe(body), "snapshot": snapshot, "csrf_token": csrf_placeholder()}
            return str(render_to_string("estimates/compare.html", context, request=request)), keep

        page, _ = cached_html(f"{key}:whole:{timezone.now().date().isoformat()}", render_page, client=client)
        return HttpResponse(with_visitor_token(page, request))
    main, _ = cached_html(key, render_body, client=client)
    return render(request, "estimates/compare.html", {"body": with_visitor_token(main, request), "snapshot": snapshot})


def compare_regions(request: HttpRequest) -> HttpResponse:
    snapshot = price_snapshot_active()
    bound = bind_scenario(request.GET, regions=_regions(snapshot))
    form = bound.form
    context: dict[str, Any] = {"form": form, "snapshot": snapshot, "query": request.GET.urlencode()}
    if snapshot is not None and bound.is_valid():
        try:
            scenario = parse_scenario(bound.scenario_data())
        except ScenarioError as exc:
            context["errors"] = exc.errors
        else:
            table = comparison_regions(scenario=scenario, snapshot=snapshot)
            labels = {code: default_catalog().labels.get(code, code) for code in scenario.options}
            context.update({"table": table, "labels": labels, "figure": chart_figures.regions(table, labels)})
    elif bound.services is not None:
        context["errors"] = bound.error_lists()
    return render(request, "estimates/regions.html", context)


@require_POST
def save(request: HttpRequest) -> HttpResponse:
    snapshot = price_snapshot_active()
    try:
        data = load_json(request.POST.get("scenario", ""))
        if snapshot is None:
            raise ScenarioError({"": ["no price snapshot is loaded"]})
        if not request.user.is_authenticated and not take(
            f"anonymous-saves:{client_key(request)}", limit=settings.ANONYMOUS_SAVES_PER_HOUR, window_seconds=3600
        ):
            raise ScenarioError({"": [f"at most {settings.ANONYMOUS_SAVES_PER_HOUR} saves an hour without an account"]})
        saved = scenario_save(
            user=request.user, name=request.POST.get("name", ""), scenario_data=_jsonable(data), snapshot=snapshot
        )
    except (ValueError, ScenarioError) as exc:
        detail = "; ".join(exc.lines()) if isinstance(exc, ScenarioError) else ""
        messages.error(request, "The scenario could not be saved" + (f": {detail}" if detail else "."))
        return redirect("estimates:compare")
    messages.success(request, f"Saved “{saved.name}”. Anyone with its share link can see it.")
    return redirect("estimates:shared", token=saved.share_token)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Its own text: format(value, "f") would spell 1E-100000000 out in a hundred million digits.
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def shared(request: HttpRequest, token: str) -> HttpResponse:
    saved = scenario_by_token(token=token, viewer=request.user)
    try:
        comparison = comparison_get(scenario=parse_scenario(saved.scenario), snapshot=saved.snapshot)
    except ScenarioError as exc:  # saved before a rule or the catalog changed: say so, never a 500
        return render(request, "estimates/unpriceable.html", {"saved": saved, "problems": exc.lines()}, status=400)
    result = comparison.result
    active = price_snapshot_active()
    return render(
        request,
        "estimates/shared.html",
        {
            "saved": saved,
            "result": result,
            "rows": rows(result),
            "priced_for": priced_for(result),
            "figures": figures_for(comparison),
            "reprice_query": query_from_scenario(editable(saved.scenario)),
            "newer_prices": active is not None and active.pk != saved.snapshot_id,
            "is_owner": request.user.is_authenticated and saved.owner_id == request.user.pk,
        },
    )


@login_required
@never_cache  # it lists share links: no shared cache or back button may keep it
def my_scenarios(request: HttpRequest) -> HttpResponse:
    return render(request, "estimates/list.html", {"scenarios": scenario_list_for(user=request.user)})


@login_required
@require_POST
def scenario_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    saved = scenario_get_for(user=request.user, pk=pk)
    if action == "delete":
        saved.delete()
        messages.success(request, f"Deleted “{saved.name}”.")
    elif action == "revoke":
        scenario_sharing(saved=saved, enabled=False)
        messages.success(request, f"The share link of “{saved.name}” no longer works.")
    elif action == "share":
        scenario_sharing(saved=saved, enabled=True)
        messages.success(request, f"“{saved.name}” has a new share link.")
    elif action == "rename":
        try:
            scenario_update(saved=saved, name=request.POST.get("name", ""))
        except ScenarioError as exc:
            messages.error(request, " ".join(m for problems in exc.errors.values() for m in problems))
        else:
            messages.success(request, f"Renamed to “{saved.name}”.")
    else:
        raise Http404("No such action")
    return redirect("estimates:mine")


APPLICATION_EXAMPLE = {
    "region": "us-east-1",
    "services": [
        {"name": "web", "workload": {"vcpu": "0.5", "memory_gib": "1"}, "usage": {"kind": "always_on", "replicas": 3}},
        {
            "name": "worker",
            "workload": {"vcpu": "1", "memory_gib": "2"},
            "usage": {"kind": "always_on", "replicas": 1},
            "load_balanced": False,
        },
    ],
}
MAX_APPLICATION_QUERY = 64 * 1024


def application(request: HttpRequest) -> HttpResponse:
    """An application of several services (or an autoscaling one), priced from the scenario JSON its URL
    carries whole: what an import of several services opens, and what a share of it links to."""
    snapshot = price_snapshot_active()
    text = request.GET.get("scenario", "")
    context: dict[str, Any] = {"snapshot": snapshot, "text": text or json.dumps(APPLICATION_EXAMPLE, indent=2)}
    if not text:
        return render(request, "estimates/application.html", context)
    problems: list[str] = []
    if len(text) > MAX_APPLICATION_QUERY:
        problems = [f"The scenario is more than {MAX_APPLICATION_QUERY // 1024} KB."]
    elif snapshot is None:
        problems = ["No price snapshot is loaded yet: run `python manage.py load_seed_prices`."]
    else:
        try:
            data = load_json(text)
            # "Edit": the comparison form with these services filled in, beside their fields any errors.
            context["edit"] = form_edit(data)
            comparison = comparison_get(scenario=parse_scenario(data), snapshot=snapshot, with_sweep=False)
        except ScenarioError as exc:
            problems = exc.lines()
        except ValueError as exc:
            problems = [f"The scenario is not valid JSON: {exc}"]
        else:
            result = comparison.result
            context.update(
                {
                    "result": result,
                    "rows": rows(result),
                    "priced_for": priced_for(result),
                    "figures": figures_for(comparison),
                    # Numbers come back as the decimal strings the contract also takes (never a float's value).
                    "text": json.dumps(data, indent=2, default=str),
                }
            )
    context["problems"] = problems
    return render(request, "estimates/application.html", context, status=400 if problems else 200)


def _uploaded(request: HttpRequest, field: str, limit: int, what: str) -> str | None:
    """An uploaded file's text, or None when none was sent."""
    upload = request.FILES.get(field)
    if upload is None:
        return None
    if (upload.size or 0) > limit:
        raise ImportProblem(f"That {what} is more than {limit // 1024} KB.")
    try:
        return upload.read().decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ImportProblem(f"That {what} is not UTF-8 text.") from None


def import_view(request: HttpRequest) -> HttpResponse:
    """A file fills the form (one service) or opens the application page (several, or one that autoscales); a
    CloudWatch export, with or without a file, gives one service's demand."""
    form = ImportForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            text = _uploaded(request, "file", MAX_IMPORT_BYTES, "file") or form.cleaned_data["text"]
            metrics = _uploaded(request, "metrics_file", MAX_METRICS_BYTES, "metrics export")
            metrics = metrics or form.cleaned_data["metrics_text"]
            imported = import_application(text, metrics, form.metrics_options())
        except ImportProblem as exc:
            context["error"] = str(exc)
        else:
            for note in imported.notes:
                messages.info(request, note)
            if "services" in imported.scenario:
                messages.success(request, "Its services are priced together below; edit the scenario to change them.")
                region = {"region": DEFAULTS["region"]}
                query = urlencode({"scenario": json.dumps({**region, **imported.scenario})})
                return redirect(f"{reverse('estimates:application')}?{query}")
            messages.success(request, "The form is filled from what you pasted; check it, then compare.")
            query = query_from_scenario(imported.scenario, submitted=False)  # URL-encoded: names may hold &, #
            return redirect(f"{reverse('estimates:compare')}?{query}")
    elif request.method == "POST":
        context["error"] = "; ".join(
            f"{form[name].label}: {' '.join(str(e) for e in errs)}" for name, errs in form.errors.items()
        )
    return render(request, "estimates/import.html", context)
