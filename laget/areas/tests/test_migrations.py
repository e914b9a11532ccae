"""The data migration gives every fresh database Oslo's districts, boundaries and population."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from laget.areas.importer import AreaModels, default_data_dir, import_areas
from laget.areas.models import (
    District,
    DistrictKind,
    PopulationByAge,
    PopulationByAgeBand,
    Subdistrict,
)

pytestmark = pytest.mark.django_db


def test_districts_after_migration():
    assert District.objects.count() == 18
    assert District.objects.filter(has_administration=True).count() == 15
    administered = District.objects.filter(has_administration=True)
    assert set(administered.values_list("kind", flat=True)) == {DistrictKind.BYDEL}
    assert sorted(administered.values_list("code", flat=True)) == [
        f"0301{n:02d}" for n in range(1, 16)
    ]
    assert District.objects.get(code="030116").kind == DistrictKind.STATISTICAL
    assert District.objects.get(code="030117").kind == DistrictKind.STATISTICAL
    assert District.objects.get(code="030199").kind == DistrictKind.UNREGISTERED
    assert not District.objects.filter(code="0301").exists()  # "Oslo i alt" is not a district


def test_names_lose_the_bydel_prefix():
    gamle_oslo = District.objects.get(code="030101")
    assert (gamle_oslo.number, gamle_oslo.name) == ("01", "Gamle Oslo")
    assert District.objects.get(code="030115").name == "Søndre Nordstrand"
    assert District.objects.get(code="030116").name == "Sentrum"
    assert not District.objects.filter(name__startswith="Bydel ").exists()


def test_boundaries_after_migration():
    with_boundary = District.objects.filter(boundary__isnull=False)
    assert with_boundary.count() == 15
    assert set(with_boundary.values_list("has_administration", flat=True)) == {True}
    assert District.objects.get(code="030101").boundary["type"] == "MultiPolygon"
    assert Subdistrict.objects.count() == 104
    assert Subdistrict.objects.filter(boundary__isnull=False).count() == 96


def test_population_after_migration():
    assert PopulationByAgeBand.objects.count() == 3366
    assert PopulationByAge.objects.count() == 118932
    assert set(PopulationByAge.objects.values_list("year", flat=True).distinct()) == set(
        range(2005, 2027)
    )


def test_migration_writer_works_with_historical_models():
    """The same writer, fed the historical models of 0002, finds everything already in place."""
    state = MigrationExecutor(connection).loader.project_state(("areas", "0002_load_oslo_areas"))
    summary = import_areas(
        data_dir=default_data_dir(), area_models=AreaModels.from_apps(state.apps)
    )
    assert summary.districts.unchanged == 18
    assert summary.subdistricts.unchanged == 104
    assert summary.population_by_age.unchanged == 118932
