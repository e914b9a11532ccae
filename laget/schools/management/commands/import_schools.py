"""`manage.py import_schools FILE`: load the school register from CSV (all or nothing)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laget.schools.importer import SchoolImportError, schools_import


class Command(BaseCommand):
    help = (
        "Import (or re-import) schools from a CSV file (columns: data/schools/README.md); a school "
        "is matched by organisation number. Exit code 2 and one line on stderr if the file is "
        "invalid; nothing is written then."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.stderr.write(f"Kan ikke lese {file.name}: {error.__class__.__name__}")
            raise SystemExit(2) from None
        try:
            summary = schools_import(text=text, file_name=file.name)
        except SchoolImportError as error:
            self.stderr.write(str(error))
            raise SystemExit(2) from None
        if options["verbosity"] >= 1:
            self.stdout.write(str(summary))
