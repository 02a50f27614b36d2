"""`python manage.py refresh_prices`: pull AWS prices into a new snapshot, with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pricing.fetchers import fetch_part
from pricing.models import PriceRefresh, RefreshFailure
from pricing.price_list_items import SERVICES as PRICE_LIST_SERVICES
from pricing.refresh import (
    SERVICES,
    RefreshRefused,
    refresh_fail,
    refresh_finish,
    refresh_part_fail,
    refresh_part_run,
    refresh_start,
    refresh_supersede_stalled,
)
from pricing.selectors import price_refresh_running
from pricing.sources.bulk_api import SourceUnavailable
from pricing.sources.offer_file import offer_metadata, path_opener
from pricing.sources.query_api import CredentialsProblem, Throttled


class Command(BaseCommand):
    help = "Refresh prices from the AWS Price List (Query or Bulk API, or local offer files) into a new snapshot."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", action="append", dest="regions", help="Region (repeatable).")
        parser.add_argument(
            "--service",
            action="append",
            dest="services",
            choices=SERVICES,
            help="Service (repeatable); EC2-SpotAdvisor is the EC2 Spot Instance Advisor's feed.",
        )
        parser.add_argument("--source", choices=["query", "bulk"], default=None)
        parser.add_argument(
            "--offer-file",
            action="append",
            dest="offer_files",
            type=Path,
            help="A local Price List offer file (repeatable); its service comes from the file.",
        )
        parser.add_argument("--queue", action="store_true", help="Queue the refresh for Celery workers and return.")

    def handle(self, *args: Any, **options: Any) -> None:
        offer_files = self._offer_files(options["offer_files"] or [], options["regions"])
        source = "offer_file" if offer_files else (options["source"] or settings.PRICE_REFRESH_SOURCE)
        # As for staff on the prices page: one refresh at a time, and one whose workers died does not count.
        for pk in refresh_supersede_stalled():
            self.stderr.write(f"Refresh #{pk} had stopped (no worker worked on it for minutes); it was ended.")
        running = price_refresh_running()
        if running is not None:
            raise CommandError(f"Refresh #{running.pk} is already running; wait for it to finish.")
        try:
            refresh = refresh_start(
                source=source,
                regions=options["regions"],
                services=options["services"],
                offer_files=offer_files,
                requested_by="command line",
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options["queue"]:
            from pricing.tasks import launch_refresh

            launch_refresh(refresh)
            self.stdout.write(f"Refresh #{refresh.pk} queued: {refresh.parts.count()} parts.")
            return
        try:
            self._run(refresh)
        except BaseException as exc:
            # Whatever stopped us, the refresh is over and the active snapshot stays.
            refresh_fail(refresh=refresh, error=str(exc) or type(exc).__name__, failure=RefreshFailure.INTERRUPTED)
            raise

    def _offer_files(self, paths: list[Path], regions: list[str] | None) -> dict[tuple[str, str], str]:
        found: dict[tuple[str, str], str] = {}
        for path in paths:
            if not path.is_file():
                raise CommandError(f"No such offer file: {path}")
            try:
                service = offer_metadata(path_opener(path)).get("offerCode", "")
            except Exception as exc:  # ijson raises its own errors on a file that is not JSON
                raise CommandError(f"{path} is not a Price List offer file: {exc}") from None
            if service not in PRICE_LIST_SERVICES:
                raise CommandError(
                    f"{path}: offer {service or '(none)'} is not one we price ({', '.join(PRICE_LIST_SERVICES)})"
                )
            if not regions or len(regions) != 1:
                raise CommandError("Give exactly one --region for the offer files (they hold one region each).")
            found[(service, regions[0])] = str(path.resolve())
        return found

    def _run(self, refresh: PriceRefresh) -> None:
        parts = list(refresh.parts.select_related("refresh__snapshot"))
        bar = Progress(self.stdout, total=len(parts))
        for index, part in enumerate(parts, start=1):
            bar.part(index, f"{part.service_code} {part.region}")
            try:
                outcome = refresh_part_run(part=part, fetch=fetch_part, progress=bar.rows)
            except (CredentialsProblem, Throttled, SourceUnavailable, RefreshRefused, OSError, ValueError) as exc:
                failure = _failure_of(exc)
                refresh_part_fail(part=part, error=str(exc), failure=failure)
                refresh_fail(refresh=refresh, error=f"{part.service_code} {part.region}: {exc}", failure=failure)
                bar.done()
                raise CommandError(f"Refresh #{refresh.pk} failed; the active snapshot is unchanged.\n{exc}") from None
            except Exception as exc:
                refresh_fail(
                    refresh=refresh,
                    error=f"{part.service_code} {part.region}: {type(exc).__name__}: {exc}",
                    failure=RefreshFailure.INTERNAL,
                )
                raise
            if outcome is None:
                bar.note("taken by another worker, or done already")
                continue
            bar.note(
                f"{outcome.rows} prices"
                + (f", {outcome.rejected} malformed items rejected" if outcome.rejected else "")
            )
        bar.done()
        refresh = refresh_finish(refresh=refresh)
        if refresh.status != PriceRefresh.Status.SUCCEEDED:
            raise CommandError(f"Refresh #{refresh.pk} was not activated: {refresh.error}")
        self.stdout.write(
            f"Snapshot #{refresh.snapshot.pk} is active: {refresh.snapshot.row_count} prices ({refresh.snapshot.notes})"
        )


def _failure_of(exc: BaseException) -> str:
    if isinstance(exc, RefreshRefused):
        return exc.failure
    if isinstance(exc, (Throttled, SourceUnavailable)):
        return RefreshFailure.UNREACHABLE
    if isinstance(exc, CredentialsProblem):
        return RefreshFailure.CREDENTIALS
    return RefreshFailure.BAD_SOURCE


class Progress:
    """A one-line progress bar on a terminal; plain lines elsewhere (logs, CI)."""

    def __init__(self, out: Any, *, total: int) -> None:
        self.out, self.total, self.count, self.label = out, total, 0, ""
        self.tty = bool(out.isatty())

    def part(self, index: int, label: str) -> None:
        self.index, self.label, self.count = index, label, 0
        self._draw()

    def rows(self, count: int) -> None:
        self.count += count
        if self.tty:
            self._draw()

    def note(self, text: str) -> None:
        if self.tty:
            self.out.write("\r\033[K", ending="")
        self.out.write(f"[{self.index}/{self.total}] {self.label}: {text}")

    def _draw(self) -> None:
        if not self.tty:
            return
        width = 30
        filled = int(width * (self.index - 1) / max(self.total, 1))
        self.out.write(
            f"\r\033[K[{'#' * filled}{'.' * (width - filled)}] {self.index}/{self.total} {self.label} "
            f"{self.count} prices",
            ending="",
        )
        self.out.flush()

    def done(self) -> None:
        if self.tty:
            self.out.write("", ending="\n")
