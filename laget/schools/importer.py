"""The school register as CSV (`data/schools/README.md`): strict parsing (`parse_schools`) and the
all-or-nothing import (`schools_import`), idempotent by organisation number. Each school is an
agency of type `skole` in its bydel. Every problem is one line naming the CSV line and column."""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from stdnum.no import orgnr as orgnr_check

from laget.accounts.models import Agency, AgencyType
from laget.areas.models import District
from laget.audit.actions import Action
from laget.audit.services import audit_record
from laget.schools.models import School, SchoolLevel

COLUMNS = ("orgnr", "navn", "bydel", "trinn", "kilde")
SOURCES = ("syntetisk", "nsr")
MAX_ROWS = 2000


class SchoolImportError(Exception):
    """Bad input; the message is one line for the admin."""


@dataclass(frozen=True)
class SchoolRow:
    line: int
    orgnr: str
    name: str
    district: str
    level: str
    source: str


def _row(line: int, raw: dict[str, str], districts: set[str]) -> SchoolRow:
    value = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    for column in COLUMNS:
        if not value[column]:
            raise SchoolImportError(f"Linje {line}: {column} mangler")
    if not orgnr_check.is_valid(value["orgnr"]) or len(value["orgnr"]) != 9:
        raise SchoolImportError(
            f"Linje {line}: orgnr «{value['orgnr']}» er ikke et gyldig organisasjonsnummer")
    if len(value["navn"]) > 200:
        raise SchoolImportError(f"Linje {line}: navn er lengre enn 200 tegn")
    if value["bydel"] not in districts:
        raise SchoolImportError(f"Linje {line}: bydel: ukjent bydel «{value['bydel']}»")
    if value["trinn"] not in SchoolLevel.values:
        raise SchoolImportError(f"Linje {line}: trinn: ukjent trinn «{value['trinn']}»")
    if value["kilde"] not in SOURCES:
        raise SchoolImportError(f"Linje {line}: kilde: skriv syntetisk eller nsr")
    return SchoolRow(line, value["orgnr"], value["navn"], value["bydel"], value["trinn"],
                     value["kilde"])


def parse_schools(text: str) -> list[SchoolRow]:
    """Every row checked (valid organisation number, known bydel and level, each number once)
    before anything is written; the first problem raises SchoolImportError."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise SchoolImportError(f"Kolonner mangler: {', '.join(missing)}")
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise SchoolImportError(f"Ukjente kolonner: {', '.join(unknown)}")
    districts = set(District.objects.values_list("code", flat=True))
    rows: list[SchoolRow] = []
    seen: set[str] = set()
    try:
        for raw in reader:
            line = reader.line_num
            if len(rows) >= MAX_ROWS:
                raise SchoolImportError(f"Mer enn {MAX_ROWS} rader")
            if None in raw:
                raise SchoolImportError(f"Linje {line}: for mange felt")
            row = _row(line, raw, districts)
            if row.orgnr in seen:
                raise SchoolImportError(f"Linje {line}: orgnr {row.orgnr} står to ganger")
            seen.add(row.orgnr)
            rows.append(row)
    except csv.Error as error:
        raise SchoolImportError(f"Linje {reader.line_num}: {error}") from None
    if not rows:
        raise SchoolImportError("Filen har ingen skoler")
    return rows


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int

    def __str__(self) -> str:
        return f"{self.created} skoler opprettet, {self.updated} oppdatert"


def agency_code(orgnr: str) -> str:
    return f"skole-{orgnr}"


@transaction.atomic
def schools_import(*, text: str, file_name: str = "") -> ImportSummary:
    """Create or update each school and its agency (matched by organisation number). All or
    nothing: a bad row leaves the register as it was."""
    rows = parse_schools(text)
    created = updated = 0
    for row in rows:
        school = School.objects.select_related("agency").filter(orgnr=row.orgnr).first()
        synthetic = row.source == "syntetisk"
        if school is None:
            agency, _created = Agency.objects.update_or_create(
                code=agency_code(row.orgnr),
                defaults={"name": row.name, "type": AgencyType.SKOLE,
                          "district_id": row.district, "is_synthetic": synthetic})
            if agency.type != AgencyType.SKOLE:
                raise SchoolImportError(f"Linje {row.line}: virksomheten finnes med annen type")
            School.objects.create(agency=agency, orgnr=row.orgnr, name=row.name,
                                  district_id=row.district, level=row.level, source=row.source)
            created += 1
            continue
        school.name, school.district_id = row.name, row.district
        school.level, school.source = row.level, row.source
        school.save(update_fields=["name", "district", "level", "source", "updated_at"])
        agency = school.agency
        agency.name, agency.district_id, agency.is_synthetic = row.name, row.district, synthetic
        agency.save(update_fields=["name", "district", "is_synthetic", "updated_at"])
        updated += 1
    summary = ImportSummary(created, updated)
    audit_record(action=Action.SCHOOLS_IMPORT, actor=None,
                 details={"file": file_name[:100], "created": created, "updated": updated})
    return summary
