"""The letter a police unit prints for a guardian it must tell by hand (no phone, restricted
contact, a message that failed): the same text the SMS or e-mail carries, in the guardian's
language, right to left for Arabic and Urdu, with Noto fonts for the scripts Oslo Sans lacks.
Rendered with WeasyPrint and audited."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import dateformat

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.policing.selectors import GuardianLetter
from laget.web.services.consent_form import _asset_uris, _fetcher


@transaction.atomic
def guardian_letter_pdf(*, actor: Actor, letter: GuardianLetter) -> bytes:
    """The letter as a PDF. It must have been read through
    laget.policing.selectors.guardian_letter_get_for (the unit's own registration)."""
    from weasyprint import HTML

    root, assets = _asset_uris()
    html = render_to_string("web/policing/guardian_letter_pdf.html", {
        "letter": letter,
        "text": letter.text,
        "original": letter.original,
        "direction": letter.direction,
        # numerals only: the letter's language is the guardian's, not the user interface's
        "printed": dateformat.format(clock.today(), "d.m.Y"),
        "reference": str(letter.registration.pk)[:8],
        "assets": assets,
    })
    pdf = HTML(string=html, url_fetcher=_fetcher(root)).write_pdf()
    registration = letter.registration
    audit_record(action=Action.POLICE_VIEW, actor=actor, obj=registration,
                 persons=[registration.person_id] if registration.person_id else [],
                 purpose=Purpose.FOREBYGGING,
                 details={"document": "guardian_letter", "guardian_id": str(letter.guardian.pk),
                          "language": letter.text.language, "reviewed": letter.text.reviewed})
    return bytes(pdf)
