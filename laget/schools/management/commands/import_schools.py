"""`manage.py import_schools FILE`: load the school register from CSV (all or nothing)."""

from laget.core.commands import FileImportCommand
from laget.schools.importer import SchoolImportError, schools_import


class Command(FileImportCommand):
    help = (
        "Import (or re-import) schools from a CSV file (columns: data/schools/README.md); a school "
        "is matched by organisation number. Exit code 2 and one line on stderr if the file is "
        "invalid; nothing is written then."
    )
    errors = (SchoolImportError,)

    def import_text(self, *, text: str, file_name: str) -> object:
        return schools_import(text=text, file_name=file_name)
