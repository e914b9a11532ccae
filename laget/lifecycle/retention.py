"""The retention schedule (`retention.yaml` beside this module), loaded strictly: one entry for the
case folder, one per information category and one for the audit log, each with what happens
(bevares / kasseres), when, and its legal reference. The paperwork pages print it; a file that
is not exactly that is refused with the reason, never half-read.

Erasure (`laget.lifecycle.erasure`) reads `erase_after_months`: how long after closing (a case)
or assessment (a concern that led to nothing) Laget deletes its own copy; for an entry that is
kept (`bevares`) only once the archive holds it. The file's SHA-256 goes into every tombstone, so
which version of the schedule an erasure followed is on record."""

import functools
import hashlib
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, model_validator

from laget.core.errors import DomainError
from laget.records.vocabulary import SENSITIVITY, InfoCategory

RETENTION_FILE = Path(__file__).resolve().parent / "retention.yaml"
CASE = "case"
AUDIT_LOG = "audit_log"
#: a concern («bekymring») that led to nothing (the coordinator found no basis for a case)
CONCERN = "concern"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class RetentionError(DomainError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"retention.yaml: {reason}", code="retention_invalid")


class RetentionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    applies_to: Text
    outcome: Text | None = None
    action: Literal["bevares", "kasseres"]
    after_closing_years: int | None
    #: months after closing / assessment until Laget erases its copy (None: not erased by rule)
    erase_after_months: int | None = None
    legal_reference: Text
    note: Text | None = None

    @property
    def label(self) -> str:
        if self.applies_to == CASE:
            return "Saksmappen"
        if self.applies_to == AUDIT_LOG:
            return "Hendelsesloggen"
        if self.applies_to == CONCERN:
            return "Bekymring som ikke førte til sak"
        return str(InfoCategory(self.applies_to).label)

    @property
    def sensitivity(self) -> str:
        code = SENSITIVITY.get(self.applies_to)  # type: ignore[call-overload]
        return str(code.label) if code is not None else ""

    @property
    def unsettled(self) -> bool:
        return "må fastsettes" in self.legal_reference


class RetentionSchedule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    entries: list[RetentionEntry]

    @model_validator(mode="after")
    def _complete(self) -> "RetentionSchedule":
        keys = [e.applies_to for e in self.entries]
        allowed = {CASE, AUDIT_LOG, CONCERN, *InfoCategory.values}
        unknown = sorted(set(keys) - allowed)
        if unknown:
            raise ValueError(f"unknown applies_to: {', '.join(unknown)}")
        if len(set(keys)) != len(keys):
            raise ValueError("an applies_to is listed twice")
        missing = sorted(allowed - set(keys))
        if missing:
            raise ValueError(f"no entry for: {', '.join(missing)}")
        for entry in self.entries:
            if entry.after_closing_years is not None and entry.after_closing_years < 0:
                raise ValueError(f"{entry.applies_to}: after_closing_years below 0")
            if entry.erase_after_months is not None and entry.erase_after_months < 1:
                raise ValueError(f"{entry.applies_to}: erase_after_months below 1")
        for key in (CASE, CONCERN):
            if self.entry(key).erase_after_months is None:
                raise ValueError(f"{key}: erase_after_months is required")
        return self

    def entry(self, applies_to: str) -> RetentionEntry:
        return next(e for e in self.entries if e.applies_to == applies_to)


def parse_retention(text: str) -> RetentionSchedule:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RetentionError(f"not YAML ({error.__class__.__name__})") from error
    if not isinstance(data, dict):
        raise RetentionError("the top level must be a mapping")
    try:
        return RetentionSchedule.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RetentionError(f"{where}: {first['msg']}" if where else first["msg"]) from error


@functools.cache
def retention_schedule() -> RetentionSchedule:
    """The schedule in the repository (read once per process: it changes with a deploy)."""
    return parse_retention(RETENTION_FILE.read_text(encoding="utf-8"))


@functools.cache
def retention_sha256() -> str:
    """The SHA-256 of the schedule file in force (recorded with every erasure)."""
    return hashlib.sha256(RETENTION_FILE.read_bytes()).hexdigest()
