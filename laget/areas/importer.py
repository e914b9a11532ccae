"""Strict import of Oslo's area reference data (code lists, boundaries, population) from data/areas.

Reading and validating every file happens before anything touches the database; writing happens in
one transaction and updates rows in place, so a re-run changes only what changed in the files.
The writer takes the model classes as an argument so that the data migration can pass historical
models (`AreaModels.from_apps(apps)`).
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from laget.areas.models import DistrictKind, Sex

OSLO_KOMMUNE = "0301"

DISTRICT_CODES_FILE = "oslo_bydeler_koder.csv"
SUBDISTRICT_CODES_FILE = "oslo_delbydeler_koder.csv"
DISTRICT_BOUNDARIES_FILE = "oslo_bydeler_simplified.geojson"
SUBDISTRICT_BOUNDARIES_FILE = "oslo_delbydeler_simplified.geojson"
POPULATION_BY_AGE_BAND_FILE = "oslo_bydel_befolkning_aldersgrupper_2005_2026.csv"
POPULATION_BY_AGE_FILE = "oslo_bydel_befolkning_alder_kjonn_2005_2026.csv"

# Bydel numbers 01-15 have their own administration; 99 is "without registered address"; any other
# number in the code list (16 Sentrum, 17 Marka) is a statistical area.
ADMINISTERED_NUMBERS = frozenset(f"{n:02d}" for n in range(1, 16))
UNREGISTERED_NUMBER = "99"
OSLO_TOTAL_NUMBER = "00"  # "Oslo i alt" (code 0301) in the code list: a total, not a district.

SEXES = frozenset(Sex.values)
MAX_AGE = 130
# No single age, sex and district comes near this; a larger number is a broken file (and would
# overflow the column).
MAX_POPULATION = 10_000_000
BATCH_SIZE = 5000

_TWO_DIGITS = re.compile(r"\d{2}")
_FOUR_DIGITS = re.compile(r"\d{4}")
_SIX_DIGITS = re.compile(r"\d{6}")
_EIGHT_DIGITS = re.compile(r"\d{8}")
_COUNT = re.compile(r"\d+")
_YEAR = re.compile(r"\d{4}")
_AGE = re.compile(r"\d{1,3}")
_AGE_BAND = re.compile(r"(?P<low>\d{2})-(?P<high>\d{2})|(?P<open>\d{2})\+|total")


class AreaImportError(Exception):
    """A problem in one of the area data files. `row` is the CSV line number (header = 1), the
    index into a GeoJSON file's `features`, the line of a JSON syntax error, or None for a
    problem with the file as a whole."""

    def __init__(self, *, file: str, row: int | None, problem: str, in_features: bool = False):
        self.file = file
        self.row = row
        self.problem = problem
        self.in_features = in_features
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.row is None:
            text = f"{self.file}: {self.problem}"
        else:
            where = f"features[{self.row}]" if self.in_features else str(self.row)
            text = f"{self.file}:{where}: {self.problem}"
        return " ".join(text.splitlines())  # always one line, for the command's stderr


def default_data_dir() -> Path:
    """The repository's own copy of the data (`data/areas/` next to `manage.py`)."""
    return Path(settings.BASE_DIR) / "data" / "areas"


# --- parsed data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictRecord:
    code: str
    number: str
    name: str
    kind: DistrictKind
    has_administration: bool
    boundary: dict[str, Any] | None

    def field_values(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "kind": self.kind.value,
            "has_administration": self.has_administration,
            "boundary": self.boundary,
        }


@dataclass(frozen=True)
class SubdistrictRecord:
    code: str
    number: str
    name: str
    district_code: str
    boundary: dict[str, Any] | None

    def field_values(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "district_id": self.district_code,
            "boundary": self.boundary,
        }


@dataclass(frozen=True)
class AreaData:
    """Everything in the data directory, validated. Population keys are tuples of the unique
    fields: (district code, year, age band) and (district code, year, age, sex)."""

    districts: list[DistrictRecord]
    subdistricts: list[SubdistrictRecord]
    population_by_age_band: dict[tuple[str, int, str], int]
    population_by_age: dict[tuple[str, int, int, str], int]


# --- reading -----------------------------------------------------------------------------------


def _display(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class _CsvFile:
    """Rows of a UTF-8 CSV file whose header must be exactly `columns`; yields (line, row dict)."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path = path
        self.name = _display(path)
        self.columns = list(columns)

    def error(self, line: int | None, problem: str) -> AreaImportError:
        return AreaImportError(file=self.name, row=line, problem=problem)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        try:
            handle = self.path.open(encoding="utf-8-sig", newline="")
        except FileNotFoundError:
            raise self.error(None, "file not found") from None
        except OSError as exc:
            raise self.error(None, f"cannot read file: {exc.strerror}") from None
        with handle:
            reader = csv.reader(handle, strict=True)
            try:
                header = next(reader, None)
                if header is None:
                    raise self.error(1, "empty file (expected a header row)")
                if header != self.columns:
                    raise self.error(
                        1,
                        f"header is {','.join(header)!r}, expected {','.join(self.columns)!r}",
                    )
                for row in reader:
                    line = reader.line_num
                    if not row:
                        raise self.error(line, "empty row")
                    if len(row) != len(self.columns):
                        raise self.error(line, f"{len(row)} columns, expected {len(self.columns)}")
                    yield line, dict(zip(self.columns, row, strict=True))
            except csv.Error as exc:
                raise self.error(reader.line_num, f"malformed CSV: {exc}") from None
            except UnicodeDecodeError as exc:
                raise self.error(
                    _bad_utf8_line(self.path), f"not valid UTF-8: {exc.reason}"
                ) from None


def _bad_utf8_line(path: Path) -> int | None:
    """The line holding the first byte that is not UTF-8 (decoding runs ahead in chunks)."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return raw.count(b"\n", 0, exc.start) + 1
    return None


def _field(
    csv_file: _CsvFile, line: int, row: dict[str, str], column: str, pattern: re.Pattern[str]
) -> str:
    value = row[column]
    if not pattern.fullmatch(value):
        raise csv_file.error(line, f"invalid {column} {value!r}")
    return value


def _count(csv_file: _CsvFile, line: int, row: dict[str, str], column: str) -> int:
    value = row[column]
    if not _COUNT.fullmatch(value):
        raise csv_file.error(line, f"{column} {value!r} is not a non-negative integer")
    count = int(value)
    if count > MAX_POPULATION:
        raise csv_file.error(line, f"{column} {count} is implausibly large")
    return count


def _name(csv_file: _CsvFile, line: int, row: dict[str, str], column: str = "name") -> str:
    value = row[column]
    if not value.strip() or value != value.strip():
        raise csv_file.error(line, f"{column} {value!r} is empty or has surrounding spaces")
    return value


def _read_district_codes(path: Path) -> dict[str, DistrictRecord]:
    """Bydel code list, keyed by the two-digit number; "Oslo i alt" is checked and left out."""
    source = _CsvFile(path, ["bydel_id", "bydel_nr", "name"])
    districts: dict[str, DistrictRecord] = {}
    seen: set[str] = set()
    for line, row in source.rows():
        number = _field(source, line, row, "bydel_id", _TWO_DIGITS)
        code = row["bydel_nr"]
        name = _name(source, line, row)
        if number in seen:
            raise source.error(line, f"duplicate bydel_id {number!r}")
        seen.add(number)
        if number == OSLO_TOTAL_NUMBER:
            if code != OSLO_KOMMUNE:
                raise source.error(line, f"bydel_nr {code!r} for 'Oslo i alt', expected '0301'")
            continue
        if code != OSLO_KOMMUNE + number:
            raise source.error(
                line,
                f"bydel_nr {code!r} does not match bydel_id {number!r} (expected "
                f"'{OSLO_KOMMUNE}{number}')",
            )
        if number in ADMINISTERED_NUMBERS:
            kind = DistrictKind.BYDEL
        elif number == UNREGISTERED_NUMBER:
            kind = DistrictKind.UNREGISTERED
        else:
            kind = DistrictKind.STATISTICAL
        districts[number] = DistrictRecord(
            code=code,
            number=number,
            name=name.removeprefix("Bydel "),
            kind=kind,
            has_administration=kind == DistrictKind.BYDEL,
            boundary=None,
        )
    missing = sorted(ADMINISTERED_NUMBERS - districts.keys())
    if missing:
        raise source.error(None, f"missing bydel_id {', '.join(missing)} (expected 01 to 15)")
    return districts


def _read_subdistrict_codes(
    path: Path, districts: dict[str, DistrictRecord]
) -> dict[str, SubdistrictRecord]:
    """Delbydel code list, keyed by the four-digit id."""
    source = _CsvFile(path, ["delbydel_id", "delbydel_nr", "name", "bydel_id"])
    subdistricts: dict[str, SubdistrictRecord] = {}
    for line, row in source.rows():
        number = _field(source, line, row, "delbydel_id", _FOUR_DIGITS)
        code = _field(source, line, row, "delbydel_nr", _EIGHT_DIGITS)
        name = _name(source, line, row)
        district_number = _field(source, line, row, "bydel_id", _TWO_DIGITS)
        if district_number not in districts:
            raise source.error(line, f"unknown bydel_id {district_number!r}")
        if not number.startswith(district_number):
            raise source.error(
                line, f"delbydel_id {number!r} does not start with bydel_id {district_number!r}"
            )
        if code != OSLO_KOMMUNE + number:
            raise source.error(
                line,
                f"delbydel_nr {code!r} does not match delbydel_id {number!r} (expected "
                f"'{OSLO_KOMMUNE}{number}')",
            )
        if number in subdistricts:
            raise source.error(line, f"duplicate delbydel_id {number!r}")
        subdistricts[number] = SubdistrictRecord(
            code=code,
            number=number,
            name=name,
            district_code=districts[district_number].code,
            boundary=None,
        )
    return subdistricts


class _GeoJsonFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = _display(path)

    def error(self, index: int | None, problem: str) -> AreaImportError:
        return AreaImportError(
            file=self.name, row=index, problem=problem, in_features=index is not None
        )

    def features(
        self, required: Sequence[str]
    ) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
        """(index, properties, geometry) for each feature, after checking the structure."""
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise self.error(None, "file not found") from None
        except UnicodeDecodeError as exc:
            raise AreaImportError(
                file=self.name,
                row=_bad_utf8_line(self.path),
                problem=f"not valid UTF-8: {exc.reason}",
            ) from None
        except OSError as exc:
            raise self.error(None, f"cannot read file: {exc.strerror}") from None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise AreaImportError(
                file=self.name,
                row=exc.lineno,
                problem=f"invalid JSON: {exc.msg} (column {exc.colno})",
            ) from None
        if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
            raise self.error(None, "not a GeoJSON FeatureCollection")
        features = document.get("features")
        if not isinstance(features, list):
            raise self.error(None, "FeatureCollection has no 'features' list")
        for index, feature in enumerate(features):
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise self.error(index, "not a GeoJSON Feature")
            properties = feature.get("properties")
            if not isinstance(properties, dict):
                raise self.error(index, "feature has no properties object")
            for key in required:
                value = properties.get(key)
                if not isinstance(value, str) or not value.strip():
                    raise self.error(index, f"property {key!r} missing or not a non-empty string")
            geometry = _checked_geometry(feature.get("geometry"), partial(self.error, index))
            yield index, properties, geometry


def _checked_geometry(geometry: object, error: Callable[[str], AreaImportError]) -> dict[str, Any]:
    """A Polygon or MultiPolygon with closed rings of at least four [lon, lat] positions."""
    if not isinstance(geometry, dict):
        raise error("feature has no geometry")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        raise error(f"geometry type {kind!r}, expected Polygon or MultiPolygon")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise error(f"{kind} has no coordinates")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise error(f"{kind} has a polygon without rings")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise error(f"{kind} has a ring with fewer than 4 positions")
            for position in ring:
                if not _is_position(position):
                    raise error(f"{kind} has an invalid position {position!r}")
            if ring[0] != ring[-1]:
                raise error(f"{kind} has a ring that is not closed")
    return geometry


def _is_position(position: object) -> bool:
    if not isinstance(position, list) or len(position) not in (2, 3):
        return False
    if not all(
        isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
        for c in position
    ):
        return False
    return -180 <= position[0] <= 180 and -90 <= position[1] <= 90


def _only_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}


def _read_district_boundaries(
    path: Path, districts: dict[str, DistrictRecord]
) -> dict[str, dict[str, Any]]:
    source = _GeoJsonFile(path)
    boundaries: dict[str, dict[str, Any]] = {}
    for index, props, geometry in source.features(["bydel_id", "bydel_nr", "name"]):
        number = props["bydel_id"]
        district = districts.get(number)
        if district is None:
            raise source.error(index, f"unknown bydel_id {number!r}")
        if props["bydel_nr"] != district.code:
            raise source.error(
                index,
                f"bydel_nr {props['bydel_nr']!r} does not match bydel_id {number!r} "
                f"(code list: {district.code!r})",
            )
        if props["name"] != district.name:
            raise source.error(
                index, f"name {props['name']!r} differs from the code list's {district.name!r}"
            )
        if number in boundaries:
            raise source.error(index, f"second polygon for bydel_id {number!r}")
        boundaries[number] = _only_geometry(geometry)
    return boundaries


def reconcile_subdistrict_ids(
    *, delbydel_id: str, delbydel_nr: str, bydel_id: str
) -> tuple[str, str]:
    """The delbydel GeoJSON's ids → the code list's (4-digit id, 8-digit number).

    The GeoJSON puts the bydel id in front of the code list's id (`010102` ↔ `0102`) and repeats
    the bydel in the number (`0301010102` ↔ `03010102`). Ids already in the code list's form are
    accepted too, so a corrected boundary file imports unchanged. Raises ValueError naming the
    problem when the ids fit neither form.
    """
    if _SIX_DIGITS.fullmatch(delbydel_id) and delbydel_id.startswith(bydel_id):
        number = delbydel_id[2:]
    elif _FOUR_DIGITS.fullmatch(delbydel_id):
        number = delbydel_id
    else:
        raise ValueError(
            f"delbydel_id {delbydel_id!r} is neither bydel_id {bydel_id!r} + 4 digits nor 4 digits"
        )
    if not number.startswith(bydel_id):
        raise ValueError(f"delbydel_id {delbydel_id!r} does not belong to bydel_id {bydel_id!r}")
    code = OSLO_KOMMUNE + number
    if delbydel_nr not in (OSLO_KOMMUNE + bydel_id + number, code):
        raise ValueError(
            f"delbydel_nr {delbydel_nr!r} does not match delbydel_id {delbydel_id!r} (expected "
            f"{OSLO_KOMMUNE + bydel_id + number!r} or {code!r})"
        )
    return number, code


def _read_subdistrict_boundaries(
    path: Path, districts: dict[str, DistrictRecord], subdistricts: dict[str, SubdistrictRecord]
) -> dict[str, dict[str, Any]]:
    source = _GeoJsonFile(path)
    boundaries: dict[str, dict[str, Any]] = {}
    required = ["delbydel_id", "delbydel_nr", "name", "bydel_id"]
    for index, props, geometry in source.features(required):
        district_number = props["bydel_id"]
        if district_number not in districts:
            raise source.error(index, f"unknown bydel_id {district_number!r}")
        try:
            number, code = reconcile_subdistrict_ids(
                delbydel_id=props["delbydel_id"],
                delbydel_nr=props["delbydel_nr"],
                bydel_id=district_number,
            )
        except ValueError as exc:
            raise source.error(index, str(exc)) from None
        subdistrict = subdistricts.get(number)
        if subdistrict is None:
            raise source.error(
                index, f"delbydel_id {props['delbydel_id']!r} ({number!r}) is not in the code list"
            )
        if props["name"] != subdistrict.name:
            raise source.error(
                index, f"name {props['name']!r} differs from the code list's {subdistrict.name!r}"
            )
        bydel_name = props.get("bydel_name")
        if bydel_name is not None and bydel_name != districts[district_number].name:
            raise source.error(
                index,
                f"bydel_name {bydel_name!r} differs from the code list's "
                f"{districts[district_number].name!r}",
            )
        if number in boundaries:
            raise source.error(index, f"second polygon for delbydel {number!r} ({code})")
        boundaries[number] = _only_geometry(geometry)
    return boundaries


def _population_district(
    source: _CsvFile, line: int, row: dict[str, str], by_code: dict[str, DistrictRecord]
) -> str:
    code = row["bydel_nr"]
    district = by_code.get(code)
    if district is None:
        raise source.error(line, f"unknown bydel_nr {code!r}")
    if row["bydel_name"] != district.name:
        raise source.error(
            line, f"bydel_name {row['bydel_name']!r} differs from the code list's {district.name!r}"
        )
    return code


def _read_population_by_age_band(
    path: Path, by_code: dict[str, DistrictRecord]
) -> dict[tuple[str, int, str], int]:
    source = _CsvFile(path, ["bydel_nr", "bydel_name", "year", "age_band", "population"])
    values: dict[tuple[str, int, str], int] = {}
    for line, row in source.rows():
        code = _population_district(source, line, row, by_code)
        year = int(_field(source, line, row, "year", _YEAR))
        band = row["age_band"]
        match = _AGE_BAND.fullmatch(band)
        if match is None or (match["low"] is not None and int(match["low"]) > int(match["high"])):
            raise source.error(line, f"invalid age_band {band!r} (expected e.g. '13-15', '67+')")
        population = _count(source, line, row, "population")
        key = (code, year, band)
        if key in values:
            raise source.error(line, f"duplicate row for {code} {year} {band}")
        values[key] = population
    return values


def _read_population_by_age(
    path: Path, by_code: dict[str, DistrictRecord]
) -> dict[tuple[str, int, int, str], int]:
    source = _CsvFile(path, ["bydel_nr", "bydel_name", "year", "age", "sex", "population"])
    values: dict[tuple[str, int, int, str], int] = {}
    total_lines: dict[tuple[str, int, int], int] = {}
    for line, row in source.rows():
        code = _population_district(source, line, row, by_code)
        year = int(_field(source, line, row, "year", _YEAR))
        age = int(_field(source, line, row, "age", _AGE))
        if age > MAX_AGE:
            raise source.error(line, f"age {age} is above {MAX_AGE}")
        sex = row["sex"]
        if sex not in SEXES:
            raise source.error(line, f"invalid sex {sex!r} (expected female, male or total)")
        population = _count(source, line, row, "population")
        key = (code, year, age, sex)
        if key in values:
            raise source.error(line, f"duplicate row for {code} {year} age {age} {sex}")
        values[key] = population
        if sex == "total":
            total_lines[(code, year, age)] = line
    # Where a file gives both sexes and the total, they must agree.
    for (code, year, age), line in total_lines.items():
        female = values.get((code, year, age, "female"))
        male = values.get((code, year, age, "male"))
        total = values[(code, year, age, "total")]
        if female is not None and male is not None and female + male != total:
            raise source.error(
                line,
                f"total {total} is not female {female} + male {male} ({code} {year} age {age})",
            )
    return values


def read_area_data(*, data_dir: Path) -> AreaData:
    """Parse and validate every file in `data_dir`; raises AreaImportError on the first problem."""
    districts = _read_district_codes(data_dir / DISTRICT_CODES_FILE)
    subdistricts = _read_subdistrict_codes(data_dir / SUBDISTRICT_CODES_FILE, districts)
    district_boundaries = _read_district_boundaries(data_dir / DISTRICT_BOUNDARIES_FILE, districts)
    subdistrict_boundaries = _read_subdistrict_boundaries(
        data_dir / SUBDISTRICT_BOUNDARIES_FILE, districts, subdistricts
    )
    by_code = {d.code: d for d in districts.values()}
    by_band = _read_population_by_age_band(data_dir / POPULATION_BY_AGE_BAND_FILE, by_code)
    by_age = _read_population_by_age(data_dir / POPULATION_BY_AGE_FILE, by_code)
    return AreaData(
        districts=[
            replace(d, boundary=district_boundaries.get(number))
            for number, d in sorted(districts.items())
        ],
        subdistricts=[
            replace(s, boundary=subdistrict_boundaries.get(number))
            for number, s in sorted(subdistricts.items())
        ],
        population_by_age_band=by_band,
        population_by_age=by_age,
    )


# --- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaModels:
    """The four model classes the writer fills: the current ones, or a migration's historical."""

    district: type[models.Model]
    subdistrict: type[models.Model]
    population_by_age_band: type[models.Model]
    population_by_age: type[models.Model]

    @classmethod
    def current(cls) -> AreaModels:
        from laget.areas import models as area_models

        return cls(
            district=area_models.District,
            subdistrict=area_models.Subdistrict,
            population_by_age_band=area_models.PopulationByAgeBand,
            population_by_age=area_models.PopulationByAge,
        )

    @classmethod
    def from_apps(cls, apps: Any) -> AreaModels:
        return cls(
            district=apps.get_model("areas", "District"),
            subdistrict=apps.get_model("areas", "Subdistrict"),
            population_by_age_band=apps.get_model("areas", "PopulationByAgeBand"),
            population_by_age=apps.get_model("areas", "PopulationByAge"),
        )


@dataclass(frozen=True)
class TableChanges:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        """Rows the file gave (created + updated + unchanged)."""
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return (
            f"{self.total} ({self.created} new, {self.updated} updated, "
            f"{self.deleted} removed, {self.unchanged} unchanged)"
        )


@dataclass(frozen=True)
class ImportSummary:
    districts: TableChanges
    districts_with_boundary: int
    subdistricts: TableChanges
    subdistricts_with_boundary: int
    population_by_age_band: TableChanges
    population_by_age: TableChanges

    def __str__(self) -> str:
        return (
            f"Areas imported: districts {self.districts}, {self.districts_with_boundary} with "
            f"boundary; subdistricts {self.subdistricts}, {self.subdistricts_with_boundary} with "
            f"boundary; population by age band {self.population_by_age_band}; population by age "
            f"{self.population_by_age}."
        )


def _upsert_areas(
    *,
    model: type[models.Model],
    records: Sequence[DistrictRecord] | Sequence[SubdistrictRecord],
    using: str,
) -> TableChanges:
    """Create or update reference rows by primary key. Rows missing from the files are kept:
    people, agencies and cases point at districts and must not lose them silently."""
    manager = model._default_manager.db_manager(using)
    existing = manager.in_bulk()
    to_create, to_update = [], []
    unchanged = 0
    fields: list[str] = []
    for record in records:
        values = record.field_values()
        fields = list(values)
        current = existing.get(record.code)
        if current is None:
            to_create.append(model(code=record.code, **values))
        elif any(getattr(current, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(current, field, value)
            to_update.append(current)
        else:
            unchanged += 1
    manager.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        manager.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    return TableChanges(created=len(to_create), updated=len(to_update), unchanged=unchanged)


def _column(model: type[models.Model], name: str) -> str:
    """The database column of a concrete field ("pk" for the primary key)."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return field.column


def _sync_population(
    *,
    model: type[models.Model],
    key_fields: Sequence[str],
    values: dict[tuple[Any, ...], int],
    using: str,
) -> TableChanges:
    """Make the table equal to `values` (key → population): insert, update changed counts, delete
    rows the file no longer has. Population tables are owned by the import alone.

    Inserts are plain multi-row INSERT statements: building 120 000 model instances for
    `bulk_create` took seconds, this takes well under one on SQLite and PostgreSQL alike. The SQL
    names only the model's own table and columns (quoted); values are parameters.
    """
    manager = model._default_manager.db_manager(using)
    existing = {
        tuple(row[:-2]): (row[-2], row[-1])
        for row in manager.values_list(*key_fields, "pk", "population").iterator(
            chunk_size=BATCH_SIZE
        )
    }
    to_create: list[tuple[Any, ...]] = []
    to_update: list[tuple[int, Any]] = []
    unchanged = 0
    for key, population in values.items():
        current = existing.pop(key, None)
        if current is None:
            to_create.append((*key, population))
        elif current[1] != population:
            to_update.append((population, current[0]))
        else:
            unchanged += 1
    stale = [pk for pk, _ in existing.values()]
    for start in range(0, len(stale), BATCH_SIZE):
        manager.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()

    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [quote(_column(model, name)) for name in (*key_fields, "population")]
    update = (
        f"UPDATE {table} SET {quote(_column(model, 'population'))} = %s "  # noqa: S608
        f"WHERE {quote(_column(model, 'pk'))} = %s"
    )
    with connection.cursor() as cursor:
        if hasattr(cursor.cursor, "copy"):  # psycopg 3 on PostgreSQL
            # COPY: parsing huge INSERT statements on the client would cost seconds.
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in to_create:
                    copy.write_row(row)
        else:
            # Multi-row VALUES, one statement per few thousand parameters.
            per_statement = max(
                1, min(1000, (connection.features.max_query_params or 5000) // len(columns))
            )
            placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
            insert_prefix = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608
            for start in range(0, len(to_create), per_statement):
                chunk = to_create[start : start + per_statement]
                cursor.execute(
                    insert_prefix + ", ".join([placeholders] * len(chunk)),
                    [value for row in chunk for value in row],
                )
        if to_update:
            cursor.executemany(update, to_update)
    return TableChanges(
        created=len(to_create), updated=len(to_update), deleted=len(stale), unchanged=unchanged
    )


def write_area_data(
    *,
    data: AreaData,
    area_models: AreaModels | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> ImportSummary:
    """Write validated data in one transaction; idempotent (a second run changes nothing)."""
    area_models = area_models or AreaModels.current()
    with transaction.atomic(using=using):
        districts = _upsert_areas(model=area_models.district, records=data.districts, using=using)
        subdistricts = _upsert_areas(
            model=area_models.subdistrict, records=data.subdistricts, using=using
        )
        by_band = _sync_population(
            model=area_models.population_by_age_band,
            key_fields=["district_id", "year", "age_band"],
            values=data.population_by_age_band,
            using=using,
        )
        by_age = _sync_population(
            model=area_models.population_by_age,
            key_fields=["district_id", "year", "age", "sex"],
            values=data.population_by_age,
            using=using,
        )
    return ImportSummary(
        districts=districts,
        districts_with_boundary=sum(1 for d in data.districts if d.boundary is not None),
        subdistricts=subdistricts,
        subdistricts_with_boundary=sum(1 for s in data.subdistricts if s.boundary is not None),
        population_by_age_band=by_band,
        population_by_age=by_age,
    )


def import_areas(
    *,
    data_dir: Path,
    area_models: AreaModels | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> ImportSummary:
    """Read, validate and write everything in `data_dir` (see data/README.md for the files)."""
    data = read_area_data(data_dir=data_dir)
    return write_area_data(data=data, area_models=area_models, using=using)
