"""manage.py archive_extract --leader USERNAME [--out DIR]: build the Noark 5 extract of the
leader's bydel's closed cases due for the archive (as the archive page's button does, audited as
that leader), and optionally copy its zip to DIR. Bad input: exit 2 with one line."""

import shutil
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laget.accounts.actor import Actor
from laget.accounts.models import Membership, Role
from laget.core.errors import DomainError
from laget.lifecycle.services import archive_extract_build, archive_root


class Command(BaseCommand):
    help = "Build the Noark 5 archive extract of a bydel's closed cases due for the archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--leader", required=True,
                            help="username of the bydel leader the extract is made as")
        parser.add_argument("--bydel", help="the bydel's code (checked against the leader's)")
        parser.add_argument("--out", help="a directory to copy the zip into")

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        membership = (
            Membership.objects.select_related("agency", "user")
            .filter(user__username=options["leader"], role=Role.LEADER, user__is_active=True)
            .first()
        )
        if membership is None:
            self._fail(f"archive_extract: no active leader {options['leader']!r}")
            return
        bydel = options.get("bydel")
        if bydel and membership.agency.district_id != bydel:
            self._fail(f"archive_extract: {options['leader']!r} is not a leader in bydel {bydel}")
            return
        out = Path(options["out"]) if options.get("out") else None
        if out is not None and not out.is_dir():
            self._fail(f"archive_extract: --out {out} is not a directory")
            return
        try:
            extract = archive_extract_build(actor=Actor(membership.user, membership))
        except DomainError as error:
            self._fail(f"archive_extract: {error.message}")
            return
        source = archive_root() / extract.zip_name
        if out is not None:
            shutil.copyfile(source, out / extract.zip_name)
        self.stdout.write(f"{extract.pk} {extract.case_count} cases "
                          f"{extract.document_count} documents sha256={extract.zip_sha256}")
