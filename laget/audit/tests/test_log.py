"""The audit events as a verifiable log: commitments, sequencing, checkpoints, verify, erasure."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from laget.audit import log, merkle, note
from laget.audit.actions import Action
from laget.audit.leaves import commitment, leaf_commitment
from laget.audit.models import AuditEvent, Checkpoint
from laget.audit.services import audit_record
from laget.core import clock
from laget.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _events(n: int, person=None) -> None:
    for i in range(n):
        audit_record(action=Action.PERSON_VIEW, actor=None, persons=[person] if person else [],
                     details={"i": i})


def test_the_leaf_commits_to_the_event_without_revealing_it():
    person = PersonFactory()
    audit_record(action=Action.PERSON_VIEW, actor=None, persons=[person],
                 details={"by": "national_id"})
    event = AuditEvent.objects.get()
    leaf = bytes(event.leaf)
    assert person.national_id.encode() not in leaf and str(person.pk).encode() not in leaf
    assert b"person.view" in leaf  # action code and time are in the clear, nothing else
    assert str(person.pk).encode() in bytes(event.payload)
    assert commitment(salt=bytes(event.salt), payload=bytes(event.payload)) == leaf_commitment(leaf)
    # the same event again gets another salt, so equal events never have equal leaves
    audit_record(action=Action.PERSON_VIEW, actor=None, persons=[person],
                 details={"by": "national_id"})
    assert len(set(bytes(e.leaf) for e in AuditEvent.objects.all())) == 2


def test_sequencing_gives_consecutive_indexes_in_id_order():
    _events(5)
    assert log.sequence() == 5
    _events(3)
    assert log.sequence() == 3 and log.sequence() == 0
    indexes = list(AuditEvent.objects.order_by("id").values_list("log_index", flat=True))
    assert indexes == list(range(8))


def test_checkpoint_is_a_signed_note_over_the_root():
    _events(7)
    made = log.checkpoint()
    assert made is not None and made.size == 7
    body = note.open_note(made.note, verifier=log.verifier_key())
    parsed = note.parse_checkpoint(body)
    leaves = [bytes(v) for v in AuditEvent.objects.order_by("log_index")
              .values_list("leaf", flat=True)]
    assert parsed.root == merkle.root([merkle.leaf_hash(leaf) for leaf in leaves])
    assert log.checkpoint() is None  # idle: no new checkpoint
    _events(1)
    assert log.checkpoint().size == 8
    assert Checkpoint.objects.count() == 2


def test_verify_passes_and_names_the_first_tampered_index(capsys):
    _events(10)
    log.checkpoint()
    call_command("audit", "verify", "--payloads")
    assert "verified 10 entries" in capsys.readouterr().out
    event = AuditEvent.objects.get(log_index=6)
    tampered = bytearray(bytes(event.leaf))
    tampered[len(tampered) - 3] ^= 0x01
    AuditEvent.objects.filter(pk=event.pk).update(leaf=bytes(tampered))
    report = log.verify()
    assert not report.ok
    with pytest.raises(CommandError) as error:
        call_command("audit", "verify")
    assert "NOT verified" in str(error.value)


def test_a_deleted_event_is_a_gap():
    _events(4)
    log.sequence()
    AuditEvent.objects.filter(log_index=2).delete()
    report = log.verify()
    assert report.first_bad_index == 2


def test_a_changed_payload_no_longer_opens_its_commitment():
    _events(3)
    log.checkpoint()
    event = AuditEvent.objects.get(log_index=1)
    AuditEvent.objects.filter(pk=event.pk).update(payload=bytes(event.payload) + b" ")
    assert log.verify().ok  # the tree itself is intact
    assert log.verify(payloads=True).first_bad_payload == 1


def test_erasing_payloads_keeps_the_log_verifiable():
    _events(6)
    log.checkpoint()
    erased = log.erase_payloads(before=clock.now() + dt.timedelta(seconds=1))
    assert erased == 6
    report = log.verify(payloads=True)
    assert report.ok and report.size == 6 and report.payloads_erased == 6


def test_keygen_prints_a_signer_key(capsys):
    call_command("audit", "keygen", "laget.test/log")
    name, _key = note.parse_signer_key(capsys.readouterr().out.strip())
    assert name == "laget.test/log"


def test_checkpoints_signed_before_a_key_rotation_verify_when_the_old_key_is_trusted(settings):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    _events(2)
    old = log.checkpoint()
    settings.LAGET_LOG_SIGNING_KEY = note.signer_key(
        name=settings.LAGET_LOG_ORIGIN, private_key=Ed25519PrivateKey.generate())
    _events(1)
    assert log.checkpoint().verifier != old.verifier
    report = log.verify()
    assert not report.ok and "not trusted" in report.problem
    settings.LAGET_LOG_PREVIOUS_VERIFIERS = [old.verifier]
    assert log.verify().ok


def test_retention_erases_what_identifies_people_and_the_log_still_verifies(capsys):
    from laget.audit.models import AuditEventPerson

    person = PersonFactory()
    _events(3, person=person)
    log.checkpoint()
    with clock.frozen(clock.now() + dt.timedelta(days=6 * 365)):
        call_command("audit", "erase")
    assert "erased 3 events" in capsys.readouterr().out
    assert not AuditEventPerson.objects.exists()
    event = AuditEvent.objects.first()
    assert event.payload is None and event.details == {} and event.erased_at is not None
    report = log.verify(payloads=True)
    assert report.ok and report.payloads_erased == 3
    _events(1)
    call_command("audit", "erase", "--before", "2000-01-01")  # nothing that old
    assert "erased 0 events" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("audit", "erase", "--before", "not-a-date")
