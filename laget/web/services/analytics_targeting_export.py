"""The targeting index's ranking as CSV or XLSX: the method and each component above the table,
then one row per area (ranked, unranked with the reason, statistical units) with its published
figures — a hidden figure as its mark («<5», «skjult»), never a number — its z-scores and index.
Areas only: no personal data."""

import csv
import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from laget.analytics import targeting

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def reason_text(reason: str) -> str:
    return {"statistical": _("statistisk enhet, rangeres ikke"),
            "suppressed": _("skjult tall (små tall), rangeres ikke"),
            "missing": _("mangler tall, rangeres ikke")}.get(reason, "")


def _number(value: Decimal | None, places: str = "0.001") -> float | None:
    return None if value is None else float(value.quantize(Decimal(places)))


def _method(ranking: targeting.Ranking) -> list[list[Any]]:
    lines: list[list[Any]] = [
        [_("Målrettingsindeks"), _("%(level)s, %(year)s") % {
            "level": ranking.level, "year": ranking.year}],
        [_("Metode"), _("z = (x − gjennomsnitt) / standardavvik over de rangerte områdene med "
                        "tall; fortegn etter retning; vektene summerer til 1; indeks = Σ andel × "
                        "fortegn × z. Like indekser deler plass.")],
        [_("Manglende og skjulte tall"), _("rangeres ikke") if ranking.missing ==
         targeting.MISSING_EXCLUDE else _("indeksen regnes over tallene området har")],
        [],
        [_("Indikator"), _("Tall"), _("Fortegn"), _("Vekt"), _("Andel"), _("Gjennomsnitt"),
         _("Standardavvik"), _("Med tall"), _("Skjult"), _("Mangler")],
    ]
    for c in ranking.components:
        lines.append([c.name, c.label, _("opp") if c.sign > 0 else _("ned"), float(c.weight),
                      _number(c.share), _number(c.mean), _number(c.sd), c.present,
                      c.suppressed, c.missing])
    lines.append([])
    return lines


def _rows(ranking: targeting.Ranking) -> list[list[Any]]:
    header: list[Any] = [_("Plass"), _("Kode"), _("Område"), _("Bydel")]
    for c in ranking.components:
        header += [c.name, f"z {c.name}"]
    header += [_("Indeks"), _("Dekning"), _("Merknad")]
    rows = [header]
    for row in [*ranking.ranked, *ranking.unranked, *ranking.statistical]:
        line: list[Any] = [row.rank, row.area.code, row.area.name, row.district_name]
        for cell, z in zip(row.cells, row.z, strict=True):
            value: Any = cell.display if cell.value is None else float(cell.value)
            line += [value, _number(z)]
        line += [_number(row.index), None if row.statistical else _number(row.coverage, "0.01"),
                 reason_text(row.reason)]
        rows.append(line)
    return rows


def ranking_csv(ranking: targeting.Ranking) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for line in [*_method(ranking), *_rows(ranking)]:
        writer.writerow(["" if v is None else _safe(v) for v in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _safe(value: Any) -> Any:
    """A text cell never starts like a formula in a spreadsheet."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def ranking_xlsx(ranking: targeting.Ranking) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Indeks"))
    for line in [*_method(ranking), *_rows(ranking)]:
        cells = []
        for value in line:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        if line[:1] and line[0] in (_("Indikator"), _("Plass")):
            for cell in cells:
                cell.font = Font(bold=True)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
