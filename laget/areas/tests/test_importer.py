"""The importer: strict validation, one-line errors, the delbydel id quirk, idempotent writes."""

import json
from pathlib import Path

import pytest

from laget.areas import importer
from laget.areas.importer import (
    POPULATION_BY_AGE_BAND_FILE,
    AreaImportError,
    import_areas,
    read_area_data,
    reconcile_subdistrict_ids,
)
from laget.areas.models import District, PopulationByAge, PopulationByAgeBand, Subdistrict
from laget.areas.tests.helpers import (
    BAD_INPUTS,
    BYDEL_GEO,
    BYDELER,
    DELBYDEL_GEO,
    DELBYDELER,
    area_fingerprint,
    break_point_geometry,
    break_unknown_bydel,
    edit_geojson,
    set_csv_field,
)

# --- the quirk ---------------------------------------------------------------------------------


def test_reconcile_geojson_ids_to_code_list():
    assert reconcile_subdistrict_ids(
        delbydel_id="010102", delbydel_nr="0301010102", bydel_id="01"
    ) == ("0102", "03010102")
    assert reconcile_subdistrict_ids(
        delbydel_id="151506", delbydel_nr="0301151506", bydel_id="15"
    ) == ("1506", "03011506")


def test_reconcile_accepts_ids_already_in_code_list_form():
    assert reconcile_subdistrict_ids(delbydel_id="0102", delbydel_nr="03010102", bydel_id="01") == (
        "0102",
        "03010102",
    )


@pytest.mark.parametrize(
    ("delbydel_id", "delbydel_nr", "bydel_id"),
    [
        ("020102", "0301020102", "01"),  # bydel prefix is another bydel
        ("0202", "03010202", "01"),  # id of another bydel
        ("01012", "030101012", "01"),  # five digits
        ("010102", "0301010103", "01"),  # number names another delbydel
        ("010102", "03010103", "01"),
    ],
)
def test_reconcile_rejects_inconsistent_ids(delbydel_id, delbydel_nr, bydel_id):
    with pytest.raises(ValueError, match="delbydel"):
        reconcile_subdistrict_ids(
            delbydel_id=delbydel_id, delbydel_nr=delbydel_nr, bydel_id=bydel_id
        )


def test_read_reconciles_the_delbydel_geojson(data_dir: Path):
    data = read_area_data(data_dir=data_dir)
    by_code = {s.code: s for s in data.subdistricts}
    assert len(by_code) == 104
    gronland = by_code["03010102"]
    assert (gronland.number, gronland.name, gronland.district_code) == (
        "0102",
        "Grønland",
        "030101",
    )
    assert gronland.boundary is not None
    # Codes without a polygon in this boundary set, and the statistical units.
    for code in ("03010101", "03010107", "03010207", "03010903"):
        assert by_code[code].boundary is None
    for code in ("03011601", "03011701", "03019901", "03019999"):
        assert by_code[code].boundary is None
    assert sum(s.boundary is not None for s in data.subdistricts) == 96


def test_read_accepts_a_corrected_delbydel_geojson(data_dir: Path):
    """Should the publisher fix the ids, the same boundaries land on the same subdistricts."""
    original = read_area_data(data_dir=data_dir)

    def fix_ids(document: dict) -> None:
        for feature in document["features"]:
            props = feature["properties"]
            props["delbydel_id"] = props["delbydel_id"][2:]
            props["delbydel_nr"] = "0301" + props["delbydel_id"]

    edit_geojson(data_dir / DELBYDEL_GEO, fix_ids)
    assert read_area_data(data_dir=data_dir).subdistricts == original.subdistricts


# --- strict validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("break_data", "file", "row", "in_features", "problem"),
    BAD_INPUTS,
    ids=[case[0].__name__.removeprefix("break_") for case in BAD_INPUTS],
)
def test_bad_input_is_reported_with_file_and_row(
    data_dir: Path, break_data, file, row, in_features, problem
):
    break_data(data_dir)
    with pytest.raises(AreaImportError) as caught:
        read_area_data(data_dir=data_dir)
    error = caught.value
    assert error.file == str(data_dir / file)
    assert error.row == row
    assert error.in_features == in_features
    assert problem in error.problem
    assert "\n" not in str(error)
    assert str(error).startswith(f"{data_dir / file}:")


def test_error_line_format(data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(data_dir.parent)
    break_unknown_bydel(data_dir)
    with pytest.raises(AreaImportError) as caught:
        read_area_data(data_dir=Path("areas"))
    assert str(caught.value) == "areas/oslo_delbydeler_koder.csv:17: unknown bydel_id '42'"
    assert (caught.value.file, caught.value.row) == ("areas/oslo_delbydeler_koder.csv", 17)
    assert caught.value.problem == "unknown bydel_id '42'"


def test_geojson_error_names_the_feature(data_dir: Path):
    break_point_geometry(data_dir)
    with pytest.raises(AreaImportError) as caught:
        read_area_data(data_dir=data_dir)
    assert str(caught.value) == (
        f"{data_dir / DELBYDEL_GEO}:features[5]: geometry type 'Point', expected Polygon or "
        "MultiPolygon"
    )


def test_byte_order_mark_is_accepted(data_dir: Path):
    path = data_dir / BYDELER
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(read_area_data(data_dir=data_dir).districts) == 18


# --- writing -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_second_import_changes_nothing(data_dir: Path):
    before = area_fingerprint()
    summary = import_areas(data_dir=data_dir)
    assert area_fingerprint() == before
    for changes in (summary.districts, summary.subdistricts):
        assert (changes.created, changes.updated, changes.deleted) == (0, 0, 0)
    assert summary.population_by_age_band.unchanged == 3366
    assert summary.population_by_age.unchanged == 118932
    assert (summary.districts_with_boundary, summary.subdistricts_with_boundary) == (15, 96)


@pytest.mark.django_db
def test_reimport_updates_in_place(data_dir: Path):
    set_csv_field(data_dir / BYDELER, 20, "name", "Uten kjent adresse")  # 030199
    set_csv_field(data_dir / DELBYDELER, 2, "name", "Lodalen og omegn")  # 0101, no polygon
    set_csv_field(data_dir / POPULATION_BY_AGE_BAND_FILE, 4, "population", "1")
    lines = (data_dir / POPULATION_BY_AGE_BAND_FILE).read_text(encoding="utf-8").splitlines()
    removed = lines.pop(9)
    (data_dir / POPULATION_BY_AGE_BAND_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, year, band, _ = removed.split(",")
    district_pks = list(District.objects.values_list("pk", flat=True))

    summary = import_areas(data_dir=data_dir)

    assert (summary.districts.updated, summary.districts.unchanged) == (1, 17)
    assert (summary.subdistricts.updated, summary.subdistricts.unchanged) == (1, 103)
    band_changes = summary.population_by_age_band
    assert (band_changes.updated, band_changes.deleted, band_changes.created) == (1, 1, 0)
    assert District.objects.get(code="030199").name == "Uten kjent adresse"
    assert Subdistrict.objects.get(code="03010101").name == "Lodalen og omegn"
    assert list(District.objects.values_list("pk", flat=True)) == district_pks
    assert Subdistrict.objects.count() == 104
    assert PopulationByAgeBand.objects.count() == 3365
    assert (
        PopulationByAgeBand.objects.get(district="030101", year=2005, age_band="13-15").population
        == 1
    )
    assert not PopulationByAgeBand.objects.filter(district=code, year=year, age_band=band).exists()
    assert PopulationByAge.objects.count() == 118932

    # Putting the row back creates it again; nothing is duplicated.
    summary = import_areas(data_dir=importer.default_data_dir())
    assert summary.population_by_age_band.created == 1
    assert PopulationByAgeBand.objects.count() == 3366


@pytest.mark.django_db
def test_failure_while_writing_leaves_nothing_behind(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    set_csv_field(data_dir / BYDELER, 20, "name", "Uten kjent adresse")
    before = area_fingerprint()

    def fail(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "_sync_population", fail)
    with pytest.raises(RuntimeError):
        import_areas(data_dir=data_dir)
    assert area_fingerprint() == before
    assert District.objects.get(code="030199").name == "Uten registrert adresse"


@pytest.mark.django_db
def test_import_into_empty_tables(data_dir: Path):
    PopulationByAge.objects.all().delete()
    PopulationByAgeBand.objects.all().delete()
    Subdistrict.objects.all().delete()
    District.objects.all().delete()
    summary = import_areas(data_dir=data_dir)
    assert (summary.districts.created, summary.subdistricts.created) == (18, 104)
    assert summary.population_by_age.created == 118932
    assert District.objects.get(code="030103").boundary == next(
        {"type": f["geometry"]["type"], "coordinates": f["geometry"]["coordinates"]}
        for f in json.loads((data_dir / BYDEL_GEO).read_text(encoding="utf-8"))["features"]
        if f["properties"]["bydel_id"] == "03"
    )
