"""manage.py retention find | report [--bydel CODE]: run the periodic task that finds what is
due for erasure under the retention schedule (as `find_due_erasures` does), or print what is
due, the legal holds in force and what has been erased — ids, dates, rules and counts only.
Confirming an erasure is the bydel leader's, on the page. Bad input: exit 2 with one line."""

import sys
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laget.areas.models import District
from laget.core import clock
from laget.lifecycle.erasure import find_due
from laget.lifecycle.models import CandidateStatus, ErasureCandidate, LegalHold, Tombstone


class Command(BaseCommand):
    help = "Find what is due for erasure under the retention schedule, or report on it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["find", "report"])
        parser.add_argument("--bydel", help="the bydel's code (report: only this bydel)")

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args: Any, action: str, bydel: str | None = None, **options: Any) -> None:
        if bydel is not None and not District.objects.filter(code=bydel).exists():
            self._fail(f"retention: no bydel {bydel!r}")
            return
        if action == "find":
            self.stdout.write(f"retention: {find_due()} found due for erasure")
            return
        scope = {"district_id": bydel} if bydel else {}
        due = ErasureCandidate.objects.filter(status=CandidateStatus.DUE, **scope)
        self.stdout.write(f"Due for erasure ({due.count()}):")
        for candidate in due.order_by("due_at", "id"):
            self.stdout.write(f"  {candidate.kind:<8} {candidate.object_id}  {candidate.rule:<20}"
                              f" due {candidate.due_at:%Y-%m-%d}  bydel {candidate.district_id}")
        holds = LegalHold.objects.active(clock.today()).filter(**scope)
        self.stdout.write(f"Legal holds in force ({holds.count()}):")
        for hold in holds.order_by("ends_on", "id"):
            self.stdout.write(f"  {hold.kind:<8} {hold.object_id}  {hold.reason:<15} "
                              f"until {hold.ends_on:%Y-%m-%d}")
        erased = Counter(Tombstone.objects.filter(**scope).values_list("kind", flat=True))
        self.stdout.write("Erased: " + (", ".join(f"{kind} {n}" for kind, n in
                                                   sorted(erased.items())) or "nothing"))
