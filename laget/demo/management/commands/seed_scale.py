"""`manage.py seed_scale`: synthetic Oslo at city scale for benchmarks (laget.demo.scale), with
the services' data (laget.demo.scale_services) and the audit log (laget.demo.scale_audit).

Runs once per database: a second run with the same sizes and seed changes nothing; a run with
other sizes is refused (exit 2), since the benchmark figures belong to one size. The audit log
is topped up to --audit-events leaves (nothing if it holds as many). Free disk is checked first.
"""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from laget.audit import log
from laget.core.errors import DomainError
from laget.demo import scale_disk
from laget.demo.progress import Progress
from laget.demo.scale import (
    FULL,
    SMALL,
    ScaleSize,
    ScaleSummary,
    build_scale,
    build_workflow,
    existing_seed,
)
from laget.demo.scale_audit import seed_audit_log
from laget.demo.scale_services import build_services

#: the audit log's size at full scale and with --small
FULL_AUDIT_EVENTS = 10_000_000
SMALL_AUDIT_EVENTS = 5_000


class Command(BaseCommand):
    help = ("Seed synthetic Oslo at city scale (default 100 000 persons, 1 000 000 entries, "
            "2 000 users in 15 bydeler) for benchmarks. Synthetic data only. With --workflow, "
            "also the cases' SaLTo workflow (plans, tasks, meetings, status history). Police "
            "registrations, fast-track cases, schools and offers are always added, and the "
            "audit log is filled to --audit-events sealed, sequenced events.")

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
            "--audit-events", type=int, default=None,
            help=f"Fill the audit log to this many leaves (default {FULL_AUDIT_EVENTS:,}, "
                 f"with --small {SMALL_AUDIT_EVENTS:,}; 0: add none).",
        )
        parser.add_argument(
            "--small", action="store_true",
            help=f"A small preset for tests: {SMALL.persons} persons, {SMALL.entries} entries, "
                 f"{SMALL.users} users in {SMALL.districts} bydeler, {SMALL_AUDIT_EVENTS} "
                 "audit events (other options override it).",
        )
        parser.add_argument("--quiet", action="store_true",
                            help="No progress bars (there are none when stderr is no terminal).")

    def _fail(self, message: str) -> None:
        self.stderr.write(f"seed_scale: {message}")
        raise SystemExit(2)

    def handle(self, *args: Any, persons: int | None, entries: int | None, users: int | None,
               districts: int | None, seed: int, small: bool, workflow: bool = False,
               audit_events: int | None = None, quiet: bool = False, **options: Any) -> None:
        if not settings.LAGET_ALLOW_SYNTHETIC_IDS:
            self._fail("synthetic data needs LAGET_ALLOW_SYNTHETIC_IDS=1 (never in production)")
        preset = SMALL if small else FULL
        size = ScaleSize(
            persons=preset.persons if persons is None else persons,
            entries=preset.entries if entries is None else entries,
            users=preset.users if users is None else users,
            districts=preset.districts if districts is None else districts,
        )
        if audit_events is None:
            audit_events = SMALL_AUDIT_EVENTS if small else FULL_AUDIT_EVENTS
        limits = {"persons": (1, 2_000_000), "entries": (0, 20_000_000),
                  "users": (1, 100_000), "districts": (1, 15)}
        for name, (low, high) in limits.items():
            value = getattr(size, name)
            if not low <= value <= high:
                self._fail(f"--{name} must be between {low} and {high}")
        if not 0 <= audit_events <= 200_000_000:
            self._fail("--audit-events must be between 0 and 200000000")
        self._check_disk(size, seed, audit_events)
        progress = Progress(enabled=False if quiet else None)
        started = time.monotonic()
        try:
            summary = build_scale(size=size, seed=seed, progress=progress)
        except DomainError as exc:
            self._fail(exc.message)
        self._report(summary, size, seed)
        if workflow:
            self._workflow(seed, progress)
        self._services(seed, progress)
        self._audit(audit_events, seed, progress)
        self.stdout.write(f"seed_scale: done in {time.monotonic() - started:.1f} s.")

    def _check_disk(self, size: ScaleSize, seed: int, audit_events: int) -> None:
        """Refuse (exit 2) when the disk holding the database lacks room for what this run
        would add (nothing for the parts already there)."""
        seeded = existing_seed() == {**size.as_dict(), "seed": seed}
        needed = scale_disk.needed_bytes(
            persons=0 if seeded else size.persons, entries=0 if seeded else size.entries,
            audit_events=max(0, audit_events - log.tiled_size()))
        short = scale_disk.shortfall(needed)
        if short is not None:
            free, where = short
            self._fail(f"not enough free disk for this size: it needs about "
                       f"{needed / 1e9:.1f} GB, {where} has {free / 1e9:.1f} GB free")

    def _services(self, seed: int, progress: Progress) -> None:
        try:
            made = build_services(seed=seed, progress=progress)
        except DomainError as exc:
            self._fail(exc.message)
        if not made.created:
            self.stdout.write("seed_scale: the services' data is already there; nothing changed.")
            return
        timings = ", ".join(f"{name} {seconds} s" for name, seconds in made.timings.items())
        self.stdout.write(
            f"seed_scale: services: {made.registrations} police registrations, "
            f"{made.fasttrack_requests} fast-track requests, {made.youth_cases} youth cases "
            f"({made.milestones} milestones), {made.schools} schools, {made.incidents} "
            f"incidents ({made.incident_pupils} pupils), {made.ambulant_requests} ambulant "
            f"requests ({made.ambulant_visits} visits), {made.offers} offers, "
            f"{made.referrals} referrals in {made.seconds} s ({timings})."
        )

    def _audit(self, target: int, seed: int, progress: Progress) -> None:
        started = time.monotonic()
        try:
            added = seed_audit_log(target, seed=seed, progress=progress)
        except log.LogCorrupt as exc:
            self._fail(f"the audit log is inconsistent ({exc}); run `manage.py audit verify`")
        if not added:
            self.stdout.write(f"seed_scale: the audit log holds {log.tiled_size()} leaves "
                              f"(asked for {target}); nothing added.")
            return
        self.stdout.write(f"seed_scale: audit: {added} events sealed, sequenced and tiled "
                          f"(log size {log.tiled_size()}) in {time.monotonic() - started:.1f} s.")

    def _workflow(self, seed: int, progress: Progress | None = None) -> None:
        try:
            made = build_workflow(seed=seed, progress=progress)
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
