"""`manage.py backup [--out DIR]`: the database and uploaded files into a new folder (see
laget.core.backup); `make backup` runs it. Exit 2 with one line when it cannot."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from laget.core import backup


class Command(BaseCommand):
    help = "Back up Laget's database and uploaded files into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=None,
                            help="Folder to put the backup in (default var/backups).")

    def handle(self, *args: Any, out: Path | None, **options: Any) -> None:
        try:
            result = backup.backup(out=out or Path(settings.VAR_DIR) / "backups")
        except (backup.BackupError, OSError) as error:
            raise CommandError(f"backup: {error}", returncode=2) from None
        self.stdout.write(str(result.folder))
