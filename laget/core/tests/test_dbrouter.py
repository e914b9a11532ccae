"""Reads of the analytics pages and exports from the replica (laget.core.dbrouter).

The alias `replica` is added for a test as settings add it for DATABASE_REPLICA_URL in a test
run: a mirror of the test database (`TEST: {"MIRROR": "default"}`), on its own connection. That
connection does not see the test's uncommitted rows, so the pages here read only what the
migrations wrote (districts) and show what they find; which connection each query went over is
what is checked."""

import copy

import pytest
from django.db import connections, router
from django.db.utils import load_backend
from django.test import Client
from django.test.utils import CaptureQueriesContext

from laget.areas.models import District
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.core import dbrouter
from laget.core.dbrouter import REPLICA, replica_reads

pytestmark = pytest.mark.django_db


@pytest.fixture
def replica(db):
    """The replica alias, a mirror of the test database. Its connection is opened before the
    alias is registered: Django lets a test use only the aliases it names, as they stood when
    the test began, and lets an open connection be."""
    default = connections["default"].settings_dict
    settings_dict = {**copy.deepcopy(default), "TEST": {**default["TEST"], "MIRROR": "default"}}
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, REPLICA)
    wrapper.ensure_connection()
    connections[REPLICA] = wrapper
    connections.settings[REPLICA] = settings_dict
    yield wrapper
    wrapper.close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


def _sql(captured: CaptureQueriesContext) -> str:
    return "\n".join(query["sql"] for query in captured.captured_queries)


def test_without_a_replica_everything_reads_from_default():
    with replica_reads() as alias:
        assert alias == "default"
        assert router.db_for_read(District) == "default"


def test_reads_go_to_the_replica_only_inside_the_block_and_writes_never(replica):
    assert router.db_for_read(District) == "default"
    with replica_reads() as alias:
        assert alias == REPLICA
        assert router.db_for_read(District) == REPLICA
        assert router.db_for_write(District) == "default"
        with CaptureQueriesContext(replica) as on_replica:
            assert District.objects.exists()  # the migrations' districts, committed
        assert len(on_replica) == 1
    assert router.db_for_read(District) == "default"
    # an object read from the replica is written, and its relations followed, on the primary
    assert router.db_for_write(District, instance=District(code="x")) == "default"
    assert router.allow_migrate(REPLICA, "areas") is False


def test_the_analytics_page_reads_from_the_replica(replica, make_member, login):
    client = login(Client(), make_member("caseworker"))
    with (CaptureQueriesContext(replica) as on_replica,
          CaptureQueriesContext(connections["default"]) as on_default):
        response = client.get("/omrader/")
    assert response.status_code == 200
    assert 'FROM "areas_district"' in _sql(on_replica)
    # the session, the user and the role (who may see the page) came from the primary
    assert "django_session" in _sql(on_default)
    assert "accounts_membership" in _sql(on_default)
    assert 'FROM "areas_district"' not in _sql(on_default)


def test_an_export_reads_from_the_replica_and_writes_its_audit_event_to_the_primary(
        replica, make_member, login):
    client = login(Client(), make_member("auditor", agency_type="by", district=None))
    with (CaptureQueriesContext(replica) as on_replica,
          CaptureQueriesContext(connections["default"]) as on_default):
        response = client.get("/logg/hendelser/eksport/")
    assert response.status_code == 200, response.status_code
    assert "audit_auditevent" in _sql(on_replica)
    assert "INSERT" not in _sql(on_replica).upper()
    assert 'INSERT INTO "audit_auditevent"' in _sql(on_default)
    assert AuditEvent.objects.filter(action=Action.AUDIT_EXPORT).count() == 1


@pytest.mark.parametrize(("lag", "limit", "expected"), [
    (1.0, 30, REPLICA), (31.0, 30, "default"), (None, 30, "default"), (3600.0, 0, REPLICA)])
def test_a_replica_too_far_behind_or_away_is_not_used(replica, settings, monkeypatch,
                                                      lag, limit, expected):
    settings.LAGET_REPLICA_MAX_LAG_S = limit
    monkeypatch.setattr(dbrouter, "replica_lag_seconds", lambda: lag)
    with replica_reads() as alias:
        assert alias == expected
        assert router.db_for_read(District) == expected


def test_a_database_that_is_no_standby_is_not_behind(replica):
    assert dbrouter.replica_lag_seconds() == 0.0
