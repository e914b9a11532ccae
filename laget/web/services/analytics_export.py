"""An indicator's published table, or a bydel's fact sheet, as an XLSX workbook (openpyxl,
write-only): the same cells as the page — a hidden figure is written as its mark («<5»,
«skjult», «<10»), never as a number — and the provenance above the table. Synthetic figures are
labelled in the heading and the sheet's name."""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from laget.analytics import publish

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_cell(sheet: Any, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: "=…" is no formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def _value(cell: publish.Cell) -> Any:
    if cell.value is None:
        return cell.display
    number = cell.value
    return int(number) if number == number.to_integral_value() else float(number)


def _write_table(sheet: Any, table: publish.Table,
                 rows: list[tuple[publish.Area | None, list[publish.Cell]]]) -> None:
    """The provenance of `table`'s indicator, then `rows` under the table's columns."""
    indicator = table.indicator
    header: list[tuple[str, str]] = [
        (_("Indikator"), publish.name(indicator)),
        (_("Enhet"), indicator.get_unit_display()),
        (_("Geografisk nivå"), indicator.get_level_display()),
        (_("Kilde"), indicator.source),
    ]
    for dataset in table.datasets:
        header.append((_("Datasett"), _(
            "%(source)s %(table)s, hentet %(fetched)s, lisens %(licence)s") % {
            "source": dataset.source, "table": dataset.table_id,
            "fetched": dataset.fetched_on.isoformat(), "licence": dataset.licence}))
        if dataset.note:
            header.append((_("Merknad"), dataset.note))
    if table.synthetic:
        header.append((_("Syntetisk"), _("Syntetiske tall for demonstrasjon, ikke virkelige "
                                         "data.")))
    if table.min_cell:
        header.append((_("Skjerming"), _(
            "Antall fra 1 til %(n)s vises som «<%(m)s»; «skjult» er holdt tilbake så de skjulte "
            "tallene ikke kan regnes ut fra summene.") % {"n": table.min_cell - 1,
                                                         "m": table.min_cell}))
    if table.min_group:
        header.append((_("Skjerming"), _("Medianer vises bare for grupper på minst %(n)s.")
                       % {"n": table.min_group}))
    for label, value in header:
        sheet.append([xlsx_cell(sheet, label, bold=True), xlsx_cell(sheet, value)])
    sheet.append([])
    columns = [_("Område"), _("Kode"), *table.period_labels]
    if table.totals:
        columns.append(_("I alt"))
    sheet.append([xlsx_cell(sheet, text, bold=True) for text in columns])
    for area, cells in rows:
        name = area.name if area else _("Oslo i alt")
        code = area.code if area else "0301"
        sheet.append([xlsx_cell(sheet, name), xlsx_cell(sheet, code),
                      *(xlsx_cell(sheet, _value(cell)) for cell in cells)])


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def indicator_xlsx(table: publish.Table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Syntetisk") if table.synthetic else _("Indikator"))
    _write_table(sheet, table, list(table.rows()))
    return _saved(workbook)


def fact_sheet_xlsx(items: list[publish.FactSheetItem]) -> bytes:
    """A bydel's fact sheet: one sheet per indicator with the bydel's rows of the city-wide
    published table — the same cells as the page, so nothing new can be worked out from it."""
    workbook = Workbook(write_only=True)
    for number, item in enumerate(items, start=1):
        mark = f" ({_('syntetisk')})" if item.table.synthetic else ""
        # a sheet's name: at most 31 characters and unique, so numbered
        title = f"{number} {item.indicator.key}"[:31 - len(mark)] + mark
        _write_table(workbook.create_sheet(title), item.table, item.rows)
    if not items:
        workbook.create_sheet(_("Ingen tall"))
    return _saved(workbook)
