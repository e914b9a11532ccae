"""The coordinated plan as a printable PDF (WeasyPrint, bokmål or English): the team's version for
the meeting (what the printing user sees of the plan, with the team), or the family's version (only
goals and tasks marked for the family, nothing that reveals barnevern or health, addressed to the
young person — and to the guardians while the young person is under 18). Audited."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.selectors_plan import plan_document_for
from laget.core import clock
from laget.core.errors import NotFound
from laget.records.models import Case
from laget.web.services.consent_form import _asset_uris, _fetcher

LANGUAGES = ("nb", "en")


def pdf_language(requested: str | None) -> str:
    return requested if requested in LANGUAGES else "nb"


@transaction.atomic
def plan_pdf(*, actor: Actor, case: Case, family: bool, language: str) -> bytes:
    """The plan as a PDF in `language` (nb or en). The case must already have been opened through
    laget.sharing.selectors.case_get_for; someone who does not see its workflow gets NotFound."""
    from weasyprint import HTML

    language = pdf_language(language)
    document = plan_document_for(actor=actor, case=case, family=family)
    if document is None:
        raise NotFound()
    root, assets = _asset_uris()
    with translation.override(language):
        html = render_to_string("web/cases/plan/plan_pdf.html", {
            "doc": document,
            "case": case,
            "person": case.person,
            "printed": clock.now(),
            "printed_by": actor.user,
            "assets": assets,
            "LANGUAGE_CODE": language,
        })
    pdf = HTML(string=html, url_fetcher=_fetcher(root)).write_pdf()
    audit_record(action=Action.PLAN_PDF, actor=actor, obj=case, persons=[case.person_id],
                 purpose=Purpose.FOREBYGGING,
                 details={"language": language, "version": "family" if family else "team",
                          "plan_version": document.version})
    return bytes(pdf)
