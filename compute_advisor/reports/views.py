"""Reports from the pages: a comparison's URL, a share link, or the wizard's result, as PDF, CSV or JSON."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from compute_advisor.comparison.service import SnapshotPricer
from compute_advisor.engine import ScenarioError
from compute_advisor.estimates.forms import bind_scenario
from compute_advisor.estimates.selectors import scenario_by_token
from compute_advisor.lib.limits import Refused, client_key
from compute_advisor.reports.builder import Report, report_csv, report_for, report_json, report_pdf
from compute_advisor.reports.models import ReportBatch
from compute_advisor.reports.services import BatchRunning, report_batch_start
from compute_advisor.reports.tasks import make_report_batch
from compute_advisor.wizard.recommend import recommend
from compute_advisor.wizard.session import answers_from_session
from pricing.selectors import price_snapshot_active, price_snapshot_regions

FORMATS = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "json": "application/json"}


def _filename(title: str, fmt: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "comparison"
    return f"{slug}.{fmt}"


def send(report: Report, fmt: str, paper: str = "a4", *, request: HttpRequest) -> HttpResponse:
    if fmt == "pdf":
        try:
            body: Any = report_pdf(report, paper=paper, client=client_key(request))
        except Refused as refused:
            busy = JsonResponse({"errors": {"": [str(refused)]}}, status=refused.status)
            busy["Retry-After"] = str(refused.retry_after)
            return busy
    elif fmt == "csv":
        body = report_csv(report)
    elif fmt == "json":
        body = report_json(report)
    else:
        raise Http404("No such format")
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_filename(report.title, fmt)}"'
    return response


def comparison_report(request: HttpRequest, fmt: str) -> HttpResponse:
    """The report of the comparison the URL describes (the same query as the comparison page)."""
    snapshot = price_snapshot_active()
    if snapshot is None:
        return JsonResponse({"errors": {"": ["no price snapshot is loaded"]}}, status=503)
    bound = bind_scenario(request.GET, regions=price_snapshot_regions(snapshot=snapshot))
    if not bound.is_valid():
        return JsonResponse({"errors": bound.error_lists()}, status=400)
    data = bound.scenario_data()
    try:
        report = report_for(scenario_data=data, snapshot=snapshot)
    except ScenarioError as exc:
        return JsonResponse({"errors": exc.errors}, status=400)
    return send(report, fmt, request.GET.get("paper", "a4"), request=request)


def shared_report(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    saved = scenario_by_token(token=token, viewer=request.user)
    try:
        report = report_for(scenario_data=saved.scenario, snapshot=saved.snapshot, title=saved.name)
    except ScenarioError as exc:  # saved before a rule or the catalog changed
        return JsonResponse({"errors": exc.errors}, status=400)
    return send(report, fmt, request.GET.get("paper", "a4"), request=request)


def wizard_report(request: HttpRequest, fmt: str) -> HttpResponse:
    snapshot = price_snapshot_active()
    if snapshot is None:
        raise Http404("No prices")
    try:
        recommendation = recommend(answers_from_session(request.session), SnapshotPricer(snapshot))
    except ScenarioError as exc:
        return JsonResponse({"errors": exc.errors}, status=400)
    report = report_for(
        scenario_data=recommendation.scenario,
        snapshot=snapshot,
        title="Recommendation from the wizard",
        recommendation=recommendation,
    )
    return send(report, fmt, request.GET.get("paper", "a4"), request=request)


@login_required
@require_POST
def batch_start(request: HttpRequest) -> HttpResponse:
    try:
        batch = report_batch_start(
            user=request.user, paper=request.POST.get("paper", "a4"), enqueue=make_report_batch.delay
        )
    except BatchRunning as busy:
        messages.error(request, str(busy))
        return redirect("estimates:mine")
    if batch is None:
        messages.error(request, "Nothing to report: save a scenario first.")
        return redirect("estimates:mine")
    return redirect("reports:batch", pk=batch.pk)


@login_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ReportBatch, pk=pk, owner=request.user)
    if request.GET.get("format") == "json":
        return JsonResponse({"status": item.status, "done": item.done, "total": item.total, "error": item.error})
    if request.GET.get("download") and item.status == ReportBatch.Status.DONE:
        if not item.archive:
            return HttpResponse(
                f"This batch's zip was kept {settings.BATCH_ARCHIVE_DAYS} days and is gone: start a new batch.",
                status=410,
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(bytes(item.archive), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="scenarios-{item.pk}.zip"'
        return response
    return render(request, "reports/batch.html", {"batch": item})
