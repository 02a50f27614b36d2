from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pricing.seedfile import SeedFileError
from pricing.selectors import price_snapshot_active
from pricing.services import price_snapshot_load_seed


class Command(BaseCommand):
    help = "Load the seed price snapshot shipped in pricing/data/ and make it active (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=None, help="Seed file (default: SEED_PRICES_FILE).")
        parser.add_argument(
            "--if-none",
            action="store_true",
            help="Do nothing when an active snapshot exists already (used by `make run`).",
        )

    def handle(self, *args: object, **options: Any) -> None:
        if options["if_none"] and (active := price_snapshot_active()) is not None:
            self.stdout.write(f"Prices: snapshot #{active.pk} as of {active.as_of} is active; seed not loaded.")
            return
        path: Path = options["file"] or settings.SEED_PRICES_FILE
        try:
            result = price_snapshot_load_seed(path=path)
        except SeedFileError as exc:
            raise CommandError(f"The seed price file was refused; the active snapshot is unchanged.\n{exc}") from None
        snapshot = result.snapshot
        if result.created:
            self.stdout.write(
                f"Prices: loaded seed snapshot #{snapshot.pk} as of {snapshot.as_of} "
                f"({snapshot.row_count} prices) and made it active."
            )
        else:
            self.stdout.write(
                f"Prices: this seed is already snapshot #{snapshot.pk} ({snapshot.status}); nothing changed."
            )
