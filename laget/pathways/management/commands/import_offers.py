"""`manage.py import_offers FILE`: import a catalogue of offers from CSV (all or nothing)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laget.pathways.importer import CatalogueImportError, offers_import


class Command(BaseCommand):
    help = (
        "Import (or re-import) offers from a CSV file (columns: data/pathways/README.md); an "
        "offer is matched by provider and external_ref. Exit code 2 and one line on stderr if "
        "the file is invalid; nothing is written then."
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
            summary = offers_import(text=text, actor=None, file_name=file.name)
        except CatalogueImportError as error:
            self.stderr.write(str(error))
            raise SystemExit(2) from None
        if options["verbosity"] >= 1:
            self.stdout.write(str(summary))
