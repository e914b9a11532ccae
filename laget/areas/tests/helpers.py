"""Helpers for the areas tests: editing a copy of the data files; a fingerprint of the tables."""

import json
from collections.abc import Callable
from pathlib import Path

from django.db.models import Count, Max, Sum

from laget.areas.importer import POPULATION_BY_AGE_BAND_FILE, POPULATION_BY_AGE_FILE
from laget.areas.models import District, PopulationByAge, PopulationByAgeBand, Subdistrict

BYDELER = "oslo_bydeler_koder.csv"
DELBYDELER = "oslo_delbydeler_koder.csv"
BYDEL_GEO = "oslo_bydeler_simplified.geojson"
DELBYDEL_GEO = "oslo_delbydeler_simplified.geojson"


def edit_csv_line(path: Path, line: int, edit: Callable[[list[str]], list[str]]) -> str:
    """Change the comma-separated fields of one physical line (1 = header); returns the old line.
    The area CSVs have no quoted fields, so a plain split is exact."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    old = lines[line - 1]
    ending = old[len(old.rstrip("\r\n")) :]
    lines[line - 1] = ",".join(edit(old.rstrip("\r\n").split(","))) + ending
    path.write_text("".join(lines), encoding="utf-8", newline="")
    return old


def set_csv_field(path: Path, line: int, column: str, value: str) -> None:
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    index = header.index(column)

    def edit(fields: list[str]) -> list[str]:
        fields[index] = value
        return fields

    edit_csv_line(path, line, edit)


def edit_geojson(path: Path, edit: Callable[[dict], None]) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    edit(document)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def area_fingerprint() -> dict[str, object]:
    """Everything a failed import must leave untouched, in a comparable form."""
    return {
        "districts": [
            (d.code, d.number, d.name, d.kind, d.has_administration, json.dumps(d.boundary))
            for d in District.objects.order_by("code")
        ],
        "subdistricts": [
            (s.code, s.number, s.name, s.district_id, json.dumps(s.boundary))
            for s in Subdistrict.objects.order_by("code")
        ],
        "by_band": PopulationByAgeBand.objects.aggregate(
            n=Max("pk"), total=Sum("population"), rows=Count("pk")
        ),
        "by_age": PopulationByAge.objects.aggregate(
            n=Max("pk"), total=Sum("population"), rows=Count("pk")
        ),
    }


# --- ways to break a copy of the data (one problem each) --------------------


def break_bad_header(d: Path) -> None:
    edit_csv_line(d / BYDELER, 1, lambda f: ["bydel_id", "bydel_nummer", "name"])


def break_unknown_bydel(d: Path) -> None:
    set_csv_field(d / DELBYDELER, 17, "bydel_id", "42")


def break_delbydel_in_wrong_bydel(d: Path) -> None:
    set_csv_field(d / DELBYDELER, 2, "bydel_id", "02")


def break_bydel_nr_mismatch(d: Path) -> None:
    set_csv_field(d / BYDELER, 3, "bydel_nr", "030199")


def break_duplicate_bydel(d: Path) -> None:
    set_csv_field(d / BYDELER, 5, "bydel_id", "02")


def break_missing_bydel(d: Path) -> None:
    lines = (d / BYDELER).read_text(encoding="utf-8").splitlines(keepends=True)
    del lines[8]  # 07 Vestre Aker
    (d / BYDELER).write_text("".join(lines), encoding="utf-8", newline="")


def break_empty_row(d: Path) -> None:
    edit_csv_line(d / DELBYDELER, 5, lambda f: [])


def break_too_many_columns(d: Path) -> None:
    edit_csv_line(d / DELBYDELER, 6, lambda f: [*f, "extra"])


def break_not_utf8(d: Path) -> None:
    path = d / DELBYDELER
    lines = path.read_bytes().splitlines(keepends=True)
    lines[8] = lines[8].replace(b"Kv\xc3\xa6rnerbyen", b"Kv\xe6rnerbyen")  # latin-1 æ
    path.write_bytes(b"".join(lines))


def break_non_numeric_population(d: Path) -> None:
    set_csv_field(d / POPULATION_BY_AGE_FILE, 1000, "population", "abc")


def break_negative_population(d: Path) -> None:
    set_csv_field(d / POPULATION_BY_AGE_BAND_FILE, 50, "population", "-3")


def break_decimal_population(d: Path) -> None:
    set_csv_field(d / POPULATION_BY_AGE_BAND_FILE, 51, "population", "12.0")


def break_unknown_population_district(d: Path) -> None:
    set_csv_field(d / POPULATION_BY_AGE_BAND_FILE, 7, "bydel_nr", "030118")


def break_population_name_mismatch(d: Path) -> None:
    set_csv_field(d / POPULATION_BY_AGE_BAND_FILE, 8, "bydel_name", "Gamlebyen")


def break_invalid_age_band(d: Path) -> None:
    set_csv_field(d / POPULATION_BY_AGE_BAND_FILE, 4, "age_band", "13_15")


def break_invalid_sex(d: Path) -> None:
    set_csv_field(d / POPULATION_BY_AGE_FILE, 3, "sex", "k")


def break_duplicate_population_row(d: Path) -> None:
    set_csv_field(d / POPULATION_BY_AGE_FILE, 3, "age", "0")


def break_total_not_sum(d: Path) -> None:
    # Line 214 is Gamle Oslo, 2005, age 0, total 746 (= 393 female + 353 male).
    set_csv_field(d / POPULATION_BY_AGE_FILE, 214, "population", "747")


def break_point_geometry(d: Path) -> None:
    def edit(document: dict) -> None:
        document["features"][5]["geometry"] = {"type": "Point", "coordinates": [10.75, 59.91]}

    edit_geojson(d / DELBYDEL_GEO, edit)


def break_open_ring(d: Path) -> None:
    def edit(document: dict) -> None:
        ring = document["features"][3]["geometry"]["coordinates"][0][0]
        ring[-1] = [ring[-1][0] + 0.001, ring[-1][1]]

    edit_geojson(d / BYDEL_GEO, edit)


def break_not_a_feature_collection(d: Path) -> None:
    edit_geojson(d / BYDEL_GEO, lambda document: document.update(type="GeometryCollection"))


def break_malformed_json(d: Path) -> None:
    path = d / BYDEL_GEO
    path.write_text(path.read_text(encoding="utf-8")[:-20], encoding="utf-8")


def break_unknown_delbydel_feature(d: Path) -> None:
    def edit(document: dict) -> None:
        props = document["features"][7]["properties"]
        props["delbydel_id"], props["delbydel_nr"] = "010199", "0301010199"

    edit_geojson(d / DELBYDEL_GEO, edit)


def break_inconsistent_delbydel_nr(d: Path) -> None:
    def edit(document: dict) -> None:
        document["features"][2]["properties"]["delbydel_nr"] = "0301010199"

    edit_geojson(d / DELBYDEL_GEO, edit)


def break_missing_property(d: Path) -> None:
    edit_geojson(d / BYDEL_GEO, lambda document: document["features"][4]["properties"].clear())


def break_missing_file(d: Path) -> None:
    (d / DELBYDEL_GEO).unlink()


BAD_INPUTS = [
    (break_bad_header, BYDELER, 1, False, "header is 'bydel_id,bydel_nummer,name'"),
    (break_unknown_bydel, DELBYDELER, 17, False, "unknown bydel_id '42'"),
    (break_delbydel_in_wrong_bydel, DELBYDELER, 2, False, "does not start with bydel_id '02'"),
    (break_bydel_nr_mismatch, BYDELER, 3, False, "bydel_nr '030199' does not match bydel_id '01'"),
    (break_duplicate_bydel, BYDELER, 5, False, "duplicate bydel_id '02'"),
    (break_missing_bydel, BYDELER, None, False, "missing bydel_id 07"),
    (break_empty_row, DELBYDELER, 5, False, "empty row"),
    (break_too_many_columns, DELBYDELER, 6, False, "5 columns, expected 4"),
    (break_not_utf8, DELBYDELER, 9, False, "not valid UTF-8"),
    (
        break_non_numeric_population,
        POPULATION_BY_AGE_FILE,
        1000,
        False,
        "'abc' is not a non-negative",
    ),
    (
        break_negative_population,
        POPULATION_BY_AGE_BAND_FILE,
        50,
        False,
        "'-3' is not a non-negative",
    ),
    (
        break_decimal_population,
        POPULATION_BY_AGE_BAND_FILE,
        51,
        False,
        "'12.0' is not a non-negative",
    ),
    (break_unknown_population_district, POPULATION_BY_AGE_BAND_FILE, 7, False, "unknown bydel_nr"),
    (break_population_name_mismatch, POPULATION_BY_AGE_BAND_FILE, 8, False, "'Gamlebyen' differs"),
    (break_invalid_age_band, POPULATION_BY_AGE_BAND_FILE, 4, False, "invalid age_band '13_15'"),
    (break_invalid_sex, POPULATION_BY_AGE_FILE, 3, False, "invalid sex 'k'"),
    (break_duplicate_population_row, POPULATION_BY_AGE_FILE, 3, False, "duplicate row"),
    (break_total_not_sum, POPULATION_BY_AGE_FILE, 214, False, "total 747 is not female 393"),
    (break_point_geometry, DELBYDEL_GEO, 5, True, "geometry type 'Point'"),
    (break_open_ring, BYDEL_GEO, 3, True, "ring that is not closed"),
    (break_not_a_feature_collection, BYDEL_GEO, None, False, "not a GeoJSON FeatureCollection"),
    (break_malformed_json, BYDEL_GEO, 1, False, "invalid JSON"),
    (break_unknown_delbydel_feature, DELBYDEL_GEO, 7, True, "('0199') is not in the code list"),
    (break_inconsistent_delbydel_nr, DELBYDEL_GEO, 2, True, "delbydel_nr '0301010199' does not"),
    (break_missing_property, BYDEL_GEO, 4, True, "property 'bydel_id' missing"),
    (break_missing_file, DELBYDEL_GEO, None, False, "file not found"),
]
