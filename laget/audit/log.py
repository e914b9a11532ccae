"""The audit events as a transparency log: the sequencer gives committed events consecutive
indexes under a database lock (never a fork, never a gap), checkpoints sign the tree head, and
`verify` recomputes everything from the stored leaves.

This increment computes roots from all leaf hashes (O(n)); stored tiles come next."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Max

from laget.audit import merkle, note
from laget.audit.leaves import commitment, leaf_commitment
from laget.audit.models import AuditEvent, Checkpoint
from laget.core import clock

#: pg_advisory_xact_lock key for the sequencer ("laget-seq" as a number).
SEQUENCER_LOCK = 0x6C61676574736571
BATCH = 5000


def sequence(*, batch: int = BATCH) -> int:
    """Give the unsequenced events, in id order, the next indexes. Returns how many."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEQUENCER_LOCK])
        # (SQLite: the transaction begins IMMEDIATE and so already holds the write lock.)
        top = AuditEvent.objects.aggregate(top=Max("log_index"))["top"]
        following = 0 if top is None else top + 1
        events = list(
            AuditEvent.objects.filter(log_index__isnull=True).order_by("id").only("id")[:batch]
        )
        for offset, event in enumerate(events):
            event.log_index = following + offset
        AuditEvent.objects.bulk_update(events, ["log_index"], batch_size=1000)
    return len(events)


def _leaves(upto: int | None = None) -> Iterator[tuple[int, bytes]]:
    events = AuditEvent.objects.filter(log_index__isnull=False).order_by("log_index")
    if upto is not None:
        events = events.filter(log_index__lt=upto)
    for index, leaf in events.values_list("log_index", "leaf").iterator(chunk_size=5000):
        yield index, bytes(leaf)


# --- the signing key ----------------------------------------------------------------------------

def _key_text() -> str:
    text = settings.LAGET_LOG_SIGNING_KEY
    if text:
        return text
    path = Path(settings.LAGET_LOG_SIGNING_KEY_FILE)
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    if not settings.LAGET_LOG_GENERATE_KEY:
        raise ImproperlyConfigured(
            "No log signing key: set LAGET_LOG_SIGNING_KEY or LAGET_LOG_SIGNING_KEY_FILE "
            "(generate one with `manage.py audit keygen`).")
    text = note.signer_key(name=settings.LAGET_LOG_ORIGIN, private_key=Ed25519PrivateKey.generate())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="ascii")
    path.chmod(0o600)
    return text


def signing_key() -> tuple[str, Ed25519PrivateKey]:
    return note.parse_signer_key(_key_text())


def verifier_key() -> str:
    name, private_key = signing_key()
    return note.verifier_key(name=name, public_key=private_key.public_key())


def checkpoint() -> Checkpoint | None:
    """Sequence what is waiting and sign a checkpoint if the tree has grown (none while idle)."""
    sequence()
    hashes = [merkle.leaf_hash(leaf) for _index, leaf in _leaves()]
    latest = Checkpoint.objects.order_by("-size").first()
    if latest is not None and latest.size >= len(hashes):
        return None
    name, private_key = signing_key()
    root = merkle.root(hashes)
    body = note.checkpoint_body(origin=settings.LAGET_LOG_ORIGIN, size=len(hashes), root=root)
    signed = note.sign_note(body, name=name, private_key=private_key)
    return Checkpoint.objects.create(
        size=len(hashes), root=root, note=signed, signed_at=clock.now(),
        verifier=note.verifier_key(name=name, public_key=private_key.public_key()),
    )


# --- verification --------------------------------------------------------------------------------

@dataclass
class Report:
    size: int = 0
    root: bytes = b""
    first_bad_index: int | None = None
    problem: str = ""
    checkpoints: int = 0
    payloads_checked: int = 0
    payloads_erased: int = 0
    first_bad_payload: int | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_index is None and not self.problem and self.first_bad_payload is None


def verify(*, payloads: bool = False) -> Report:
    """Recompute the tree from the stored leaves; check every checkpoint's signature and root at
    its size; with `payloads`, open every commitment that is not erased."""
    report = Report()
    hashes: list[bytes] = []
    roots_at: dict[int, bytes] = {}
    sizes = set(Checkpoint.objects.values_list("size", flat=True))
    for expected, (index, leaf) in enumerate(_leaves()):
        if index != expected:
            report.first_bad_index = expected
            report.problem = f"index {expected} is missing (next stored is {index})"
            return report
        try:
            leaf_commitment(leaf)
        except (ValueError, UnicodeDecodeError):
            report.first_bad_index, report.problem = index, f"leaf {index} is malformed"
            return report
        hashes.append(merkle.leaf_hash(leaf))
        if len(hashes) in sizes:
            roots_at[len(hashes)] = merkle.root(hashes)
    report.size, report.root = len(hashes), merkle.root(hashes)
    trusted = {verifier_key(), *settings.LAGET_LOG_PREVIOUS_VERIFIERS}
    for stored in Checkpoint.objects.order_by("size"):
        if stored.verifier not in trusted:
            report.problem = f"checkpoint {stored.size} is signed by a key that is not trusted"
            return report
        try:
            body = note.open_note(stored.note, verifier=stored.verifier)
            parsed = note.parse_checkpoint(body)
        except note.NoteError as error:
            report.problem = f"checkpoint {stored.size}: {error}"
            return report
        expected_root = roots_at.get(stored.size)
        if parsed.size != stored.size or expected_root is None or parsed.root != expected_root:
            report.problem = f"checkpoint {stored.size} does not match the log"
            report.first_bad_index = _first_divergence(stored.size)
            return report
        report.checkpoints += 1
    if payloads:
        _check_payloads(report)
    return report


def _first_divergence(size: int) -> int:
    """The first index whose leaf is not what the checkpoint of `size` covered: found by
    comparing the checkpoints' roots with prefixes of the log (the earliest failing prefix)."""
    hashes = [merkle.leaf_hash(leaf) for _i, leaf in _leaves(upto=size)]
    good = 0
    for stored in Checkpoint.objects.filter(size__lte=size).order_by("size"):
        if bytes(stored.root) == merkle.root(hashes[:stored.size]):
            good = stored.size
        else:
            break
    return good


def _check_payloads(report: Report) -> None:
    events = AuditEvent.objects.filter(log_index__isnull=False).order_by("log_index")
    for index, leaf, payload, salt in events.values_list(
            "log_index", "leaf", "payload", "salt").iterator(chunk_size=5000):
        if payload is None or salt is None:
            report.payloads_erased += 1
            continue
        report.payloads_checked += 1
        if commitment(salt=bytes(salt), payload=bytes(payload)) != leaf_commitment(bytes(leaf)):
            report.first_bad_payload = index
            return


def erase_payloads(*, before: dt.datetime) -> int:
    """Erase payload and salt of events older than `before` (retention); the leaves stay."""
    return AuditEvent.objects.filter(occurred_at__lt=before, erased_at__isnull=True).update(
        payload=None, salt=None, erased_at=clock.now())
