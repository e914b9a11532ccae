"""`manage.py seed_demo`: load synthetic Oslo (idempotent) and print the demo logins."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from laget.demo.builder import DEMO_PASSWORD, build_demo


class Command(BaseCommand):
    help = "Load the synthetic demo data (agencies, staff, ~300 young persons with guardians)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--persons", type=int, default=300)
        parser.add_argument("--quiet-logins", action="store_true",
                            help="Do not print the table of demo logins.")

    def handle(self, *args: Any, seed: int, persons: int, quiet_logins: bool,
               **options: Any) -> None:
        if not settings.LAGET_ALLOW_SYNTHETIC_IDS:
            self.stderr.write("seed_demo: demo data needs LAGET_ALLOW_SYNTHETIC_IDS=1 "
                              "(never in production)")
            raise SystemExit(2)
        if persons < 0 or persons > 100_000:
            self.stderr.write("seed_demo: --persons must be between 0 and 100000")
            raise SystemExit(2)
        summary = build_demo(seed=seed, persons=persons)
        self.stdout.write(
            f"Demo: {summary.agencies} agencies, {summary.users} users, {summary.persons} "
            f"synthetic persons ({summary.created_persons} new), {summary.created_cases} new "
            "cases."
        )
        if quiet_logins:
            return
        self.stdout.write(f"\nDemo logins — password for all: {DEMO_PASSWORD}")
        self.stdout.write("The one-time code is shown on the login page in demo mode; the TOTP "
                          "secret (base32) works in any authenticator app.\n")
        width = max(len(login.username) for login in summary.logins)
        for login in summary.logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.totp_secret}  "
                              f"{login.role} – {login.agency}")
