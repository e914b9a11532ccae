import pytest
from django.core.management import call_command

from laget.areas.models import District, PopulationByAge, Subdistrict


@pytest.mark.django_db(transaction=True)
def test_a_flush_loads_the_area_reference_data_again():
    """Tests in real transactions end with a flush; the next test still finds Oslo's areas."""
    call_command("flush", interactive=False, verbosity=0)
    assert District.objects.filter(code="030111", name="Stovner").exists()
    assert Subdistrict.objects.exists() and PopulationByAge.objects.exists()
