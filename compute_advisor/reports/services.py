"""Batches of reports: one zip with a PDF per saved scenario, made by a Celery task."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F

from compute_advisor.estimates.models import SavedScenario
from compute_advisor.reports.builder import report_for, report_pdf
from compute_advisor.reports.models import ReportBatch


def report_batch_start(*, user: Any, paper: str = "a4", enqueue: Callable[[int], Any]) -> ReportBatch | None:
    """A batch of the user's saved scenarios, handed to `enqueue` (the Celery task's delay) once it is stored."""
    count = SavedScenario.objects.filter(owner=user).count()
    if not count:
        return None
    batch = ReportBatch.objects.create(owner=user, paper=paper if paper in ("a4", "letter") else "a4", total=count)
    transaction.on_commit(lambda: enqueue(batch.pk))
    return batch


def report_batch_run(*, batch: ReportBatch) -> ReportBatch:
    ReportBatch.objects.filter(pk=batch.pk).update(status=ReportBatch.Status.RUNNING, done=0)
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for index, saved in enumerate(SavedScenario.objects.filter(owner=batch.owner).order_by("pk"), start=1):
                report = report_for(scenario_data=saved.scenario, snapshot=saved.snapshot, title=saved.name)
                archive.writestr(f"{index:02d}-{saved.pk}.pdf", report_pdf(report, paper=batch.paper))
                ReportBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1)
    except Exception as exc:
        ReportBatch.objects.filter(pk=batch.pk).update(status=ReportBatch.Status.FAILED, error=str(exc)[:2000])
        raise
    ReportBatch.objects.filter(pk=batch.pk).update(status=ReportBatch.Status.DONE, archive=out.getvalue())
    batch.refresh_from_db()
    return batch
