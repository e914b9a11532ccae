"""The privacy paperwork, generated from what the code and settings say: the record of processing
activities (GDPR art. 30) and the starting document of a DPIA (personvernkonsekvensvurdering).

Sources: the categories with their sensitivity and the purposes (`records.vocabulary`), the
agency types (`accounts.AgencyType`), the rulebook in force (`sharing`), the retention schedule
(`retention.yaml`), the audit retention, controller, DPO and processors (settings), and for the
DPIA the threat model and controls of docs/SECURITY.md. The controls' test figures are the number
of test functions (`def test_…`) in the test files each control names, counted with `ast` when
the page is made: a count of tests that exist, not of tests that passed. Nothing here is personal
data."""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from laget.accounts.models import AgencyType
from laget.lifecycle.retention import RetentionEntry, retention_schedule
from laget.records.vocabulary import SENSITIVITY, InfoCategory, SharingPurpose
from laget.sharing.selectors_rules import rule_list, rulebook_in_force

REPO = Path(__file__).resolve().parents[2]
SECURITY_MD = REPO / "docs" / "SECURITY.md"


@dataclass(frozen=True)
class CategoryRow:
    code: str
    label: str
    sensitivity: str


@dataclass(frozen=True)
class RuleRow:
    rule_id: str
    effect: str
    sources: str
    recipients: str
    categories: str
    purposes: str
    citation: str
    reviewed: bool


@dataclass(frozen=True)
class Record:
    controller: str
    dpo: str
    purposes: list[str]
    categories: list[CategoryRow]
    agency_types: list[str]
    rulebook_version: str
    rules: list[RuleRow]
    retention: list[RetentionEntry]
    audit_retention_days: int
    archive_after_days: int
    processors: list[dict[str, str]]


def _labels(codes: list[str], names: dict[str, str]) -> str:
    return ", ".join(str(names.get(code, code)) for code in codes)


def processing_record() -> Record:
    """The art. 30 record as it stands in this deployment."""
    categories = dict(InfoCategory.choices)
    agency_types = dict(AgencyType.choices)
    purposes = dict(SharingPurpose.choices)
    version = rulebook_in_force()
    rules = [
        RuleRow(
            rule_id=rule.rule_id, effect=rule.get_effect_display(),
            sources=_labels(rule.sources, agency_types),
            recipients=_labels(rule.recipients, agency_types),
            categories=_labels(rule.categories, categories),
            purposes=_labels(rule.purposes, purposes), citation=rule.citation,
            reviewed=bool(rule.reviewed_on),
        )
        for rule in (rule_list(version=version) if version else [])
    ]
    return Record(
        controller=settings.LAGET_CONTROLLER_NAME, dpo=settings.LAGET_DPO_CONTACT,
        purposes=[str(label) for label in purposes.values()],
        categories=[CategoryRow(code, str(categories[code]), str(SENSITIVITY[code].label))
                    for code in InfoCategory.values],
        agency_types=[str(label) for label in agency_types.values()],
        rulebook_version=str(version.pk) if version else "",
        rules=rules, retention=retention_schedule().entries,
        audit_retention_days=settings.LAGET_AUDIT_RETENTION_DAYS,
        archive_after_days=settings.LAGET_ARCHIVE_AFTER_DAYS,
        processors=[dict(p) for p in settings.LAGET_PROCESSORS],
    )


@dataclass(frozen=True)
class Risk:
    who: str
    wants: str
    stopped_by: str


@dataclass
class Control:
    heading: str
    points: list[str] = field(default_factory=list)
    test_files: list[str] = field(default_factory=list)
    test_count: int = 0


@dataclass(frozen=True)
class Dpia:
    record: Record
    risks: list[Risk]
    controls: list[Control]
    open_points: list[str]


def _plain(markdown: str) -> str:
    return re.sub(r"[*`]", "", markdown).strip()


def _count_tests(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sum(
        1 for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    )


def parse_security(text: str) -> tuple[list[Risk], list[Control], list[str]]:
    """The threat model's table rows, the controls (each `###` under «Controls» with its points
    and the test files they name), and the points under «Not built yet»."""
    risks: list[Risk] = []
    controls: list[Control] = []
    open_points: list[str] = []
    section = ""
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip().lower()
            continue
        if section == "threat model" and line.startswith("|") and not line.startswith("| ---"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 3 and cells[0] != "who":
                risks.append(Risk(*(_plain(c) for c in cells)))
        elif section == "controls":
            if line.startswith("### "):
                controls.append(Control(heading=line[4:].strip()))
            elif controls and line.startswith("- "):
                controls[-1].points.append(_plain(line[2:]))
            elif controls and line.startswith("  ") and controls[-1].points:
                controls[-1].points[-1] += " " + _plain(line)
            if controls:
                for found in re.findall(r"`([\w/.-]+/test_\w+\.py)`", line):
                    if found not in controls[-1].test_files:
                        controls[-1].test_files.append(found)
        elif section.startswith("not built yet") and line.startswith("- "):
            open_points.append(_plain(line[2:]))
    for control in controls:
        control.test_count = sum(
            _count_tests(REPO / name) for name in control.test_files if (REPO / name).is_file()
        )
    return risks, controls, open_points


def dpia_document() -> Dpia:
    risks, controls, open_points = parse_security(SECURITY_MD.read_text(encoding="utf-8"))
    return Dpia(record=processing_record(), risks=risks, controls=controls,
                open_points=open_points)


def paperwork_pdf(*, dpia: bool) -> bytes:
    """The art. 30 record or the DPIA starting document as PDF (system fonts, nothing fetched)."""
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML

    from laget.core import clock

    title = ("Personvernkonsekvensvurdering (DPIA) – utgangspunkt" if dpia
             else "Protokoll over behandlingsaktiviteter (GDPR art. 30)")
    context = {"title": title, "printed": clock.now()}
    context.update({"dpia": dpia_document()} if dpia else {"record": processing_record()})
    with translation.override("nb"):
        html = render_to_string("lifecycle/paperwork_pdf.html", context)
    return HTML(string=html).write_pdf()
