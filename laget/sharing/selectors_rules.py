"""Reads of the rulebook itself, which holds no personal data: the version in force and its rules,
the rules in force on a given day, one rule's history across the loaded versions, and the loaded
versions. For the rulebook pages, the API and `manage.py rules`."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from laget.core import clock
from laget.core.errors import NotFound
from laget.sharing.models import Rule, RulebookVersion
from laget.sharing.rulebook import current_version, version_at

#: The fields of a rule that make up its meaning (all but its place in a version); a change in any
#: of them is a change of the rule.
RULE_FIELDS: tuple[str, ...] = tuple(
    field.name for field in Rule._meta.concrete_fields
    if field.name not in {"id", "version", "position", "rule_id"}
)


def rule_changed_fields(old: Rule, new: Rule) -> frozenset[str]:
    """The fields in which two forms of a rule differ (lists compared as sets)."""

    def value(rule: Rule, name: str) -> object:
        raw = getattr(rule, name)
        return frozenset(raw) if isinstance(raw, list) else raw

    return frozenset(name for name in RULE_FIELDS if value(old, name) != value(new, name))


def rulebook_in_force() -> RulebookVersion | None:
    """The version in force now (the newest loaded)."""
    return current_version()


def rule_list(*, version: RulebookVersion) -> list[Rule]:
    """Every rule of a version, in file order (also those not yet or no longer valid)."""
    return list(version.rules.order_by("position"))


def rules_on(*, day: dt.date) -> tuple[RulebookVersion | None, list[Rule]]:
    """What the rules said on `day`: the version in force at the end of that day (Oslo time) and
    its rules valid on that day."""
    end_of_day = dt.datetime.combine(day, dt.time.max, tzinfo=clock.OSLO)
    version = version_at(end_of_day)
    if version is None:
        return None, []
    rules = [
        rule for rule in rule_list(version=version)
        if rule.valid_from <= day and (rule.valid_to is None or day <= rule.valid_to)
    ]
    return version, rules


@dataclass(frozen=True)
class RuleInVersion:
    """One loaded version's form of a rule. `status` is added (first seen, or back after being
    left out), changed, unchanged or removed (`rule` is then None); `changed` names the fields
    that differ from the version before."""

    version: RulebookVersion
    rule: Rule | None
    status: str
    changed: frozenset[str]


def rule_history(*, rule_id: str) -> list[RuleInVersion]:
    """A rule across the loaded versions, oldest first. NotFound if no version has held it."""
    forms = {
        rule.version_id: rule
        for rule in Rule.objects.filter(rule_id=rule_id).select_related("version")
    }
    if not forms:
        raise NotFound(f"No rule {rule_id!r} in any loaded rulebook version")
    history: list[RuleInVersion] = []
    previous: Rule | None = None
    versions = RulebookVersion.objects.select_related("loaded_by").order_by(
        "loaded_at", "created_at"
    )
    for version in versions:
        rule = forms.get(version.pk)
        if rule is None:
            if previous is not None:
                history.append(RuleInVersion(version, None, "removed", frozenset()))
            previous = None
            continue
        changed: frozenset[str] = frozenset()
        if previous is None:
            status = "added"
        else:
            changed = rule_changed_fields(previous, rule)
            status = "changed" if changed else "unchanged"
        history.append(RuleInVersion(version, rule, status, changed))
        previous = rule
    return history


def rulebook_version_list() -> QuerySet[RulebookVersion]:
    """The loaded versions, newest first, with who loaded them and how many rules each has."""
    return (
        RulebookVersion.objects.select_related("loaded_by")
        .annotate(rule_count=Count("rules"))
        .order_by("-loaded_at", "-created_at")
    )
