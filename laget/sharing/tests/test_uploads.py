"""Attachments are checked by their bytes, not only by the type the browser declared."""

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laget.sharing.services import ALLOWED_CONTENT_TYPES, sniffed_content_type

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "expected"), [
    (PNG, "image/png"),
    (JPEG, "image/jpeg"),
    (PDF, "application/pdf"),
    (_zip("[Content_Types].xml", "word/document.xml"), DOCX),
    ("Fravær uke 47: to dager.\r\nMøte avtalt.\t✓".encode(), "text/plain"),
    (b"MZ\x90\x00\x03\x00\x00\x00", None),  # a Windows program
    (b"\x7fELF\x02\x01\x01", None),
    (_zip("payload.js"), None),  # a zip that is not a Word document
    (b"<html><script>alert(1)</script></html>", None),  # markup sent as text
    (b"  <svg onload=alert(1)>", None),
    (b"navn\x00skjult", None),  # control characters
    (b"\xff\xfe\x00t\x00e", None),  # not UTF-8
])
def test_sniffing(data, expected):
    assert sniffed_content_type(data) == expected


@given(st.binary(max_size=512))
def test_sniffing_only_ever_answers_an_allowed_type_or_none(data):
    assert sniffed_content_type(data) in ALLOWED_CONTENT_TYPES | {None}


def test_a_pdf_declared_as_png_is_refused(make_member, rulebook):
    import datetime as dt

    from laget.accounts.actor import Actor
    from laget.accounts.models import Membership
    from laget.core.errors import DomainError
    from laget.people.tests.factories import PersonFactory
    from laget.records.services import case_open
    from laget.sharing import services

    user = make_member("coordinator")
    actor = Actor(user, Membership.objects.get(user=user))
    today = dt.date.today()
    person = PersonFactory(birth_date=today.replace(year=today.year - 14) - dt.timedelta(days=9))
    case = case_open(actor=actor, person=person)
    with pytest.raises(DomainError) as refused:
        services.entry_add(actor=actor, case=case, category="plan", text="Se vedlegg.",
                           attachments=[services.NewAttachment("bilde.png", "image/png", PDF)])
    assert refused.value.code == "attachment_content"
    entry = services.entry_add(actor=actor, case=case, category="plan", text="Se vedlegg.",
                               attachments=[services.NewAttachment("bilde.png", "image/png", PNG)])
    assert entry.pk
