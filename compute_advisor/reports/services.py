"""Batches of reports: one zip with a PDF per saved scenario, made by a Celery task."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from compute_advisor.engine import ScenarioError
from compute_advisor.estimates.models import SavedScenario
from compute_advisor.reports.builder import report_for, report_pdf
from compute_advisor.reports.models import ReportBatch

log = logging.getLogger(__name__)
# A batch queued or running for longer than this is taken to be lost (its worker died): it blocks no new one.
BATCH_STALE_SECONDS = 3600


class BatchRunning(Exception):
    """One batch at a time per account: each renders every saved scenario."""


def report_batch_start(*, user: Any, paper: str = "a4", enqueue: Callable[[int], Any]) -> ReportBatch | None:
    """A batch of the user's saved scenarios, handed to `enqueue` (the Celery task's delay) once it is stored."""
    count = SavedScenario.objects.filter(owner=user).count()
    if not count:
        return None
    unfinished = (ReportBatch.Status.QUEUED, ReportBatch.Status.RUNNING)
    recent = timezone.now() - timedelta(seconds=BATCH_STALE_SECONDS)
    if ReportBatch.objects.filter(owner=user, status__in=unfinished, created_at__gte=recent).exists():
        raise BatchRunning("A batch of reports is already being made for you: wait for it to finish.")
    report_batches_expire()
    batch = ReportBatch.objects.create(owner=user, paper=paper if paper in ("a4", "letter") else "a4", total=count)

    def hand_over() -> None:
        try:
            enqueue(batch.pk)
        except Exception as exc:  # the broker is down: say so now rather than leave the batch queued for ever
            log.warning("report batch %s not queued: %s", batch.pk, exc)
            ReportBatch.objects.filter(pk=batch.pk).update(
                status=ReportBatch.Status.FAILED, error="The task queue cannot be reached: try again later."
            )

    transaction.on_commit(hand_over)
    return batch


def report_batch_run(*, batch: ReportBatch) -> ReportBatch:
    ReportBatch.objects.filter(pk=batch.pk).update(status=ReportBatch.Status.RUNNING, done=0)
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            skipped: list[str] = []
            for index, saved in enumerate(SavedScenario.objects.filter(owner=batch.owner).order_by("pk"), start=1):
                try:
                    report = report_for(scenario_data=saved.scenario, snapshot=saved.snapshot, title=saved.name)
                except ScenarioError as exc:  # saved before a rule or the catalog changed: named, not fatal
                    skipped.append(f"{saved.name} (#{saved.pk}): {'; '.join(exc.lines())}")
                else:
                    archive.writestr(f"{index:02d}-{saved.pk}.pdf", report_pdf(report, paper=batch.paper))
                ReportBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1)
            if skipped:
                archive.writestr("SKIPPED.txt", "These saved scenarios can no longer be priced:\n" + "\n".join(skipped))
    except Exception as exc:
        ReportBatch.objects.filter(pk=batch.pk).update(status=ReportBatch.Status.FAILED, error=str(exc)[:2000])
        raise
    archive_bytes = out.getvalue()
    if len(archive_bytes) > settings.BATCH_ARCHIVE_MAX_BYTES:
        most = settings.BATCH_ARCHIVE_MAX_BYTES // 2**20
        too_big = f"The zip would be {len(archive_bytes) // 2**20} MB, more than the {most} MB kept."
        ReportBatch.objects.filter(pk=batch.pk).update(status=ReportBatch.Status.FAILED, error=too_big)
        batch.refresh_from_db()
        return batch
    note = f"Skipped {len(skipped)} that can no longer be priced: " + "; ".join(skipped) if skipped else ""
    ReportBatch.objects.filter(pk=batch.pk).update(
        status=ReportBatch.Status.DONE, archive=archive_bytes, error=note[:2000]
    )
    batch.refresh_from_db()
    return batch


def report_batches_expire() -> int:
    """Drop the zips of batches older than BATCH_ARCHIVE_DAYS (the batch and its status stay): zips are kept in
    the database, so they are bounded in size (BATCH_ARCHIVE_MAX_BYTES) and in time."""
    cutoff = timezone.now() - timedelta(days=settings.BATCH_ARCHIVE_DAYS)
    return ReportBatch.objects.filter(created_at__lt=cutoff).exclude(archive=b"").update(archive=b"")
