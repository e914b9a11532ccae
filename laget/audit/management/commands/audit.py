"""`manage.py audit verify [--payloads] | checkpoint | sequencer | keygen NAME`: the audit log's
tools."""

import argparse
import datetime as dt
import logging
import signal
import time
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection

from laget.audit import log, note, retention
from laget.core import clock
from laget.core.outage import database_unavailable

logger = logging.getLogger("laget.audit")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "Verify the audit log, sign a checkpoint, or generate a signing key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="Recompute the tree and check every checkpoint.")
        verify.add_argument("--payloads", action="store_true",
                            help="Also open every commitment whose payload is not erased.")
        sub.add_parser("checkpoint", help="Sequence waiting events and sign a checkpoint.")
        sequencer = sub.add_parser(
            "sequencer", help="Run the sequencer: integrate new events and sign a checkpoint "
                              "every interval while the log grows (none while idle).")
        sequencer.add_argument("--interval", type=float, default=1.0,
                               help="Seconds between rounds (default 1).")
        erase = sub.add_parser(
            "erase", help="Erase what identifies people in events past the retention period.")
        erase.add_argument("--before", type=_date, default=None,
                           help="Erase events before this date (YYYY-MM-DD) instead.")
        keygen = sub.add_parser("keygen", help="Print a new signer key (keep it secret).")
        keygen.add_argument("name", help="The log's origin line, e.g. laget.oslo.kommune.no/log")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        self.verbosity = int(options.get("verbosity", 1))
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
            if subcommand == "erase":
                before = options["before"]
                count = retention.erase_expired(before=dt.datetime.combine(
                    before, dt.time(), tzinfo=clock.OSLO) if before else None)
                self.stdout.write(f"erased {count} events")
                return
            if subcommand == "sequencer":
                self._sequencer(interval=options["interval"])
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
                f"audit log verified, but not its payloads: {report.payload_problem}",
                returncode=1)
        line = (f"verified {report.size} entries, root {report.root.hex()}, "
                f"{report.checkpoints} checkpoints")
        if report.unsequenced:
            line += f", {report.unsequenced} waiting for the sequencer"
        if payloads:
            line += (f"; payloads: {report.payloads_checked} opened, "
                     f"{report.payloads_erased} erased")
        self.stdout.write(line)

    def _sequencer(self, *, interval: float) -> None:
        if interval <= 0:
            raise ValueError("--interval must be positive")
        stopping = False

        def stop(_signum: int, _frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            started = time.monotonic()
            try:
                made = log.checkpoint()
            except DatabaseError as error:
                if not database_unavailable(error):
                    raise
                # PostgreSQL restarted or away: the round's transaction rolled back whole;
                # drop the broken connection and try again next round (laget.core.outage).
                logger.warning("audit sequencer: database unavailable, retrying")
                connection.close()
                made = None
            if made is not None and self.verbosity > 1:
                self.stdout.write(f"checkpoint {made.size}")
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
