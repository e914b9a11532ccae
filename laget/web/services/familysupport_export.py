"""The interpreter report as an XLSX workbook (openpyxl, write-only), for the central interpreter
budget: one row per bydel, agency and month with bookings, hours and cost, and the totals. No
personal data; the export is audited by `familysupport.stats.interpreter_report`."""

import datetime as dt
import io
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from laget.familysupport.stats import InterpreterReport

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet: Any, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    # Text is always text: a string beginning with "=" must not become a formula.
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def month_name(month: int) -> str:
    return str(formats.date_format(dt.date(2000, month, 1), "F"))


def interpreter_xlsx(report: InterpreterReport) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Tolkebruk"))
    for label, value in (
            (_("Bruk av tolk og kostnad, sentralt tolkebudsjett"), ""),
            (_("Budsjettår"), report.budget_year),
            (_("Omfang"), report.district_code or _("Hele byen")),
    ):
        sheet.append([_cell(sheet, label, bold=True), _cell(sheet, value)])
    sheet.append([])
    sheet.append([_cell(sheet, title, bold=True) for title in (
        _("Bydel"), _("Virksomhet"), _("Måned"), _("Bestillinger"), _("Timer"),
        _("Kostnad (kr)"))])
    for row in report.rows:
        sheet.append([_cell(sheet, value) for value in (
            row.district_name, row.agency_name, month_name(row.month), row.bookings, row.hours,
            row.cost_nok)])
    sheet.append([_cell(sheet, value, bold=True) for value in (
        _("Sum"), "", "", report.bookings, report.hours, report.cost_nok)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
