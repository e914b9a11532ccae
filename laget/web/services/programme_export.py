"""An områdesatsing as XLSX: its commitments board (overdue first, as on the page) and its
crime-preventive design report (checklist items by status per development plan). Parties,
plans and areas only: no personal data, and not who last changed a row."""

import datetime as dt
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from laget.analytics import programmes
from laget.analytics.models import AreaProgramme
from laget.web.services.analytics_export import xlsx_cell


def programme_xlsx(*, programme: AreaProgramme, board: programmes.Board,
                   plans: list[programmes.PlanReport],
                   totals: list[tuple[str, str, int]], today: dt.date) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Forpliktelser"))
    sheet.append([xlsx_cell(sheet, _("Områdesatsing"), bold=True),
                  xlsx_cell(sheet, programme.name)])
    sheet.append([xlsx_cell(sheet, _("Per"), bold=True), xlsx_cell(sheet, today.isoformat())])
    sheet.append([])
    sheet.append([xlsx_cell(sheet, text, bold=True) for text in (
        _("Part"), _("Partens navn"), _("Forpliktelse"), _("Indikator den skal flytte"),
        _("Frist"), _("Status"), _("Dager over fristen"), _("Dokumentasjon"),
        _("Lenke til dokumentasjon"))])
    for row in board.rows:
        commitment = row.commitment
        sheet.append([xlsx_cell(sheet, value) for value in (
            commitment.get_party_kind_display(), commitment.party_name, commitment.what,
            commitment.indicator.name_nb if commitment.indicator else "",
            commitment.due_on.isoformat(), commitment.get_status_display(),
            row.days_overdue if row.overdue else 0, commitment.evidence,
            commitment.evidence_url)])
    design = workbook.create_sheet(_("Utforming"))
    design.append([xlsx_cell(design, text, bold=True) for text in (
        _("Plan"), _("Område"), *(label for _value, label, _n in totals))])
    for report in plans:
        plan = report.plan
        area = plan.subdistrict.name if plan.subdistrict else plan.district.name
        design.append([xlsx_cell(design, plan.name), xlsx_cell(design, area),
                       *(xlsx_cell(design, n) for _value, _label, n in report.counts)])
    design.append([xlsx_cell(design, _("I alt"), bold=True), xlsx_cell(design, ""),
                   *(xlsx_cell(design, n, bold=True) for _value, _label, n in totals)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
