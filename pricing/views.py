from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from pricing.forms import DiffForm, RefreshForm
from pricing.models import PriceRefresh, PriceRefreshPart, PriceSnapshot
from pricing.refresh import refresh_start, refresh_supersede_stalled
from pricing.selectors import (
    SERVABLE,
    price_refresh_running,
    price_refresh_summary,
    price_snapshot_history,
    snapshot_diff,
)
from pricing.tasks import launch_refresh


def _is_staff(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and request.user.is_staff)


def prices(request: HttpRequest) -> HttpResponse:
    snapshots = list(price_snapshot_history())
    regions = dict(
        PriceSnapshot.objects.filter(pk__in=[s.pk for s in snapshots])
        .annotate(n=Count("prices__region", distinct=True))
        .values_list("pk", "n")
    )
    comparable = [s for s in snapshots if s.status in SERVABLE]
    diff_form = DiffForm(
        initial={"older": comparable[1].pk, "newer": comparable[0].pk} if len(comparable) > 1 else None
    )
    rows = []
    for snapshot in snapshots:
        refresh = _refresh_of(snapshot)
        # Anyone sees what happened; staff also see the detail (source messages, paths, database errors).
        summary = price_refresh_summary(refresh=refresh) if refresh and refresh.status == "failed" else ""
        rows.append((snapshot, regions.get(snapshot.pk, 0), refresh, summary))
    return render(
        request,
        "pricing/prices.html",
        {
            "snapshots": rows,
            "running": price_refresh_running(),
            "refresh_form": RefreshForm() if _is_staff(request) else None,
            "diff_form": diff_form,
            "show_detail": _is_staff(request),
        },
    )


def _refresh_of(snapshot: PriceSnapshot) -> PriceRefresh | None:
    try:
        return snapshot.refresh
    except PriceRefresh.DoesNotExist:
        return None


@require_POST
@staff_member_required
def start_refresh(request: HttpRequest) -> HttpResponse:
    form = RefreshForm(request.POST)
    if not form.is_valid():
        # A form's errors iterate as their messages (str), though the stubs allow ValidationErrors too.
        problems = "; ".join(f"{field}: {' '.join(map(str, errors))}" for field, errors in form.errors.items())
        messages.error(request, f"The refresh was not started: {problems}")
        return redirect("pricing:prices")
    # A refresh whose workers died (no heartbeat for a lease) is not "already running": it is ended here.
    for pk in refresh_supersede_stalled():
        messages.warning(request, f"Refresh #{pk} had stopped (no worker worked on it for minutes); it was ended.")
    if price_refresh_running() is not None:
        messages.error(request, "A refresh is already running; wait for it to finish.")
        return redirect("pricing:prices")
    refresh = refresh_start(
        source=form.cleaned_data["source"],
        regions=form.cleaned_data["regions"],
        services=form.cleaned_data["services"],
        requested_by=request.user.get_username(),
    )
    try:
        launch_refresh(refresh)
    except Exception:
        messages.error(request, "The refresh could not be queued: the task broker is not reachable.")
        return redirect("pricing:prices")
    messages.success(request, f"Refresh #{refresh.pk} started.")
    return redirect("pricing:prices")


def refresh_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """A refresh's progress as JSON, for its page. The error texts are for staff; anyone gets the summary."""
    refresh = get_object_or_404(PriceRefresh, pk=pk)
    parts = list(refresh.parts.all())
    staff = _is_staff(request)

    def part_json(part: PriceRefreshPart) -> dict[str, object]:
        data: dict[str, object] = {
            "service_code": part.service_code,
            "region": part.region,
            "status": part.status,
            "rows": part.rows,
            "rejected": part.rejected,
            "failure": part.get_failure_display() if part.failure else "",
        }
        if staff:
            data["error"] = part.error
        return data

    body: dict[str, object] = {
        "id": refresh.pk,
        "status": refresh.status,
        "summary": price_refresh_summary(refresh=refresh, parts=parts),
        "parts_total": len(parts),
        "parts_done": sum(1 for p in parts if p.status in {"done", "failed"}),
        "rows": sum(p.rows for p in parts),
        "parts": [part_json(p) for p in parts],
    }
    if staff:
        body["error"] = refresh.error
    return JsonResponse(body)


def diff(request: HttpRequest) -> HttpResponse:
    form = DiffForm(request.GET or None)
    result = None
    if form.is_valid():
        older, newer = form.cleaned_data["older"], form.cleaned_data["newer"]
        if older.created_at > newer.created_at:
            older, newer = newer, older
        result = snapshot_diff(older=older, newer=newer, region=form.cleaned_data["region"] or None)
    return render(request, "pricing/diff.html", {"form": form, "diff": result})
