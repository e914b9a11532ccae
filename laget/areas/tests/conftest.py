"""Fixtures for the areas tests."""

import shutil
from pathlib import Path

import pytest

from laget.areas.importer import default_data_dir


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the repository's area files that a test may break."""
    target = tmp_path / "areas"
    shutil.copytree(default_data_dir(), target)
    return target
