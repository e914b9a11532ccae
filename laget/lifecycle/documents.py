"""The archived documents of one closed case, rendered as PDF/A-2b with WeasyPrint: the case's
course and plan, the minutes of each held meeting, and the bydel's own entries (read through
`laget.sharing.archive`) with their attachments. Each is written straight to a file in the
extract's directory.

An attached image (PNG, JPEG) or text file becomes a PDF/A-2b of its own (the image on the page,
the text as it was), a «vedlegg» to the entries' document. A PDF or Word file cannot be made
PDF/A here without a converter Laget does not ship: it is not put in the extract, and the entries'
document lists it by name, type and checksum so that the archive can ask the bydel for it in an
archival format.

The templates use no external resource (system fonts only, no images or links fetched), so
rendering reads nothing but the data passed in."""

import base64
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from laget.cases.models import CaseStatusChange, Meeting, MeetingDecision, MeetingStatus, Plan
from laget.records.models import Case, Entry
from laget.sharing.archive import ArchiveAttachment

PDF_VARIANT = "pdf/a-2b"
PDF_FORMAT = "PDF/A - ISO 19005-2:2011 (PDF/A-2b)"


@dataclass(frozen=True)
class RenderedDocument:
    """One file written into the extract."""

    kind: str  # saksforlop | motereferat | opplysninger | vedlegg (to opplysninger)
    object_id: uuid.UUID  # the case's, or the meeting's
    title: str
    created_at: dt.datetime
    created_by: str
    path: Path
    relative: str
    sha256: str
    size: int


def _write_pdf(html: str, path: Path) -> tuple[str, int]:
    from weasyprint import HTML

    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html).write_pdf(path, pdf_variant=PDF_VARIANT)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest(), path.stat().st_size


def _render(template: str, context: dict[str, Any]) -> str:
    with translation.override("nb"):
        return render_to_string(f"lifecycle/{template}", context)


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else "Laget"


#: the attachment types made into PDF/A here, and how each is shown on the page
CONVERTED = {"image/png": "image", "image/jpeg": "image", "text/plain": "text"}


def convertible(attachment: ArchiveAttachment) -> bool:
    return attachment.content_type in CONVERTED


def case_documents(
    *, case: Case, entries: list[Entry], excluded: int, root: Path, folder: str,
    printed: dt.datetime, attachments: list[ArchiveAttachment] = (),  # type: ignore[assignment]
) -> list[RenderedDocument]:
    """Render the case's documents into `root / folder` and describe each. Meetings and status
    history are read here (lifecycle is above cases); the entries come from the sharing engine's
    archive path."""
    documents: list[RenderedDocument] = []
    history = list(
        CaseStatusChange.objects.filter(case=case).select_related("changed_by")
        .order_by("changed_at", "id")
    )
    plan = Plan.objects.filter(case=case).first()
    goals = list(plan.goals.order_by("created_at", "id")) if plan else []
    tasks = list(
        plan.tasks.select_related("agency", "goal").order_by("created_at", "id")
    ) if plan else []
    base = {"case": case, "person": case.person, "printed": printed}

    def add(kind: str, object_id: uuid.UUID, title: str, created_at: dt.datetime,
            created_by: str, template: str, context: dict[str, Any], file_name: str) -> None:
        relative = f"{folder}/{file_name}"
        path = root / relative
        sha256, size = _write_pdf(_render(template, {**base, **context, "title": title}), path)
        documents.append(RenderedDocument(
            kind=kind, object_id=object_id, title=title, created_at=created_at,
            created_by=created_by, path=path, relative=relative, sha256=sha256, size=size))

    add("saksforlop", case.pk, "Saksforløp og plan", case.closed_at or printed,
        _name(history[-1].changed_by) if history else _name(case.opened_by),
        "archive_case.html", {"history": history, "goals": goals, "tasks": tasks},
        "saksforlop.pdf")
    meetings = (
        Meeting.objects.filter(case=case, status=MeetingStatus.HELD)
        .select_related("minutes_by").order_by("starts_at", "id")
    )
    for number, meeting in enumerate(meetings, start=1):
        decisions = list(MeetingDecision.objects.filter(meeting=meeting).order_by("created_at"))
        add("motereferat", meeting.pk, "Møtereferat", meeting.minutes_at or meeting.starts_at,
            _name(meeting.minutes_by), "archive_minutes.html",
            {"meeting": meeting, "decisions": decisions}, f"motereferat-{number:03d}.pdf")
    authors = {e.pk: e for e in entries}
    kept = [a for a in attachments if convertible(a)]
    add("opplysninger", case.pk, "Bydelens opplysninger i saken", case.closed_at or printed,
        _name(case.opened_by), "archive_entries.html",
        {"entries": entries, "excluded": excluded, "kept": kept,
         "not_converted": [a for a in attachments if not convertible(a)]}, "opplysninger.pdf")
    for number, attachment in enumerate(kept, start=1):
        entry = authors[attachment.entry_id]
        shown: dict[str, Any] = {"attachment": attachment, "entry": entry,
                                 "shown_as": CONVERTED[attachment.content_type]}
        if shown["shown_as"] == "image":
            shown["data_uri"] = (f"data:{attachment.content_type};base64,"
                                 + base64.b64encode(attachment.data).decode("ascii"))
        else:
            shown["text"] = attachment.data.decode("utf-8", errors="replace")
        add("vedlegg", attachment.id, f"Vedlegg: {attachment.name}", entry.created_at,
            _name(entry.author), "archive_attachment.html", shown, f"vedlegg-{number:03d}.pdf")
    return documents
