"""`manage.py import_offers FILE`: import a catalogue of offers from CSV (all or nothing)."""

from laget.core.commands import FileImportCommand
from laget.pathways.importer import CatalogueImportError, offers_import


class Command(FileImportCommand):
    help = (
        "Import (or re-import) offers from a CSV file (columns: data/pathways/README.md); an "
        "offer is matched by provider and external_ref. Exit code 2 and one line on stderr if "
        "the file is invalid; nothing is written then."
    )
    errors = (CatalogueImportError,)

    def import_text(self, *, text: str, file_name: str) -> object:
        return offers_import(text=text, actor=None, file_name=file_name)
