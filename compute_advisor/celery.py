"""The Celery app. Broker and result backend come from REDIS_URL via Django settings."""

import os

from celery import Celery

from compute_advisor.lib.env import settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compute_advisor.settings")
# `celery -A compute_advisor ...` with a setting it cannot read: one line that names it, not a traceback.
# (Inside Django, which imports this module once the settings are loaded, this does nothing.)
settings_or_exit("celery")

app = Celery("compute_advisor")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def schedule(sender: Celery, **kwargs: object) -> None:
    """The beat schedule lives in code: a daily price refresh when AWS access is configured, and every minute
    the reaper that hands the parts of a dead worker to a live one (pricing.refresh.refresh_reap)."""
    from celery.schedules import crontab
    from django.conf import settings

    sender.add_periodic_task(
        float(settings.PRICE_REFRESH_REAP_EVERY_SECONDS),
        sender.signature("pricing.tasks.reap_refreshes"),
        name="hand the refresh parts of dead workers to live ones",
    )
    if settings.PRICE_REFRESH_SCHEDULE:
        sender.add_periodic_task(
            crontab(minute=17, hour=settings.PRICE_REFRESH_HOUR_UTC),
            sender.signature("pricing.tasks.refresh_prices"),
            name="refresh prices daily",
        )
