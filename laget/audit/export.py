"""The auditor's search as an XLSX workbook (openpyxl, write-only): one row per event, and a
second sheet saying what was exported, when, by whom and under which log event.

Persons appear as their ids in Laget (pseudonymous keys the auditor follows into a search or an
access report), never as a name or a fødselsnummer. The export is recorded (AUDIT_EXPORT) in the
same transaction that reads the rows; a result larger than LAGET_AUDIT_EXPORT_MAX_ROWS is refused
(and that refusal is recorded too) so that the auditor narrows the search instead.
"""

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.models import AuditEvent
from laget.audit.selectors import EventFilters, audit_event_filter
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.clock import OSLO
from laget.core.errors import DomainError

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_CHUNK = 2000
#: Excel's limit on the characters in one cell.
_CELL_MAX = 32767


class ExportTooLarge(DomainError):
    def __init__(self, rows: int, limit: int) -> None:
        super().__init__(
            _("Søket gir %(rows)s hendelser, men en eksport kan ha høyst %(limit)s. Avgrens "
              "søket, for eksempel med en kortere periode.") % {"rows": rows, "limit": limit},
            code="too_large")
        self.rows = rows
        self.limit = limit


@dataclass(frozen=True)
class Export:
    content: bytes
    file_name: str
    rows: int


def _columns() -> list[str]:
    return [_("Loggindeks"), _("Hendelse"), _("Tidspunkt (Europe/Oslo)"), _("Handling"),
            _("Handlingskode"), _("Utfall"), _("Bruker"), _("Virksomhet"), _("Rolle"),
            _("Formål"), _("Rettsgrunnlag"), _("Objekttype"), _("Antall personer"),
            _("Person-ID-er")]


def _cell(sheet: Any, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    """A cell whose text is always text: openpyxl would store a string beginning with "=" as a
    formula, and Excel would run it."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if isinstance(value, dt.datetime):
        cell.number_format = _TIME_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def _persons(event: AuditEvent) -> tuple[int, str]:
    ids = sorted(str(s.person_id) for s in event.subjects.all())
    text = " ".join(ids)
    if len(text) > _CELL_MAX:
        text = text[: _CELL_MAX - 1] + "…"
    return len(ids), text


def _row(sheet: Any, event: AuditEvent) -> list[WriteOnlyCell]:
    count, ids = _persons(event)
    local = event.occurred_at.astimezone(OSLO).replace(tzinfo=None)  # Excel has no time zones
    values: list[Any] = [
        event.log_index, event.pk, local, str(event.get_action_display()), event.action,
        str(event.get_outcome_display()), event.actor_label,
        event.agency.name if event.agency else "", event.role_label,
        str(event.get_purpose_display()) if event.purpose else "", event.basis,
        event.object_type, count, ids,
    ]
    return [_cell(sheet, value) for value in values]


def _events(filters: EventFilters) -> Iterable[AuditEvent]:
    # chunked, each chunk with its persons in one more query
    limit = settings.LAGET_AUDIT_EXPORT_MAX_ROWS
    return (audit_event_filter(filters)[:limit].prefetch_related("subjects")
            .iterator(chunk_size=_CHUNK))


def _about(sheet: Any, *, actor: Actor, event: AuditEvent, rows: int,
           filters: EventFilters) -> None:
    details = filters.details()
    lines: list[tuple[str, Any]] = [
        (_("Eksportert"), event.occurred_at.astimezone(OSLO).replace(tzinfo=None)),
        (_("Eksportert av"), actor.user.get_username()),
        (_("Logghendelse for eksporten"), event.pk),
        (_("Antall hendelser"), rows),
        (_("Person-ID"), str(filters.person_id) if filters.person_id else ""),
        (_("Brukernavn"), filters.username),
        (_("Virksomhet"), filters.agency.name if filters.agency else ""),
        (_("Fra dato"), details["from"] or ""),
        (_("Til dato"), details["to"] or ""),
        (_("Handling"), filters.action),
        (_("Utfall"), filters.outcome),
        (_("Formål"), filters.purpose),
        (_("Rettsgrunnlag inneholder"), filters.basis),
    ]
    for label, value in lines:
        sheet.append([_cell(sheet, label, bold=True), _cell(sheet, value)])


def audit_event_export(*, actor: Actor, filters: EventFilters) -> Export:
    """The matching events as an XLSX workbook; raises ExportTooLarge over the limit (after
    recording the refused attempt, outside the export's transaction so that it stays)."""
    limit = settings.LAGET_AUDIT_EXPORT_MAX_ROWS
    rows = audit_event_filter(filters).count()
    details = {**filters.details(), "rows": rows}
    persons = [filters.person_id] if filters.person_id else []
    if rows > limit:
        audit_record(action=Action.AUDIT_EXPORT, actor=actor, purpose=Purpose.TILSYN,
                     outcome=Outcome.FAILED, persons=persons,
                     details={**details, "refused": "too_large", "limit": limit})
        raise ExportTooLarge(rows, limit)
    with transaction.atomic():
        event = audit_record(action=Action.AUDIT_EXPORT, actor=actor, purpose=Purpose.TILSYN,
                             persons=persons, details=details)
        return _workbook(actor=actor, filters=filters, event=event)


def _workbook(*, actor: Actor, filters: EventFilters, event: AuditEvent) -> Export:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Hendelser"))
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, title, bold=True) for title in _columns()])
    written = 0
    for found in _events(filters):
        sheet.append(_row(sheet, found))
        written += 1
    _about(workbook.create_sheet(_("Om eksporten")), actor=actor, event=event, rows=written,
           filters=filters)
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = clock.now().astimezone(OSLO).strftime("%Y%m%d-%H%M%S")
    return Export(content=buffer.getvalue(), file_name=f"hendelseslogg-{stamp}.xlsx",
                  rows=written)
