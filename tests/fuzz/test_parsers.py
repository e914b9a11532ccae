"""Property tests of the parsers that read files people hand us: the rulebook YAML (uploaded on
the web and loaded by `manage.py rules`) and the area importer's CSV and GeoJSON files. Whatever
the bytes, the parser answers with its own error (RulebookError, AreaImportError) that names the
file and the problem, never with another exception (a 500 on the upload page, a traceback from
the command). The fødselsnummer parser's own properties are in laget/people/tests."""

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from laget.areas import importer
from laget.areas.importer import AreaImportError
from laget.sharing.rulebook import DEFAULT_RULEBOOK, RulebookError, RulebookSpec, parse_rulebook

RULEBOOK_TEXT = DEFAULT_RULEBOOK.read_text(encoding="utf-8")
#: Parsing a whole rulebook or area file takes a tenth of a second: fewer examples of those in
#: `make test` than the profile's, many in `make fuzz` (LAGET_FUZZ_EXAMPLES).
whole_files = settings(deadline=None,
                       max_examples=int(os.environ.get("LAGET_FUZZ_EXAMPLES", "50")))

# --- garbling ----------------------------------------------------------------------------------

#: Text that breaks parsers in interesting ways: YAML tags and anchors, dates that are not dates,
#: deep nesting, control characters, a BOM, unicode tricks, numbers too large for anything.
NASTY = ["!!python/object/apply:os.system ['true']", "&a [*a]", "*undefined", "2026-13-45",
         "2026-02-30", "0000-00-00", "[" * 2000, "{" * 2000, "\x00", "\ufeff", "\u202e", "\u200d",
         "\r", "\t", "'", '"', "\\", "%", "---", "...", "? ", ": ", "- ", "#", "9" * 400,
         "1e999", "NaN", "-0", "null", "~", "<<: *a", '"""', "💥"]

edits = st.one_of(
    st.tuples(st.just("truncate"), st.integers(0, 10**7)),
    st.tuples(st.just("delete"), st.integers(0, 10**7), st.integers(1, 200)),
    st.tuples(st.just("insert"), st.integers(0, 10**7),
              st.one_of(st.sampled_from(NASTY), st.text(max_size=20))),
    st.tuples(st.just("replace"), st.integers(0, 10**7), st.integers(1, 40),
              st.one_of(st.sampled_from(NASTY), st.text(max_size=20))),
)


def garble(text: str, operations: list[tuple[Any, ...]]) -> str:
    """The text with each edit applied at a position taken modulo its length."""
    for operation in operations:
        position = operation[1] % (len(text) + 1)
        match operation[0]:
            case "truncate":
                text = text[:position]
            case "delete":
                text = text[:position] + text[position + operation[2]:]
            case "insert":
                text = text[:position] + operation[2] + text[position:]
            case "replace":
                text = text[:position] + operation[3] + text[position + operation[2]:]
    return text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20) | st.sampled_from(NASTY) | st.dates().map(str),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


def replace_somewhere(document: Any, path: list[int], value: Any) -> Any:
    """The document with the node that `path` leads to (indices taken modulo the children)
    replaced by `value`."""
    if not path or not isinstance(document, dict | list) or not document:
        return value
    if isinstance(document, dict):
        key = sorted(document, key=str)[path[0] % len(document)]
        return {**document, key: replace_somewhere(document[key], path[1:], value)}
    index = path[0] % len(document)
    return [*document[:index], replace_somewhere(document[index], path[1:], value),
            *document[index + 1:]]


# --- the rulebook ------------------------------------------------------------------------------

def parses_or_refuses(text: str) -> None:
    try:
        spec = parse_rulebook(text, file_name="regler.yaml")
    except RulebookError as error:
        assert error.message.startswith("regler.yaml")
    else:
        assert isinstance(spec, RulebookSpec)


@given(st.text(max_size=300))
def test_any_text_is_a_rulebook_or_a_rulebook_error(text):
    parses_or_refuses(text)


@whole_files
@given(st.lists(edits, min_size=1, max_size=4))
def test_a_garbled_rulebook_is_refused_cleanly(operations):
    parses_or_refuses(garble(RULEBOOK_TEXT, operations))


@whole_files
@given(path=st.lists(st.integers(0, 1000), max_size=5), value=json_values)
def test_a_rulebook_with_any_value_anywhere_is_refused_cleanly(path, value):
    document = replace_somewhere(yaml.safe_load(RULEBOOK_TEXT), path, value)
    parses_or_refuses(yaml.safe_dump(document, allow_unicode=True))


@pytest.mark.parametrize("text", [
    "version: 2026-13-45\n",  # a date YAML recognises but Python's date refuses (was ValueError)
    "rules:\n  - valid_from: 2026-02-30\n",
    "[" * 5000,  # nesting deeper than the YAML parser's recursion (was RecursionError)
    "a: " + "[" * 5000 + "]" * 5000,
])
def test_yaml_that_breaks_the_yaml_library_is_a_rulebook_error(text):
    with pytest.raises(RulebookError) as error:
        parse_rulebook(text, file_name="regler.yaml")
    assert "not valid YAML" in error.value.message


# --- the area files ----------------------------------------------------------------------------

#: Rows kept of the population files, which are large and read row by row alike.
POPULATION_ROWS = 200


@pytest.fixture(scope="module")
def area_files(tmp_path_factory) -> dict[str, Any]:
    """The shipped area files (the population files cut short), their texts, and the parsed
    records the later files are checked against."""
    source = importer.default_data_dir()
    directory = tmp_path_factory.mktemp("areas")
    texts: dict[str, str] = {}
    for name in (importer.DISTRICT_CODES_FILE, importer.SUBDISTRICT_CODES_FILE,
                 importer.DISTRICT_BOUNDARIES_FILE, importer.SUBDISTRICT_BOUNDARIES_FILE,
                 importer.POPULATION_BY_AGE_BAND_FILE, importer.POPULATION_BY_AGE_FILE):
        text = (source / name).read_text(encoding="utf-8")
        if name in (importer.POPULATION_BY_AGE_BAND_FILE, importer.POPULATION_BY_AGE_FILE):
            text = "".join(text.splitlines(keepends=True)[:POPULATION_ROWS])
        texts[name] = text
    districts = importer._read_district_codes(source / importer.DISTRICT_CODES_FILE)
    subdistricts = importer._read_subdistrict_codes(source / importer.SUBDISTRICT_CODES_FILE,
                                                    districts)
    by_code = {d.code: d for d in districts.values()}
    readers: dict[str, Callable[[Path], object]] = {
        importer.DISTRICT_CODES_FILE: importer._read_district_codes,
        importer.SUBDISTRICT_CODES_FILE:
            lambda p: importer._read_subdistrict_codes(p, districts),
        importer.DISTRICT_BOUNDARIES_FILE:
            lambda p: importer._read_district_boundaries(p, districts),
        importer.SUBDISTRICT_BOUNDARIES_FILE:
            lambda p: importer._read_subdistrict_boundaries(p, districts, subdistricts),
        importer.POPULATION_BY_AGE_BAND_FILE:
            lambda p: importer._read_population_by_age_band(p, by_code),
        importer.POPULATION_BY_AGE_FILE: lambda p: importer._read_population_by_age(p, by_code),
    }
    yield {"dir": directory, "texts": texts, "readers": readers}
    shutil.rmtree(directory, ignore_errors=True)


def reads_or_refuses(area_files: dict[str, Any], name: str, content: str | bytes) -> None:
    path: Path = area_files["dir"] / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    try:
        area_files["readers"][name](path)
    except AreaImportError as error:
        assert error.file and error.problem
        assert str(error)


FILES = st.sampled_from([importer.DISTRICT_CODES_FILE, importer.SUBDISTRICT_CODES_FILE,
                         importer.DISTRICT_BOUNDARIES_FILE, importer.SUBDISTRICT_BOUNDARIES_FILE,
                         importer.POPULATION_BY_AGE_BAND_FILE, importer.POPULATION_BY_AGE_FILE])


@whole_files
@given(name=FILES, operations=st.lists(edits, min_size=1, max_size=4))
def test_a_garbled_area_file_is_an_import_error(area_files, name, operations):
    reads_or_refuses(area_files, name, garble(area_files["texts"][name], operations))


@given(name=FILES, data=st.binary(max_size=200))
def test_arbitrary_bytes_are_an_import_error(area_files, name, data):
    reads_or_refuses(area_files, name, data)


GEOJSON = st.sampled_from([importer.DISTRICT_BOUNDARIES_FILE,
                           importer.SUBDISTRICT_BOUNDARIES_FILE])


@whole_files
@given(name=GEOJSON, path=st.lists(st.integers(0, 1000), max_size=7), value=json_values)
def test_geojson_with_any_value_anywhere_is_an_import_error(area_files, name, path, value):
    document = replace_somewhere(json.loads(area_files["texts"][name]), path, value)
    reads_or_refuses(area_files, name, json.dumps(document, ensure_ascii=False))
