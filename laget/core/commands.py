"""What Laget's management commands share: bad input ends a command with exit code 2 and one line
on stderr, and nothing written."""

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laget.core.errors import DomainError


class BadInput(Exception):
    """A command's argument names nothing usable (an unknown id or code)."""


def fail(command: BaseCommand, line: str) -> None:
    command.stderr.write(line)
    raise SystemExit(2)


class VerbCommand(BaseCommand):
    """A command of verbs (`manage.py NAME VERB …`, the verbs as subparsers with
    `dest="verb"`): `handle` calls the method `_<verb>` with the options; `BadInput` or a
    `DomainError` ends it with exit code 2 and the one line."""

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        try:
            getattr(self, f"_{verb}")(**options)
        except (BadInput, DomainError) as error:
            fail(self, str(getattr(error, "message", error)))


class FileImportCommand(BaseCommand, ABC):
    """`manage.py NAME FILE`: the file read as UTF-8 and its text handed to `import_text`, all or
    nothing; an unreadable file or one of the importer's `errors` ends it with exit code 2 and
    one line. The import's summary is printed."""

    errors: tuple[type[Exception], ...] = ()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    @abstractmethod
    def import_text(self, *, text: str, file_name: str) -> object:
        """Import the file's text (all or nothing) and return a printable summary."""

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            fail(self, f"Kan ikke lese {file.name}: {error.__class__.__name__}")
        try:
            summary = self.import_text(text=text, file_name=file.name)
        except self.errors as error:
            fail(self, str(error))
        if options["verbosity"] >= 1:
            self.stdout.write(str(summary))
