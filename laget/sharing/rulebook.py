"""The rulebook as data: a versioned YAML file, validated against a schema when loaded, stored as
a new `RulebookVersion` with its rules. A bad file is rejected with the file, the rule id and the
reason, and nothing is written (the version in force stays in force).
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from django.conf import settings
from django.db import transaction
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType
from laget.audit.actions import Action
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError
from laget.records.vocabulary import RECIPIENTS, InfoCategory, Programme, SharingPurpose
from laget.sharing.models import AgeBand, Effect, Rule, RulebookVersion

DEFAULT_RULEBOOK = Path(__file__).resolve().parent / "rulebook" / "rulebook.yaml"
ALL = "*"


class RulebookError(DomainError):
    """The file is not a valid rulebook; the message names the file, the rule and the reason."""

    def __init__(self, file_name: str, rule_id: str, reason: str) -> None:
        self.file_name, self.rule_id, self.reason = file_name, rule_id, reason
        where = f"{file_name}: rule {rule_id}" if rule_id else file_name
        super().__init__(f"{where}: {reason}", code="rulebook_invalid")


Code = Annotated[str, StringConstraints(min_length=1, max_length=40)]


def _check_codes(values: list[str], allowed: tuple[str, ...] | list[str], what: str) -> list[str]:
    if not values:
        raise ValueError(f"{what}: at least one value (or '*')")
    if values == [ALL]:
        return list(allowed)
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(unknown)}")
    if len(set(values)) != len(values):
        raise ValueError(f"{what}: a value is listed twice")
    return values


class ConditionsSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    programme: str | None = None
    weapon_trigger: bool = False

    @model_validator(mode="after")
    def _check(self) -> "ConditionsSpec":
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("age_min is above age_max")
        if self.programme is not None and self.programme not in Programme.values:
            raise ValueError(f"unknown programme: {self.programme}")
        return self


class Explanation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    nb: Annotated[str, StringConstraints(min_length=10)]
    en: Annotated[str, StringConstraints(min_length=10)]


class RuleSpec(BaseModel):
    """One rule as written in the file. `sources`, `recipients`, `categories` and `purposes` are
    lists of codes, or ['*'] for all."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$")]
    sources: list[Code]
    recipients: list[Code]
    categories: list[Code]
    purposes: list[Code]
    conditions: ConditionsSpec = ConditionsSpec()
    effect: Effect
    #: For a consent-required rule whose law names who consents (konfliktrådsloven § 25: the
    #: young person and the guardian): "both" — a minor's consent must come from both.
    consent_requires: Literal["both"] | None = None
    citation: Annotated[str, StringConstraints(min_length=3, max_length=300)]
    citation_status: Literal["verified", "partial", "unverified"]
    explanation: Explanation
    reviewed_by: str = ""
    reviewed_on: dt.date | None = None
    valid_from: dt.date
    valid_to: dt.date | None = None

    @model_validator(mode="after")
    def _check(self) -> "RuleSpec":
        object.__setattr__(
            self, "sources", _check_codes(self.sources, AgencyType.values, "agency type")
        )
        object.__setattr__(
            self, "recipients", _check_codes(self.recipients, list(RECIPIENTS), "recipient")
        )
        object.__setattr__(
            self, "categories", _check_codes(self.categories, InfoCategory.values, "category")
        )
        object.__setattr__(
            self, "purposes", _check_codes(self.purposes, SharingPurpose.values, "purpose")
        )
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        if self.consent_requires and self.effect != Effect.CONSENT_REQUIRED:
            raise ValueError("consent_requires goes only with effect consent_required")
        if bool(self.reviewed_by) != (self.reviewed_on is not None):
            raise ValueError("reviewed_by and reviewed_on go together")
        return self


class ConsentSpec(BaseModel):
    """Who must consent, by age band, and the ages where one band ends (a consent lapses there)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    joint_from_age: int = Field(ge=12, le=18)
    adult_from_age: int = Field(ge=16, le=21)
    requires: dict[AgeBand, Literal["guardian", "youth", "both"]]
    category_requires: dict[InfoCategory, dict[AgeBand, Literal["guardian", "youth", "both"]]] = {}
    youth_heard_from_age: int = Field(ge=7, le=18)

    @model_validator(mode="after")
    def _check(self) -> "ConsentSpec":
        if set(self.requires) != set(AgeBand):
            raise ValueError("consent.requires must name every age band")
        if self.joint_from_age >= self.adult_from_age:
            raise ValueError("joint_from_age must be below adult_from_age")
        return self


class RulebookSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    consent: ConsentSpec
    rules: list[RuleSpec] = Field(min_length=1)


def _rule_id_at(data: Any, loc: tuple[Any, ...]) -> str:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        try:
            return str(data["rules"][loc[1]].get("id") or f"#{loc[1] + 1}")
        except (KeyError, IndexError, TypeError, AttributeError):
            return f"#{loc[1] + 1}"
    return ""


def parse_rulebook(text: str, *, file_name: str) -> RulebookSpec:
    """Parse and validate a rulebook; RulebookError on the first problem."""
    try:
        data = yaml.safe_load(text)
    # PyYAML lets two errors out as other exceptions: a scalar that looks like a date but is not
    # one (2026-13-45, ValueError) and nesting deeper than Python's recursion limit.
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise RulebookError(file_name, "", f"not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise RulebookError(file_name, "", "the file must hold a mapping with version and rules")
    rules = data.get("rules")
    if isinstance(rules, list):
        seen: set[str] = set()
        for item in rules:
            rule_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(rule_id, str):
                if rule_id in seen:
                    raise RulebookError(file_name, rule_id, "duplicate rule id")
                seen.add(rule_id)
    try:
        return RulebookSpec.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error.get("loc", ()))
        field = ".".join(str(part) for part in loc[2:] if not isinstance(part, int)) or ".".join(
            str(part) for part in loc
        )
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        raise RulebookError(file_name, _rule_id_at(data, loc), f"{field}: {message}") from None


def parse_rulebook_file(path: Path) -> tuple[RulebookSpec, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = f"cannot read the file ({exc.__class__.__name__})"
        raise RulebookError(path.name, "", reason) from None
    return parse_rulebook(text, file_name=path.name), text


@dataclass(frozen=True)
class LoadResult:
    version: RulebookVersion
    created: bool


def current_version() -> RulebookVersion | None:
    return RulebookVersion.objects.order_by("-loaded_at", "-created_at").first()


def version_at(at: dt.datetime) -> RulebookVersion | None:
    return (
        RulebookVersion.objects.filter(loaded_at__lte=at)
        .order_by("-loaded_at", "-created_at")
        .first()
    )


def rule_rows(spec: RulebookSpec, version: RulebookVersion) -> list[Rule]:
    """The rows of a rulebook's rules (unsaved), in file order."""
    return [
        Rule(
            version=version,
            position=position,
            rule_id=rule.id,
            sources=rule.sources,
            recipients=rule.recipients,
            categories=rule.categories,
            purposes=rule.purposes,
            age_min=rule.conditions.age_min,
            age_max=rule.conditions.age_max,
            programme=rule.conditions.programme or "",
            weapon_trigger=rule.conditions.weapon_trigger,
            effect=rule.effect,
            consent_requires=rule.consent_requires or "",
            citation=rule.citation,
            citation_status=rule.citation_status,
            explanation_nb=rule.explanation.nb,
            explanation_en=rule.explanation.en,
            reviewed_by=rule.reviewed_by,
            reviewed_on=rule.reviewed_on,
            valid_from=rule.valid_from,
            valid_to=rule.valid_to,
        )
        for position, rule in enumerate(spec.rules)
    ]


@transaction.atomic
def rulebook_load(
    *, text: str, file_name: str, actor: Actor | None = None
) -> LoadResult:
    """Validate and load a rulebook as the version in force. Loading the same file again is a
    no-op. Audited."""
    spec = parse_rulebook(text, file_name=file_name)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    current = current_version()
    if current is not None and current.sha256 == digest:
        return LoadResult(version=current, created=False)
    version = RulebookVersion.objects.create(
        version=spec.version,
        title=spec.title,
        sha256=digest,
        source=text,
        file_name=file_name,
        loaded_at=clock.now(),
        loaded_by=actor.user if actor else None,
        consent_settings=spec.consent.model_dump(mode="json"),
    )
    Rule.objects.bulk_create(rule_rows(spec, version))
    audit_record(
        action=Action.RULEBOOK_LOAD,
        actor=actor,
        obj=version,
        details={
            "version": spec.version,
            "sha256": digest,
            "rules": len(spec.rules),
            "previous": current.version if current else "",
        },
    )
    return LoadResult(version=version, created=True)


def unreviewed_allow_is_draft() -> bool:
    """Demo: an unreviewed allow rule is in force (marked utkast). Production: it acts as
    'consent required' until a lawyer has reviewed it."""
    return bool(settings.LAGET_RULES_UNREVIEWED_IN_FORCE)
