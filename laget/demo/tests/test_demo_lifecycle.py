"""The demo's records lifecycle (laget.demo.lifecycle), once, and `manage.py demo_wipe` wiping and
rebuilding the demo for real: the same synthetic persons come back, the old archive's files are
gone, and the new audit log verifies."""

import pytest
from django.core.management import call_command

from laget.audit import log
from laget.audit.models import AuditEvent
from laget.demo.builder import PILOT_DISTRICTS, build_demo
from laget.demo.lifecycle import build_lifecycle
from laget.lifecycle.models import ArchiveExtract, CandidateStatus, ErasureCandidate, LegalHold
from laget.lifecycle.services import archive_root
from laget.people.models import Person
from laget.rectification.models import RectificationRequest

PERSONS = 60


def _lifecycle_counts() -> tuple[int, int, int, int]:
    return (ArchiveExtract.objects.count(),
            ErasureCandidate.objects.filter(status=CandidateStatus.DUE).count(),
            LegalHold.objects.count(), RectificationRequest.objects.count())


@pytest.mark.django_db(transaction=True)
def test_demo_wipe_wipes_and_rebuilds_the_same_demo(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    settings.LAGET_DEMO = settings.DEBUG = settings.LAGET_ALLOW_SYNTHETIC_IDS = True
    build_demo(seed=7, persons=PERSONS)
    # an archive extract, three erasure candidates (one held), a request for the school
    assert _lifecycle_counts() == (1, 3, 1, 1)
    hold = LegalHold.objects.get()
    assert ErasureCandidate.objects.filter(object_id=hold.object_id).exists()
    request = RectificationRequest.objects.get()
    assert request.is_open and request.agency.type == "skole"
    assert build_lifecycle(districts=PILOT_DISTRICTS) == {}  # once only
    numbers = set(Person.objects.values_list("national_id", flat=True))
    first_extract = ArchiveExtract.objects.get()
    old_zip = archive_root() / first_extract.zip_name
    assert old_zip.exists()
    events = AuditEvent.objects.count()
    call_command("demo_wipe", persons=PERSONS, seed=7)
    output = capsys.readouterr().out
    assert "tables emptied" in output and "Demo rebuilt" in output
    assert set(Person.objects.values_list("national_id", flat=True)) == numbers
    assert not old_zip.exists()  # the old archive's files went with its rows
    assert ArchiveExtract.objects.get().pk != first_extract.pk
    assert _lifecycle_counts() == (1, 3, 1, 1)
    # a new log: the rebuilt demo's events only, numbered from 0 and verified below
    assert AuditEvent.objects.count() > 0 and events > 0
    while log.sequence():
        pass
    report = log.verify(payloads=True)
    assert report.ok and report.size == AuditEvent.objects.count(), report
