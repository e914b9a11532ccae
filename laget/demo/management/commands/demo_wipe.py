"""`manage.py demo_wipe`: wipe the demo database and build the demo again, in one command.
Refused with exit 2 and one line unless in demo mode on a database without real people
(laget.demo.wipe)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laget.demo.builder import build_demo
from laget.demo.wipe import WipeRefused, wipe


class Command(BaseCommand):
    help = "Wipe the demo data and build it again (demo mode only; refused in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--persons", type=int, default=300)
        parser.add_argument("--no-rebuild", action="store_true",
                            help="Only wipe (the next seed_demo builds the demo again).")

    def handle(self, *args: Any, seed: int, persons: int, no_rebuild: bool,
               **options: Any) -> None:
        if persons < 0 or persons > 100_000:
            self.stderr.write("demo_wipe: --persons must be between 0 and 100000")
            raise SystemExit(2)
        try:
            tables = wipe()
        except WipeRefused as refused:
            self.stderr.write(str(refused))
            raise SystemExit(2) from None
        self.stdout.write(f"demo_wipe: {tables} tables emptied")
        if no_rebuild:
            return
        summary = build_demo(seed=seed, persons=persons)
        self.stdout.write(
            f"Demo rebuilt: {summary.agencies} agencies, {summary.users} users, "
            f"{summary.persons} synthetic persons, {summary.created_cases} cases "
            "(log in with the same demo logins as seed_demo prints).")
