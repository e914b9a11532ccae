"""`manage.py audit verify [--payloads] | checkpoint | keygen NAME`: the audit log's tools."""

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from laget.audit import log, note


class Command(BaseCommand):
    help = "Verify the audit log, sign a checkpoint, or generate a signing key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="Recompute the tree and check every checkpoint.")
        verify.add_argument("--payloads", action="store_true",
                            help="Also open every commitment whose payload is not erased.")
        sub.add_parser("checkpoint", help="Sequence waiting events and sign a checkpoint.")
        keygen = sub.add_parser("keygen", help="Print a new signer key (keep it secret).")
        keygen.add_argument("name", help="The log's origin line, e.g. laget.oslo.kommune.no/log")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        try:
            if subcommand == "keygen":
                key = note.signer_key(name=options["name"],
                                      private_key=Ed25519PrivateKey.generate())
                self.stdout.write(key)
                return
            if subcommand == "checkpoint":
                made = log.checkpoint()
                self.stdout.write(f"checkpoint {made.size}" if made else "no new entries")
                return
            self._verify(payloads=options["payloads"])
        except (ImproperlyConfigured, ValueError) as error:
            raise CommandError(str(error), returncode=2) from None

    def _verify(self, *, payloads: bool) -> None:
        report = log.verify(payloads=payloads)
        if report.first_bad_index is not None or report.problem:
            where = (f"first bad index {report.first_bad_index}: "
                     if report.first_bad_index is not None else "")
            raise CommandError(f"audit log NOT verified: {where}{report.problem}", returncode=1)
        if report.first_bad_payload is not None:
            raise CommandError(
                f"audit log verified, but the payload of index {report.first_bad_payload} does "
                "not open its commitment", returncode=1)
        line = (f"verified {report.size} entries, root {report.root.hex()}, "
                f"{report.checkpoints} checkpoints")
        if payloads:
            line += (f"; payloads: {report.payloads_checked} opened, "
                     f"{report.payloads_erased} erased")
        self.stdout.write(line)
