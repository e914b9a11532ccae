"""The school register's CSV import: strict, all or nothing, idempotent by organisation number."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from stdnum.no import orgnr

from laget.accounts.models import Agency, AgencyType
from laget.schools.importer import SchoolImportError, parse_schools, schools_import
from laget.schools.models import School

DATA = Path(settings.BASE_DIR) / "data" / "schools" / "oslo_skoler_syntetisk.csv"
HEADER = "orgnr,navn,bydel,trinn,kilde\n"


def test_shipped_file_is_synthetic_with_valid_numbers(db):
    rows = parse_schools(DATA.read_text(encoding="utf-8"))
    assert len(rows) >= 30
    assert all(row.source == "syntetisk" and orgnr.is_valid(row.orgnr) for row in rows)
    assert len({row.district for row in rows}) >= 15


def test_import_creates_agencies_and_is_idempotent(db):
    text = DATA.read_text(encoding="utf-8")
    first = schools_import(text=text)
    assert first.updated == 0 and first.created == School.objects.count()
    school = School.objects.get(orgnr="999067905")
    assert school.agency.type == AgencyType.SKOLE
    assert school.agency.district_id == school.district_id == "030101"
    assert school.agency.is_synthetic
    again = schools_import(text=text)
    assert (again.created, again.updated) == (0, first.created)
    assert Agency.objects.filter(type=AgencyType.SKOLE).count() == first.created


@pytest.mark.parametrize(("line", "message"), [
    ("999067906,Feil skole,030101,barneskole,syntetisk", "gyldig organisasjonsnummer"),
    ("999067905,Skole,039999,barneskole,syntetisk", "ukjent bydel"),
    ("999067905,Skole,030101,universitet,syntetisk", "ukjent trinn"),
    ("999067905,Skole,030101,barneskole,oppdiktet", "kilde"),
    ("999067905,,030101,barneskole,syntetisk", "navn mangler"),
    ("999067905,Skole,030101,barneskole,syntetisk,ekstra", "for mange felt"),
])
def test_bad_rows_are_refused_and_nothing_is_written(db, line, message):
    text = HEADER + "993774200,God skole,030101,ungdomsskole,syntetisk\n" + line + "\n"
    with pytest.raises(SchoolImportError, match=message):
        schools_import(text=text)
    assert not School.objects.exists()


def test_duplicate_number_and_bad_header(db):
    with pytest.raises(SchoolImportError, match="to ganger"):
        parse_schools(HEADER + "993774200,A,030101,barneskole,syntetisk\n"
                      "993774200,B,030101,barneskole,syntetisk\n")
    with pytest.raises(SchoolImportError, match="Kolonner mangler"):
        parse_schools("orgnr,navn\n993774200,A\n")
    with pytest.raises(SchoolImportError, match="ingen skoler"):
        parse_schools(HEADER)


def test_command_exit_code_2_with_one_line(db, tmp_path):
    bad = tmp_path / "skoler.csv"
    bad.write_text(HEADER + "123,Skole,030101,barneskole,syntetisk\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_schools", str(bad), stderr=err)
    assert exit_info.value.code == 2
    assert len(err.getvalue().strip().splitlines()) == 1
    out = StringIO()
    call_command("import_schools", str(DATA), stdout=out)
    assert "opprettet" in out.getvalue()
