from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from pricing.models import Price, PriceSnapshot, PriceSource


class ReadOnlyAdmin(admin.ModelAdmin):
    """Snapshots are immutable: the admin shows them and never edits them."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(PriceSnapshot)
class PriceSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("id", "source", "as_of", "status", "row_count", "created_at", "activated_at")
    list_filter = ("status", "source")


@admin.register(PriceSource)
class PriceSourceAdmin(ReadOnlyAdmin):
    list_display = ("ref", "snapshot", "title", "data_date")
    list_filter = ("snapshot",)


@admin.register(Price)
class PriceAdmin(ReadOnlyAdmin):
    list_display = ("service_code", "region", "key", "unit", "usd", "snapshot")
    list_filter = ("snapshot", "service_code", "region")
    search_fields = ("key", "description")
