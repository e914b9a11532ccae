"""The catalogue import: the shipped example loads, a second run updates in place, and bad input
writes nothing and exits 2 with one line."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from laget.accounts.models import AgencyType
from laget.accounts.tests.factories import AgencyFactory
from laget.audit.models import AuditEvent
from laget.pathways.importer import CatalogueImportError, offers_import
from laget.pathways.models import Offer, OfferKind, OpeningHours

pytestmark = pytest.mark.django_db
EXAMPLE = Path(settings.BASE_DIR) / "data" / "pathways" / "example_offers.csv"
HEADER = "provider,external_ref,kind,name,age_min,age_max,district,opening_hours\n"


@pytest.fixture
def providers():
    for slug, code in (("stovner", "030111"), ("sondre-nordstrand", "030115"),
                       ("gamle-oslo", "030101")):
        AgencyFactory(code=f"fritid-{slug}", type=AgencyType.FRITID, district_id=code)
        AgencyFactory(code=f"bydel-{slug}", type=AgencyType.BYDEL, district_id=code)
        AgencyFactory(code=f"nav-{slug}", type=AgencyType.NAV, district_id=code)


def test_the_example_loads_and_is_idempotent(providers):
    out = StringIO()
    call_command("import_offers", str(EXAMPLE), stdout=out)
    count = Offer.objects.count()
    assert count == 27 and "27 tilbud opprettet" in out.getvalue()
    hours = OpeningHours.objects.count()
    call_command("import_offers", str(EXAMPLE), stdout=StringIO())
    assert Offer.objects.count() == count and OpeningHours.objects.count() == hours
    for code in ("030111", "030115", "030101"):
        kinds = set(Offer.objects.filter(district_id=code).values_list("kind", flat=True))
        assert kinds == set(OfferKind.values)
    assert AuditEvent.objects.filter(action="pathways.import").count() == 2


@pytest.mark.parametrize(("row", "says"), [
    ("fritid-x,a,fritidsklubb,Klubb,10,17,030111,\n", "ukjent virksomhet"),
    ("fritid-stovner,a,klubb,Klubb,10,17,030111,\n", "ukjent type"),
    ("fritid-stovner,a,fritidsklubb,Klubb,ti,17,030111,\n", "heltall"),
    ("fritid-stovner,a,fritidsklubb,Klubb,18,17,030111,\n", "Alder"),
    ("fritid-stovner,a,fritidsklubb,Klubb,10,17,999999,\n", "ukjent bydel"),
    ("fritid-stovner,a,fritidsklubb,Klubb,10,17,030111,skolear:0:21:00-15:00\n", "slutte"),
    ("fritid-stovner,a,fritidsklubb,Klubb,10,17,030111,vinter:0:15:00-21:00\n", "sesong"),
])
def test_bad_rows_write_nothing(providers, row, says):
    good = "fritid-stovner,b,fritidsklubb,God klubb,10,17,030111,skolear:0:15:00-21:00\n"
    with pytest.raises(CatalogueImportError) as error:
        offers_import(text=HEADER + good + row, actor=None)
    assert "Linje 3" in str(error.value) and says in str(error.value)
    assert "\n" not in str(error.value)
    assert not Offer.objects.exists()


def test_command_exits_2_with_one_line(providers, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("name\nX\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("import_offers", str(bad), stderr=err)
    assert exited.value.code == 2
    assert err.getvalue().strip().count("\n") == 0 and "Kolonner mangler" in err.getvalue()


def test_duplicate_external_ref_in_the_file(providers):
    row = "fritid-stovner,a,fritidsklubb,Klubb,10,17,030111,\n"
    with pytest.raises(CatalogueImportError, match="to ganger"):
        offers_import(text=HEADER + row + row, actor=None)
