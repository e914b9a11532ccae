"""A team meeting on paper (PDF, WeasyPrint, bokmål or English): before the meeting the notice
with its invitees and agenda, after it the minutes with attendance and the decisions with the
tasks they became. It shows what the printing user may see on the meeting page — no participant
or decision that would name an agency they have no basis to know is on the team — and is
audited."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.models import Meeting
from laget.cases.selectors_meetings import decisions_for, language_label, participants_for
from laget.core import clock
from laget.web.services.consent_form import _asset_uris, _fetcher, form_language


@transaction.atomic
def minutes_pdf(*, actor: Actor, meeting: Meeting, language: str) -> bytes:
    """The meeting as a printable PDF in `language` (nb or en). The meeting must have been read
    through selectors_meetings.meeting_get_for."""
    from weasyprint import HTML

    language = form_language(language)
    person = meeting.case.person
    root, assets = _asset_uris()
    with translation.override(language):
        html = render_to_string("web/cases/meetings/minutes_pdf.html", {
            "meeting": meeting,
            "case": meeting.case,
            "person": person,
            "interpreter_language": language_label(meeting.interpreter_language),
            "participants": participants_for(actor=actor, meeting=meeting),
            "decisions": decisions_for(actor=actor, meeting=meeting),
            "printed": clock.now(),
            "assets": assets,
            "LANGUAGE_CODE": language,
        })
    pdf = HTML(string=html, url_fetcher=_fetcher(root)).write_pdf()
    audit_record(action=Action.MEETING_PDF, actor=actor, obj=meeting, persons=[person.pk],
                 purpose=Purpose.FOREBYGGING,
                 details={"language": language, "status": meeting.status})
    return bytes(pdf)
