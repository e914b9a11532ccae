"""A measure's evaluation tables (laget.analytics.evaluation) for researchers, as CSV or XLSX:
de-identified and suppressed — the same cells as the page, one row per cohort or bydel, a hidden
figure written as its mark («<5», «skjult»), never as a number, and no person, case or id of any
kind. The export is audited (who took which measure's table, in which format); the event names
no person, because the tables hold none."""

import csv
import io
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from laget.accounts.actor import Actor
from laget.analytics.evaluation import HORIZONS, MONTH, EvaluationTable, Row
from laget.audit.actions import Action
from laget.audit.services import audit_record

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = ("csv", "xlsx")


def _header(table: EvaluationTable) -> list[tuple[str, str]]:
    measure = table.measure
    window = (f"{table.window[0].isoformat()} – {table.window[1].isoformat()}"
              if table.window else _("ingen kull er fulgt i 12 måneder ennå"))
    return [
        (_("Tiltak"), str(measure.name)),
        (_("Start"), str(measure.start)),
        (_("Utfall"), str(measure.outcome)),
        (_("Datagrunnlag"), measure.basis),
        (_("Kull"), _("per måned") if table.kind == MONTH else _("per kvartal")),
        (_("Oppfølging"), _("3, 6 og 12 måneder (91, 183 og 365 dager); en andel vises først når "
                            "hele kullet er fulgt så lenge.")),
        (_("Konfidensintervall"), _("Wilson, 95 %")),
        (_("Skjerming"), _("Antall fra 1 til %(n)s (startet, med og uten utfallet) vises som "
                           "«<%(m)s»; «skjult» er holdt tilbake så de skjulte ikke kan regnes "
                           "ut fra summene.") % {"n": table.min_cell - 1, "m": table.min_cell}),
        (_("Bydelssammenligning"), _("Kull som startet %(window)s") % {"window": window}),
        (_("Personvern"), _("Bare summer: ingen personer, saker eller kjennetegn.")),
    ]


def _columns() -> list[str]:
    columns = [_("Tabell"), _("Kull eller bydel"), _("Startet")]
    for h in HORIZONS:
        columns += [_("Med utfallet, %(h)s mnd") % {"h": h}, _("Andel %(h)s mnd (%%)") % {"h": h},
                    _("Nedre 95 %%, %(h)s mnd") % {"h": h}, _("Øvre 95 %%, %(h)s mnd") % {"h": h}]
    return columns


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def _row(kind: str, row: Row) -> list[Any]:
    cells: list[Any] = [kind, row.label, row.n if row.n is not None else row.n_display]
    for h in HORIZONS:
        if h in row.pending or h not in row.rates:
            cells += [_("ikke fulgt lenge nok")] * 4
            continue
        rate = row.rates[h]
        if not rate.shown:
            cells += [rate.display] * 4
            continue
        cells += [rate.hits, _percent(rate.rate), _percent(rate.low), _percent(rate.high)]
    return cells


def rows(table: EvaluationTable) -> list[list[Any]]:
    """The table's published rows: the cohorts with their total, then the bydeler with Oslo."""
    cohort, district = _("Kull"), _("Bydel")
    return ([_row(cohort, r) for r in [*table.cohorts, table.cohort_total]]
            + [_row(district, r) for r in [*table.districts, table.district_total]])


def _csv(table: EvaluationTable) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for label, value in _header(table):
        writer.writerow([f"# {label}", value])
    writer.writerow(_columns())
    for row in rows(table):
        writer.writerow(["" if cell is None else str(cell).replace(".", ",")
                         if isinstance(cell, float) else cell for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def _cell(sheet: Any, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: "=…" is no formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def _xlsx(table: EvaluationTable) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Evaluering"))
    for label, value in _header(table):
        sheet.append([_cell(sheet, label, bold=True), _cell(sheet, value)])
    sheet.append([])
    sheet.append([_cell(sheet, title, bold=True) for title in _columns()])
    for row in rows(table):
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def evaluation_export(*, actor: Actor, table: EvaluationTable, fmt: str) -> bytes:
    """The file, with its audit event in the same transaction."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    content = _csv(table) if fmt == "csv" else _xlsx(table)
    audit_record(action=Action.ANALYTICS_EVALUATION_EXPORT, actor=actor, agency=actor.agency,
                 details={"measure": table.measure.key, "format": fmt, "cohorts": table.kind})
    return content
