"""The printable consent form (PDF): exactly what a registered consent lets Laget share, with whom,
why and for how long, who gives it, the law it rests on and how to withdraw it. Rendered with
WeasyPrint in bokmål or English, and audited."""

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.records.vocabulary import FAMILIE_RECIPIENT, InfoCategory, SharingPurpose
from laget.sharing.engine import RuleView, context_at
from laget.sharing.models import Consent

LANGUAGES = ("nb", "en")
#: The rulebook's consent rule; its citation and explanation go on the form.
CONSENT_RULE_ID = "fvl-13a-samtykke"
CONSENT_CITATION = "forvaltningsloven § 13 a nr. 1"
_ASSETS = ("fonts/OsloSans-Regular.woff", "fonts/OsloSans-Medium.woff", "logos/oslologo.svg")


def form_language(requested: str | None) -> str:
    return requested if requested in LANGUAGES else "nb"


def _asset_uris() -> tuple[Path | None, dict[str, str]]:
    uris: dict[str, str] = {}
    root = None
    for asset in _ASSETS:
        found = finders.find(f"vendor/punkt/{asset}")
        if isinstance(found, str):
            path = Path(found).resolve()
            root = path.parents[1]
            uris[Path(asset).stem.replace("-", "_")] = path.as_uri()
    return root, uris


def _fetcher(root: Path | None) -> Any:
    """Only the vendored Punkt fonts and logo may be read while rendering: never the network,
    never another file (the form holds text typed by users)."""
    from weasyprint.urls import URLFetcher

    class VendoredOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if root is None or not url.startswith("file://"):
                raise ValueError("only vendored assets")
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if not path.is_relative_to(root):
                raise ValueError("only vendored assets")
            return super().fetch(url, headers)

    return VendoredOnly(allowed_protocols=["file"])


def _consent_rule() -> RuleView | None:
    return next((r for r in context_at().rules if r.rule_id == CONSENT_RULE_ID), None)


def _labels(codes: list[str], choices: list[tuple[str, Any]]) -> list[str]:
    names = dict(choices)
    return [str(names.get(code, code)) for code in codes]


@transaction.atomic
def consent_form_pdf(*, actor: Actor, consent: Consent, language: str) -> bytes:
    """The consent as a printable PDF in `language` (nb or en). The consent must already have been
    read through consent_get_for."""
    from weasyprint import HTML

    language = form_language(language)
    person = consent.case.person
    root, assets = _asset_uris()
    with translation.override(language):
        rule = _consent_rule()
        recipients = [*AgencyType.choices,
                      (FAMILIE_RECIPIENT, _("Familien (den unge og foresatte)"))]
        context = {
            "consent": consent,
            "person": person,
            "guardians": list(consent.guardians.all()),
            "categories": _labels(consent.categories, InfoCategory.choices),
            "recipients": _labels(consent.recipients, recipients),
            "purposes": _labels(consent.purposes, SharingPurpose.choices),
            "citation": rule.citation if rule else CONSENT_CITATION,
            "explanation": rule.explanation if rule else "",
            "printed": clock.now(),
            "assets": assets,
            "LANGUAGE_CODE": language,
        }
        html = render_to_string("web/cases/consent_form_pdf.html", context)
    pdf = HTML(string=html, url_fetcher=_fetcher(root)).write_pdf()
    audit_record(action=Action.CONSENT_FORM, actor=actor, obj=consent, persons=[person.pk],
                 purpose=Purpose.OPPFOLGING, details={"language": language})
    return bytes(pdf)
