"""Price snapshots: dated, immutable sets of AWS prices, each row with its source.

A snapshot is written once (status `building`), then activated; after that nothing edits it. Saved
estimates point at the snapshot they were priced with, so old snapshots are kept.
"""

from django.db import models
from django.db.models import Q


class PriceSnapshot(models.Model):
    class Status(models.TextChoices):
        BUILDING = "building", "Building"
        ACTIVE = "active", "Active"
        SUPERSEDED = "superseded", "Superseded"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        SEED = "seed", "Seed file shipped with the app"
        QUERY_API = "query_api", "AWS Price List Query API"
        BULK_API = "bulk_api", "AWS Price List Bulk API"

    source = models.CharField(max_length=20, choices=Source.choices)
    as_of = models.DateField(help_text="The date the prices were published or captured.")
    title = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BUILDING)
    checksum = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the normalised rows.")
    row_count = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # At most one active snapshot, enforced by the database itself.
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="active"), name="price_snapshot_single_active"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_source_display()}, as of {self.as_of} ({self.get_status_display().lower()})"


class PriceSource(models.Model):
    """Where a group of figures came from: a page, a document or a generated file, with its date."""

    snapshot = models.ForeignKey(PriceSnapshot, on_delete=models.CASCADE, related_name="sources")
    ref = models.CharField(max_length=80)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500, blank=True)
    data_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["ref"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "ref"], name="price_source_unique_ref")]

    def __str__(self) -> str:
        return self.ref


class Price(models.Model):
    """One price: a service's usage type in a region, in USD per unit, exactly as published."""

    snapshot = models.ForeignKey(PriceSnapshot, on_delete=models.CASCADE, related_name="prices")
    service_code = models.CharField(max_length=40)
    region = models.CharField(max_length=30)
    key = models.CharField(max_length=120, help_text="Stable key, such as the usage type without its region prefix.")
    unit = models.CharField(max_length=40)
    usd = models.DecimalField(max_digits=20, decimal_places=10)
    description = models.CharField(max_length=300, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    source = models.ForeignKey(PriceSource, on_delete=models.CASCADE, related_name="prices", null=True)

    class Meta:
        ordering = ["service_code", "region", "key"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "service_code", "region", "key"], name="price_unique_key")
        ]
        indexes = [models.Index(fields=["snapshot", "service_code", "region"], name="price_lookup")]

    def __str__(self) -> str:
        return f"{self.service_code} {self.region} {self.key} = {self.usd} per {self.unit}"


class RefreshFailure(models.TextChoices):
    """Why a refresh, or one of its parts, failed: what anyone may read. The `error` fields hold the detail
    (messages of the sources and of the database, which may quote SQL or paths) that only staff see."""

    UNREACHABLE = "unreachable", "the price source could not be reached"
    CREDENTIALS = "credentials", "AWS refused the credentials"
    BAD_SOURCE = "bad_source", "the price source gave nothing that could be used"
    MALFORMED = "malformed", "too many of the source's prices were malformed"
    WORKER_LOST = "worker_lost", "the worker running it stopped"
    INTERNAL = "internal", "an unexpected error"
    PARTS = "parts", "some of its parts failed"
    REFUSED = "refused", "the new prices did not pass validation"
    ABANDONED = "abandoned", "no worker worked on it for several minutes"
    NOT_QUEUED = "not_queued", "the task broker could not be reached"
    INTERRUPTED = "interrupted", "it was interrupted"


class PriceRefresh(models.Model):
    """One pull of prices from AWS into a new snapshot: its parts, progress and outcome."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        QUERY = "query", "Price List Query API"
        BULK = "bulk", "Price List Bulk API"
        OFFER_FILE = "offer_file", "Local offer files"

    snapshot = models.OneToOneField(PriceSnapshot, on_delete=models.CASCADE, related_name="refresh")
    source = models.CharField(max_length=20, choices=Source.choices)
    regions = models.JSONField(default=list)
    services = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    failure = models.CharField(max_length=20, choices=RefreshFailure.choices, blank=True)
    error = models.TextField(blank=True, help_text="What went wrong, in detail: for staff only.")
    requested_by = models.CharField(max_length=150, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"refresh #{self.pk} ({self.status})"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class PriceRefreshPart(models.Model):
    """One service in one region of a refresh: fetched, normalised and written as one unit.

    A worker claims a part by writing a lease token, then renews `heartbeat_at` while it works; a part whose
    heartbeat is older than PRICE_REFRESH_LEASE_SECONDS has lost its worker and may be claimed again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    refresh = models.ForeignKey(PriceRefresh, on_delete=models.CASCADE, related_name="parts")
    service_code = models.CharField(max_length=40)
    region = models.CharField(max_length=30)
    offer_file = models.CharField(max_length=500, blank=True, help_text="A local offer file to read instead.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    rows = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    rejected_reasons = models.JSONField(default=dict, blank=True)
    carried_over = models.PositiveIntegerField(
        default=0, help_text="Prices the source should have brought and did not, carried over (flagged)."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    failure = models.CharField(max_length=20, choices=RefreshFailure.choices, blank=True)
    error = models.TextField(blank=True, help_text="What went wrong, in detail: for staff only.")
    lease_token = models.CharField(max_length=32, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True, help_text="host:pid of the process working on it.")
    queued_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["service_code", "region"]
        constraints = [
            models.UniqueConstraint(fields=["refresh", "service_code", "region"], name="refresh_part_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service_code} {self.region} ({self.status})"
