"""The fast track's city statistics as an XLSX workbook (openpyxl, write-only), for a city council
to work on: one row per published cell. A suppressed cell stays suppressed — its row says so in
words and carries no number; a withheld count is left out the same way."""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from laget.fasttrack.stats import CityStatistics, StatCell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet: Any, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    # Text is always text: a string beginning with "=" must not become a formula.
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _row(sheet: Any, cell: StatCell, min_cell: int) -> list[WriteOnlyCell]:
    month = cell.month or _("Hele perioden")
    district = cell.district_name or cell.district_code or _("Alle bydeler")
    if cell.suppressed:
        hidden = _("Skjult (under %(n)s saker)") % {"n": min_cell}
        numbers: list[Any] = [hidden, hidden, hidden]
    else:
        numbers = [cell.cases if cell.cases is not None else _("Holdt tilbake"),
                   cell.median_days, cell.p90_days]
    return [_cell(sheet, value) for value in [cell.stage_label, month, district, *numbers]]


def statistics_xlsx(figures: CityStatistics) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Hurtigspor"))
    for label, value in (
            (_("Hurtigsporet for unge: dager per fase"), ""),
            (_("Periode"), f"{figures.since.isoformat()} – {figures.until.isoformat()}"),
            (_("Skjult under"), _("%(n)s saker per celle") % {"n": figures.min_cell}),
            (_("Merknad"), _("Bare avsluttede faser teller, i måneden fasen ble avsluttet. "
                             "90-persentilen er nærmeste rang.")),
    ):
        sheet.append([_cell(sheet, label, bold=True), _cell(sheet, value)])
    sheet.append([])
    sheet.append([_cell(sheet, title, bold=True) for title in (
        _("Fase"), _("Måned"), _("Bydel"), _("Antall saker"), _("Median dager"),
        _("90-persentil dager"))])
    for cell in figures.cells:
        sheet.append(_row(sheet, cell, figures.min_cell))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
