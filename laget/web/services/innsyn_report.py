"""A person's access report as a page and as a printable PDF (WeasyPrint, bokmål or English):
every access to their data with who, when, which category, on which basis and for which purpose,
each line with its log index and inclusion-proof reference against a signed checkpoint. Each
report is recorded by laget.audit.innsyn in the same transaction."""

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from laget.accounts.actor import Actor
from laget.audit import innsyn
from laget.audit.actions import Action
from laget.audit.innsyn import InnsynReport, RequestedBy
from laget.sharing.engine import context_at
from laget.web.selectors.innsyn import TEAM_ROLES, InnsynSubject, concealment_for
from laget.web.services.consent_form import _asset_uris, _fetcher

LANGUAGES = ("nb", "en")


def report_language(requested: str | None) -> str:
    return requested if requested in LANGUAGES else "nb"


def innsyn_report_make(
    *, actor: Actor, subject: InnsynSubject, for_auditor: bool, requested_by: str,
    action: Action = Action.INNSYN_REPORT, details: dict[str, object] | None = None,
) -> InnsynReport:
    """The report the actor may see: a team member's leaves out what the case page would not
    tell them (see concealment_for)."""
    return innsyn.innsyn_report(
        actor=actor, person=subject.person, for_auditor=for_auditor, requested_by=requested_by,
        hide=concealment_for(actor=actor, subject=subject), action=action, details=details,
    )


def _basis_labels() -> dict[str, str]:
    """Rule ids recorded as an event's basis → the rule's citation, for readers."""
    return {rule.rule_id: rule.citation for rule in context_at().rules if rule.citation}


def report_context(report: InnsynReport, *, site: str) -> dict[str, Any]:
    """What the page and the PDF show besides the report itself."""
    citations = _basis_labels()
    return {
        "report": report,
        "person": report.person,
        # each line with its basis as the reader knows it: the rule's citation, else its id
        "rows": [(line, ", ".join(citations.get(b, b) for b in line.basis))
                 for line in report.lines],
        "requested_by_label": RequestedBy.LABELS.get(report.requested_by, ""),
        # a team member's report may leave out existence-confidential services: say so, always
        "by_team_member": (report.produced_by is not None
                           and report.produced_by.role in TEAM_ROLES),
        "site": site.rstrip("/"),
        "proof_form": innsyn.PROOF_PATH.format(index="N", size="S"),
        "checkpoint_path": innsyn.CHECKPOINT_PATH,
        "key_path": innsyn.KEY_PATH,
    }


@transaction.atomic
def innsyn_report_pdf(
    *, actor: Actor, subject: InnsynSubject, for_auditor: bool, requested_by: str,
    language: str, site: str,
) -> bytes:
    """The report as a printable PDF in `language` (nb or en), recorded as innsyn.pdf."""
    from weasyprint import HTML

    language = report_language(language)
    root, assets = _asset_uris()
    with translation.override(language):
        report = innsyn_report_make(
            actor=actor, subject=subject, for_auditor=for_auditor, requested_by=requested_by,
            action=Action.INNSYN_PDF, details={"language": language},
        )
        context = {**report_context(report, site=site), "assets": assets,
                   "LANGUAGE_CODE": language}
        html = render_to_string("web/innsyn/report_pdf.html", context)
    return bytes(HTML(string=html, url_fetcher=_fetcher(root)).write_pdf())
