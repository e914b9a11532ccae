"""`manage.py rules`: load a rulebook file, show the rules in force on a date, or show what a new
file would change before loading it. A bad or missing file: exit code 2, one line on stderr,
nothing written."""

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from laget.accounts.models import AgencyType
from laget.core import clock
from laget.records.vocabulary import RECIPIENTS, InfoCategory, SharingPurpose
from laget.sharing.models import CitationStatus, Rule, RulebookVersion
from laget.sharing.rulebook import (
    DEFAULT_RULEBOOK,
    RulebookError,
    current_version,
    parse_rulebook_file,
    rulebook_load,
)
from laget.sharing.rulediff import (
    AgeSpan,
    ComboChange,
    Outcome,
    RuleEdit,
    Transition,
    Where,
    rule_edits,
    rulebook_diff,
)
from laget.sharing.selectors_rules import rules_on

DIRECTION = {"gain": "GAIN", "loss": "LOSS", "mixed": "MIXED", "change": "CHANGE"}


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--at: not a date (YYYY-MM-DD): {value}", returncode=2) from None


def _codes(values: list[str], every: tuple[str, ...] | list[str]) -> str:
    return "*" if set(every) <= set(values) else ", ".join(values)


def _ages(spans: tuple[AgeSpan, ...]) -> str:
    return ", ".join(
        f"{s.low}+" if s.high is None else (f"{s.low}" if s.low == s.high else f"{s.low}-{s.high}")
        for s in spans
    )


def _where(where: Where) -> str:
    parts = []
    if where.ages:
        parts.append(f"age {_ages(where.ages)}")
    if where.programmes:
        parts.append("programme " + ", ".join(p or "none" for p in where.programmes))
    if where.weapon_trigger:
        parts.append("weapon trigger " + ", ".join("on" if w else "off"
                                                  for w in where.weapon_trigger))
    if where.consent:
        parts.append("consent " + ", ".join(where.consent))
    return "; ".join(parts) or "always"


def _outcome(outcome: Outcome) -> str:
    if outcome.consent_from:
        return f"{outcome.answer} ({outcome.consent_from})"
    return outcome.answer


def _edit(edit: RuleEdit) -> str:
    if edit.status == "changed":
        return f"{edit.rule_id} ({', '.join(sorted(edit.changed))})"
    return edit.rule_id


def _edits(edits: tuple[RuleEdit, ...]) -> list[str]:
    lines = []
    for status in ("added", "changed", "removed"):
        chosen = [_edit(e) for e in edits if e.status == status]
        if chosen:
            lines.append(f"  rules {status}: {'; '.join(chosen)}")
    return lines


def _loaded(version: RulebookVersion) -> str:
    by = version.loaded_by.username if version.loaded_by else "manage.py"
    at = timezone.localtime(version.loaded_at, clock.OSLO).strftime("%Y-%m-%d %H:%M")
    return f"loaded {at} by {by}"


class Command(BaseCommand):
    help = (
        "The sharing rulebook: 'load [FILE]' loads a file as the version in force (default: the "
        "shipped rulebook), 'show [--at YYYY-MM-DD]' prints the rules in force on a date, "
        "'diff NEW.yaml' shows who would gain or lose access. Exit code 2 and one line on "
        "stderr if a file is invalid; nothing is written then."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load,show,diff}")
        load = actions.add_parser("load", help="Load a rulebook file as the version in force.")
        load.add_argument("file", nargs="?", type=Path, default=None,
                          help=f"The rulebook file (default: {DEFAULT_RULEBOOK.name} as shipped).")
        show = actions.add_parser("show", help="Print the rules in force on a date.")
        show.add_argument("--at", type=str, default=None,
                          help="The date (YYYY-MM-DD; default today).")
        diff = actions.add_parser("diff", help="Compare a file with the version in force.")
        diff.add_argument("file", type=Path, help="The new rulebook file.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "load":
                self._load(options["file"] or DEFAULT_RULEBOOK)
            elif action == "show":
                self._show(_date(options["at"]) if options["at"] else clock.today())
            else:
                self._diff(options["file"])
        except RulebookError as exc:
            raise CommandError(" ".join(str(exc).split()), returncode=2) from None

    def _load(self, path: Path) -> None:
        spec, text = parse_rulebook_file(path)
        previous = current_version()
        edits = rule_edits(previous, spec)
        result = rulebook_load(text=text, file_name=path.name)
        version = result.version
        if not result.created:
            self.stdout.write(
                f"Rulebook {version.version} from {path.name} is already in force "
                f"(sha256 {version.sha256[:12]}); nothing changed."
            )
            return
        before = f"; previous version {previous.version}" if previous else "; no previous version"
        self.stdout.write(
            f"Loaded rulebook {version.version} ({len(spec.rules)} rules) from {path.name}, "
            f"sha256 {version.sha256[:12]}{before}."
        )
        for line in _edits(edits) if previous else []:
            self.stdout.write(line)

    def _show(self, day: dt.date) -> None:
        version, rules = rules_on(day=day)
        if version is None:
            raise CommandError(f"No rulebook had been loaded by {day.isoformat()}.", returncode=1)
        self.stdout.write(
            f"Rulebook {version.version} ({version.title}), {_loaded(version)}, "
            f"sha256 {version.sha256[:12]}."
        )
        self.stdout.write(f"{len(rules)} rules in force on {day.isoformat()}:")
        for rule in rules:
            self.stdout.write("")
            self.stdout.write(self._rule(rule))

    @staticmethod
    def _rule(rule: Rule) -> str:
        conditions = []
        if rule.age_min is not None:
            conditions.append(f"age >= {rule.age_min}")
        if rule.age_max is not None:
            conditions.append(f"age <= {rule.age_max}")
        if rule.programme:
            conditions.append(f"programme {rule.programme}")
        if rule.weapon_trigger:
            conditions.append("open weapon trigger")
        status = (f"reviewed by {rule.reviewed_by} on {rule.reviewed_on}" if rule.reviewed_by
                  else "draft, for legal review")
        symbol = CitationStatus(rule.citation_status).label
        valid = f"{rule.valid_from} to {rule.valid_to or 'further notice'}"
        return "\n".join([
            f"{rule.rule_id}: {rule.effect}",
            f"  {_codes(rule.sources, AgencyType.values)} -> {_codes(rule.recipients, RECIPIENTS)}",
            f"  categories: {_codes(rule.categories, InfoCategory.values)}",
            f"  purposes: {_codes(rule.purposes, SharingPurpose.values)}",
            f"  conditions: {', '.join(conditions) or 'none'}",
            f"  citation: {rule.citation} [{symbol} {rule.citation_status}]",
            f"  status: {status}; valid {valid}",
        ])

    def _diff(self, path: Path) -> None:
        _spec, text = parse_rulebook_file(path)
        diff = rulebook_diff(text=text, file_name=path.name)
        current = diff.current
        against = (f"{current.version} (sha256 {current.sha256[:12]})" if current
                   else "no rulebook (nothing loaded yet)")
        self.stdout.write(
            f"{diff.file_name}: rulebook {diff.version} (sha256 {diff.sha256[:12]}) compared "
            f"with the version in force: {against}."
        )
        if diff.same_as_current:
            self.stdout.write("The file is the version in force; nothing would change.")
            return
        for line in _edits(diff.rules):
            self.stdout.write(line)
        if diff.consent_changed:
            self.stdout.write("  consent settings changed")
        if not diff.changes:
            self.stdout.write("No combination of source, recipient, category and purpose "
                              "changes its answer.")
            return
        self.stdout.write(
            f"{len(diff.access_changes)} combinations change access: {diff.gains} gain, "
            f"{diff.losses} lose, {diff.count('mixed')} both; {diff.count('change')} change "
            f"only who must consent."
        )
        for change in diff.access_changes:
            self.stdout.write(self._change(change))
        for transitions, changes in diff.consent_changes:
            examples = ", ".join(
                f"{c.source} -> {c.recipient} {c.category} {c.purpose}" for c in changes[:3]
            )
            more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
            self.stdout.write(f"CONSENT {len(changes)} combinations ({examples}{more}):")
            for transition in transitions:
                self.stdout.write(self._transition(transition))

    @staticmethod
    def _transition(transition: Transition) -> str:
        where = " | ".join(_where(w) for w in transition.where)
        return f"       {_outcome(transition.old)} -> {_outcome(transition.new)} where {where}"

    @staticmethod
    def _change(change: ComboChange) -> str:
        lines = [
            f"{DIRECTION[change.direction]:<6} {change.source} -> {change.recipient}, "
            f"category {change.category}, purpose {change.purpose}: "
            f"{change.users} users, {change.entries} entries"
        ]
        lines += [Command._transition(transition) for transition in change.transitions]
        return "\n".join(lines)
