"""`manage.py seed_scale`: synthetic Oslo at city scale for benchmarks (laget.demo.scale).

Runs once per database: a second run with the same sizes and seed changes nothing; a run with
other sizes is refused (exit 2), since the benchmark figures belong to one size.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from laget.core.errors import DomainError
from laget.demo.scale import (
    FULL,
    SMALL,
    ScaleSize,
    ScaleSummary,
    build_scale,
    build_workflow,
)


class Command(BaseCommand):
    help = ("Seed synthetic Oslo at city scale (default 100 000 persons, 1 000 000 entries, "
            "2 000 users in 15 bydeler) for benchmarks. Synthetic data only. With --workflow, "
            "also the cases' SaLTo workflow (plans, tasks, meetings, status history).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=None)
        parser.add_argument("--entries", type=int, default=None)
        parser.add_argument("--users", type=int, default=None)
        parser.add_argument("--districts", type=int, default=None)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--workflow", action="store_true",
            help="Also give the cases their SaLTo workflow (laget.demo.scale.build_workflow), "
                 "once; a database seeded without it gets it added.",
        )
        parser.add_argument(
            "--small", action="store_true",
            help=f"A small preset for tests: {SMALL.persons} persons, {SMALL.entries} entries, "
                 f"{SMALL.users} users in {SMALL.districts} bydeler (other options override it).",
        )

    def _fail(self, message: str) -> None:
        self.stderr.write(f"seed_scale: {message}")
        raise SystemExit(2)

    def handle(self, *args: Any, persons: int | None, entries: int | None, users: int | None,
               districts: int | None, seed: int, small: bool, workflow: bool = False,
               **options: Any) -> None:
        if not settings.LAGET_ALLOW_SYNTHETIC_IDS:
            self._fail("synthetic data needs LAGET_ALLOW_SYNTHETIC_IDS=1 (never in production)")
        preset = SMALL if small else FULL
        size = ScaleSize(
            persons=preset.persons if persons is None else persons,
            entries=preset.entries if entries is None else entries,
            users=preset.users if users is None else users,
            districts=preset.districts if districts is None else districts,
        )
        limits = {"persons": (1, 2_000_000), "entries": (0, 20_000_000),
                  "users": (1, 100_000), "districts": (1, 15)}
        for name, (low, high) in limits.items():
            value = getattr(size, name)
            if not low <= value <= high:
                self._fail(f"--{name} must be between {low} and {high}")
        try:
            summary = build_scale(size=size, seed=seed)
        except DomainError as exc:
            self._fail(exc.message)
        self._report(summary, size, seed)
        if workflow:
            self._workflow(seed)

    def _workflow(self, seed: int) -> None:
        try:
            made = build_workflow(seed=seed)
        except DomainError as exc:
            self._fail(exc.message)
        if not made.created:
            self.stdout.write("seed_scale: the cases' workflow is already there; nothing changed.")
            return
        self.stdout.write(
            f"seed_scale: workflow: {made.status_changes} status changes, {made.plans} plans, "
            f"{made.goals} goals, {made.tasks} tasks, {made.meetings} meetings "
            f"({made.participants} participants, {made.decisions} decisions), "
            f"{made.guardian_contacts} guardian contacts, {made.concerns} new concerns "
            f"in {made.seconds} s."
        )

    def _report(self, summary: ScaleSummary, size: ScaleSize, seed: int) -> None:
        if not summary.created:
            self.stdout.write(
                f"seed_scale: already seeded at this size ({size.persons} persons, "
                f"{summary.entries} entries, {size.users} users, {size.districts} bydeler, "
                f"seed {seed}); nothing changed."
            )
            return
        timings = ", ".join(f"{name} {seconds} s" for name, seconds in summary.timings.items())
        self.stdout.write(
            f"seed_scale: {summary.agencies} agencies, {summary.users} users, {summary.persons} "
            f"persons, {summary.guardians} guardians, {summary.cases} cases, "
            f"{summary.team_members} team members, {summary.markers} markers, "
            f"{summary.consents} consents ({summary.grants} grants), {summary.entries} entries "
            f"in {summary.seconds} s ({timings})."
        )
