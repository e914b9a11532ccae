"""`manage.py import_areas`: a summary line on success; exit 2 and one stderr line on bad data."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from laget.areas.tests.helpers import (
    area_fingerprint,
    break_bad_header,
    break_malformed_json,
    break_non_numeric_population,
    break_point_geometry,
    break_unknown_bydel,
)

pytestmark = pytest.mark.django_db


def run_command(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_areas", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    else:
        code = 0
    return code, out.getvalue(), err.getvalue()


def test_success_prints_one_summary_line():
    code, out, err = run_command()
    assert code == 0
    assert err == ""
    assert out.count("\n") == 1
    assert out.startswith("Areas imported: districts 18 (0 new, 0 updated")


def test_data_dir_option(data_dir: Path):
    code, out, _ = run_command("--data-dir", str(data_dir))
    assert code == 0
    assert "subdistricts 104" in out


@pytest.mark.parametrize(
    ("break_data", "where"),
    [
        (break_bad_header, "oslo_bydeler_koder.csv:1: header is"),
        (break_unknown_bydel, "oslo_delbydeler_koder.csv:17: unknown bydel_id '42'"),
        (
            break_non_numeric_population,
            "oslo_bydel_befolkning_alder_kjonn_2005_2026.csv:1000: population 'abc'",
        ),
        (
            break_point_geometry,
            "oslo_delbydeler_simplified.geojson:features[5]: geometry type 'Point'",
        ),
        (break_malformed_json, "oslo_bydeler_simplified.geojson:1: invalid JSON"),
    ],
    ids=["bad-header", "unknown-bydel", "non-numeric-population", "point", "malformed-json"],
)
def test_bad_data_exits_2_with_one_line(data_dir: Path, break_data, where):
    before = area_fingerprint()
    break_data(data_dir)
    code, out, err = run_command("--data-dir", str(data_dir))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"{data_dir}/")
    assert where in err
    assert area_fingerprint() == before


def test_exit_code_from_the_shell(data_dir: Path, tmp_path: Path):
    """The real process: exit status 2 and the single line on stderr (fails before any DB use)."""
    break_unknown_bydel(data_dir)
    env = {**os.environ, "DEBUG": "1", "LAGET_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_areas", "--data-dir", str(data_dir)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"{data_dir}/oslo_delbydeler_koder.csv:17: unknown bydel_id '42'\n"
    assert result.stdout == ""
