"""seed_scale's services and audit log at a tiny size (SQLite, and PostgreSQL with COPY when
DATABASE_URL points there): every new kind of row is made, deterministically from the seed; the
audit log verifies with its payloads; bad sizes and a short disk are refused with exit 2."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from laget.audit import log
from laget.audit.leaves import canonical_payload
from laget.audit.models import AuditEvent, AuditEventPerson, Checkpoint, Tile
from laget.core import clock
from laget.demo import scale_disk
from laget.demo.progress import Progress
from laget.demo.scale import ScaleSize, build_scale
from laget.demo.scale_audit import seed_audit_log
from laget.demo.scale_services import (
    SERVICES_KIND,
    build_services,
    ensure_registrations,
    services_exist,
)
from laget.fasttrack.models import Milestone, YouthCase
from laget.pathways.models import Offer, OpeningHours, Referral
from laget.people.models import Person
from laget.policing.models import FastTrackRequest, PoliceRegistration
from laget.schools.models import AmbulantRequest, Incident, IncidentPupil, School

pytestmark = pytest.mark.django_db

TINY = ScaleSize(persons=400, entries=800, users=60, districts=2)
AT = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
SERVICE_MODELS = [PoliceRegistration, FastTrackRequest, YouthCase, Milestone, School, Incident,
                  IncidentPupil, AmbulantRequest, Offer, OpeningHours, Referral]


def _ids() -> dict[str, list]:
    return {model.__name__: sorted(model.objects.values_list("id", flat=True))
            for model in SERVICE_MODELS}


def _seed(**options) -> str:
    out = StringIO()
    with clock.frozen(AT):
        call_command("seed_scale", persons=TINY.persons, entries=TINY.entries,
                     users=TINY.users, districts=TINY.districts, seed=7, quiet=True,
                     stdout=out, **options)
    return out.getvalue()


def test_the_command_makes_every_kind_of_row_and_a_log_that_verifies():
    out = _seed(audit_events=3000)
    assert "police registrations" in out and "audit: " in out
    for model in SERVICE_MODELS:
        assert model.objects.exists(), model.__name__
    assert PoliceRegistration.objects.count() == 2 * TINY.persons
    assert not PoliceRegistration.objects.exclude(person__is_synthetic=True).exists()
    # milestones start with the offence and never go back in time
    for case in YouthCase.objects.all()[:50]:
        days = list(case.milestones.order_by("occurred_on", "recorded_at")
                    .values_list("kind", "occurred_on"))
        assert days[0] == ("offence", case.offence_on)
    assert not Referral.objects.exclude(person_id=F("case__person_id")).exists()
    assert log.tiled_size() == 3000
    report = log.verify(payloads=True)
    assert report.ok, report.problem or report.payload_problem
    assert report.payloads_checked == 3000  # every event sealed with its payload
    assert Checkpoint.objects.filter(size=3000).exists()
    # realistic: actors with agency and role, persons of the seed
    seeded = AuditEvent.objects.exclude(actor=None)
    assert seeded.count() > 2500
    assert not seeded.filter(agency=None).exists()
    persons = set(Person.objects.values_list("id", flat=True))
    assert set(AuditEventPerson.objects.values_list("person_id", flat=True)) <= persons
    # a second run changes nothing
    again = _seed(audit_events=3000)
    assert "already there" in again and "nothing added" in again
    assert PoliceRegistration.objects.count() == 2 * TINY.persons


def test_the_same_seed_gives_the_same_rows():
    with clock.frozen(AT):
        build_scale(size=TINY, seed=7)
        before = AuditEvent.objects.count()  # the seed's own events, sequenced first
        seed_audit_log(600, seed=7, chunk=250)
        leaves = list(AuditEvent.objects.filter(log_index__gte=before).order_by("log_index")
                      .values_list("leaf", flat=True))
        # the log again from the same place: the same events
        kept = AuditEvent.objects.filter(log_index__lt=before)
        AuditEventPerson.objects.exclude(event__in=kept).delete()
        AuditEvent.objects.exclude(pk__in=kept).delete()
        Tile.objects.all().delete()
        Checkpoint.objects.all().delete()
        AuditEvent.objects.update(log_index=None)
        seed_audit_log(600, seed=7, chunk=250)
        again = list(AuditEvent.objects.filter(log_index__gte=before).order_by("log_index")
                     .values_list("leaf", flat=True))
        assert [bytes(leaf) for leaf in again] == [bytes(leaf) for leaf in leaves]
        assert log.verify(payloads=True).ok
        # the services: the same ids again
        build_services(seed=7)
        first = _ids()
        for model in reversed(SERVICE_MODELS):
            model.objects.all().delete()
        AuditEvent.objects.filter(details__kind=SERVICES_KIND).delete()
        assert not services_exist()
        build_services(seed=7)
        assert _ids() == first


def test_payloads_are_canonical():
    with clock.frozen(AT):
        build_scale(size=TINY, seed=7)
        seed_audit_log(200, seed=7)
    for payload in AuditEvent.objects.exclude(payload=None).values_list("payload", flat=True):
        assert bytes(payload) == canonical_payload(json.loads(bytes(payload)))


def test_audit_events_without_a_scale_seed():
    assert seed_audit_log(300, seed=1) == 300
    assert log.verify(payloads=True).ok
    assert seed_audit_log(300, seed=1) == 0


def test_ensure_registrations_tops_up():
    with clock.frozen(AT):
        build_scale(size=TINY, seed=7)
        assert ensure_registrations(50, 7) == 50
        assert ensure_registrations(30, 7) == 50
        assert ensure_registrations(80, 7) == 80


@pytest.mark.parametrize("options, message", [
    ({"audit_events": -1}, "--audit-events must be between"),
    ({"audit_events": 300_000_000}, "--audit-events must be between"),
])
def test_bad_audit_sizes_exit_2(options, message):
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("seed_scale", "--small", stderr=err, quiet=True, **options)
    assert exit_info.value.code == 2
    assert message in err.getvalue() and err.getvalue().count("\n") <= 1
    assert not Person.objects.exists()


def test_a_short_disk_is_refused_before_anything_is_written(monkeypatch):
    monkeypatch.setattr(scale_disk, "free_bytes", lambda path: 10_000_000)
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("seed_scale", "--small", stderr=err, quiet=True)
    assert exit_info.value.code == 2
    assert "not enough free disk" in err.getvalue() and err.getvalue().count("\n") <= 1
    assert not Person.objects.exists() and not AuditEvent.objects.exists()


def test_the_full_size_needs_several_gigabytes():
    needed = scale_disk.needed_bytes(persons=100_000, entries=1_000_000,
                                     audit_events=10_000_000)
    assert 5e9 < needed < 40e9
    assert scale_disk.free_bytes(scale_disk.data_directory()) > 0


def test_the_progress_bar_draws_only_when_enabled():
    out = StringIO()
    bar = Progress(stream=out, enabled=True)
    bar.phase("audit", 10)
    bar.advance(10)
    bar.done()
    assert "audit" in out.getvalue() and "10/10" in out.getvalue()
    quiet = StringIO()
    bar = Progress(stream=quiet)  # not a terminal: nothing
    bar.phase("audit", 10)
    bar.advance(10)
    bar.done()
    assert quiet.getvalue() == ""
