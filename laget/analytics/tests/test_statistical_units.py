"""Sentrum, Marka and «uten registrert adresse» are statistical units: every published table has
a row for them (what they are: a unit SSB counts like a bydel), and no map draws them — even if
a boundary for one were ever loaded."""

import datetime as dt

import pytest

from laget.analytics import publish
from laget.analytics.services import indicators_sync_one
from laget.analytics.tests import factories
from laget.areas.models import District, Subdistrict
from laget.core import clock

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
JAN = dt.date(2026, 1, 1)
BYDEL_UNITS = {"030116", "030117", "030199"}
DELBYDEL_UNITS = {"03011601", "03011701", "03019901", "03019999"}
SQUARE = {"type": "Polygon", "coordinates": [[[10.7, 59.9], [10.8, 59.9], [10.8, 60.0],
                                              [10.7, 59.9]]]}


@pytest.mark.parametrize(("key", "area", "units", "model"), [
    ("concerns_received", "030116", BYDEL_UNITS, District),
    ("weapon_triggers", "03011601", DELBYDEL_UNITS, Subdistrict),
])
def test_in_the_table_never_on_the_map(key, area, units, model):
    # a boundary for a statistical unit (as a future import might bring) still draws nothing
    model.objects.filter(pk__in=units).update(boundary=SQUARE)
    factories.values(key, {(area, JAN): 40})
    with clock.frozen(NOW):
        table = publish.table(indicator=indicators_sync_one(key), year=2026)
    rows = {a.code: a for a in table.areas}
    assert units <= set(rows)
    assert not any(rows[code].on_map for code in units)
    assert table.cells[(area, JAN)].display == "40"
    drawn = {row["code"] for row in publish.map_rows(table, None)}
    assert drawn and not drawn & units
    assert not set(publish.boundaries(table.indicator.level)) & units
