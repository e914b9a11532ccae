"""`manage.py restore FOLDER`: a backup (`manage.py backup`) into the configured database, which
must be empty (create it, then run this; no `migrate` first). Exit 2 with one line when it cannot:
a damaged backup, a database with data, the wrong kind of database."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laget.core import backup


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database; then run `manage.py audit verify`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args: Any, folder: Path, **options: Any) -> None:
        try:
            line = backup.restore(folder=folder)
        except (backup.BackupError, OSError) as error:
            raise CommandError(f"restore: {error}", returncode=2) from None
        self.stdout.write(line)
