from celery import shared_task

from compute_advisor.reports.models import ReportBatch
from compute_advisor.reports.services import report_batch_run


@shared_task(name="reports.tasks.make_report_batch", acks_late=True)
def make_report_batch(batch_id: int) -> str:
    batch = ReportBatch.objects.get(pk=batch_id)
    try:
        return report_batch_run(batch=batch).status
    except Exception:
        return ReportBatch.Status.FAILED
