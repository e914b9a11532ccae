"""Variants of the shipped rulebook for tests: read it as data, change a rule, write it back."""

import copy
from functools import cache
from typing import Any

import yaml

from laget.sharing.rulebook import DEFAULT_RULEBOOK


@cache
def _shipped() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_RULEBOOK.read_text(encoding="utf-8"))


def shipped() -> dict[str, Any]:
    """The shipped rulebook as data (a fresh copy to change)."""
    return copy.deepcopy(_shipped())


def rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in data["rules"] if r["id"] == rule_id)


def variant(version: str, **changes: dict[str, Any]) -> str:
    """The shipped rulebook as YAML text under another version, with rules changed:
    variant("2026.2", **{"prl-forebyggende-utlevering": {"effect": "deny"}})."""
    data = shipped()
    data["version"] = version
    for rule_id, fields in changes.items():
        rule(data, rule_id).update(fields)
    return dump(data)


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
