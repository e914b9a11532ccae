"""Selectors over the migrated Oslo data."""

import pytest
from django.core.exceptions import ValidationError

from laget.areas import selectors
from laget.areas.models import District, PopulationByAgeBand
from laget.core.errors import NotFound

pytestmark = pytest.mark.django_db


def test_district_list():
    assert [d.code for d in selectors.district_list()][:2] == ["030101", "030102"]
    assert selectors.district_list().count() == 18
    administered = selectors.district_list(administered_only=True)
    assert administered.count() == 15
    assert "030116" not in {d.code for d in administered}


def test_district_get():
    assert selectors.district_get(code="030111").name == "Stovner"
    with pytest.raises(NotFound):
        selectors.district_get(code="030142")


def test_subdistrict_list():
    gamle_oslo = selectors.district_get(code="030101")
    subdistricts = list(selectors.subdistrict_list(district=gamle_oslo))
    assert len(subdistricts) == 11
    assert (subdistricts[0].code, subdistricts[0].name) == ("03010101", "Lodalen")
    assert [s.code for s in selectors.subdistrict_list(district="030199")] == [
        "03019901",
        "03019999",
    ]


def test_population_agrees_with_the_age_band_file():
    district = selectors.district_get(code="030111")
    band = PopulationByAgeBand.objects.get(district=district, year=2023, age_band="13-15")
    assert selectors.population(district=district, year=2023, min_age=13, max_age=15) == (
        band.population
    )
    total = PopulationByAgeBand.objects.get(district=district, year=2023, age_band="total")
    assert selectors.population(district="030111", year=2023, min_age=0, max_age=200) == (
        total.population
    )


def test_population_is_zero_without_figures():
    assert selectors.population(district="030199", year=2023, min_age=0, max_age=120) == 0
    assert selectors.population(district="030101", year=1990, min_age=0, max_age=120) == 0


def test_population_rejects_inverted_range():
    with pytest.raises(ValueError, match="min_age"):
        selectors.population(district="030101", year=2023, min_age=20, max_age=10)


def test_population_by_district_matches_population():
    figures = selectors.population_by_district(year=2024, min_age=10, max_age=24)
    assert len(figures) == 17  # every district but 030199
    assert figures["030112"] == selectors.population(
        district="030112", year=2024, min_age=10, max_age=24
    )


def test_population_by_band_is_ordered():
    bands = [b.age_band for b in selectors.population_by_band(district="030101", year=2024)]
    assert bands == ["00-05", "06-12", "13-15", "16-17", "18-19", "20-24", "25-66", "67+", "total"]


def test_latest_population_year():
    assert selectors.latest_population_year() == 2026


def test_latest_population_year_without_data():
    from laget.areas.models import PopulationByAge

    PopulationByAge.objects.all().delete()
    assert selectors.latest_population_year() is None


def test_district_from_code():
    assert selectors.district_from_code("030113").name == "Østensjø"
    for bad in ("42", "", None, "0301"):
        with pytest.raises(ValidationError) as caught:
            selectors.district_from_code(bad)
        assert caught.value.messages == [f"Ukjent bydelskode: {bad}"]
        assert caught.value.code == "unknown_district"


def test_district_from_code_administered_only():
    assert selectors.district_from_code("030101", administered_only=True).code == "030101"
    with pytest.raises(ValidationError) as caught:
        selectors.district_from_code("030117", administered_only=True)
    assert caught.value.messages == ["Marka er ikke en bydel med egen administrasjon."]
    assert isinstance(selectors.district_from_code("030117"), District)
