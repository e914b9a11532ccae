"""`manage.py import_areas`: load Oslo's districts, boundaries and population from data files."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laget.areas.importer import AreaImportError, default_data_dir, import_areas


class Command(BaseCommand):
    help = (
        "Import (or re-import) districts, subdistricts, boundaries and population from the data "
        "directory; updates in place. Exit code 2 and one line on stderr if a file is invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Folder with the area files (default: data/areas in the repository).",
        )

    def handle(self, *args: Any, data_dir: Path | None, **options: Any) -> None:
        try:
            summary = import_areas(data_dir=data_dir or default_data_dir())
        except AreaImportError as exc:
            self.stderr.write(str(exc))
            raise SystemExit(2) from None
        if options["verbosity"] >= 1:
            self.stdout.write(str(summary))
