"""The audit events as a transparency log: the sequencer gives committed events consecutive
indexes under a database lock (never a fork, never a gap), checkpoints sign the tree head, and
`verify` recomputes everything from the stored leaves.

The tree is stored as C2SP tlog-tiles (tile height 8) in `Tile` rows, which the sequencer extends
in the same transaction as it assigns indexes; roots and proofs are read from them."""

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F, Max

from laget.audit import merkle, note
from laget.audit.leaves import LEAF_FORMAT, commitment, leaf_commitment
from laget.audit.models import AuditEvent, Checkpoint, Tile
from laget.core import clock

#: pg_advisory_xact_lock key for the sequencer ("laget-seq" as a number).
SEQUENCER_LOCK = 0x6C61676574736571
BATCH = 5000
WIDTH = merkle.TILE_WIDTH
HASH = merkle.HASH_SIZE


class LogCorrupt(Exception):
    """The stored tiles do not fit together; the sequencer stops rather than build on them."""


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEQUENCER_LOCK])
    # (SQLite: the transaction begins IMMEDIATE and so already holds the write lock.)


def tiled_size() -> int:
    """How many leaves the stored tiles hold (the tree the log can serve and prove)."""
    last = Tile.objects.filter(level=0).order_by("-index").only("index", "hashes").first()
    return 0 if last is None else last.index * WIDTH + last.width


def sequence(*, batch: int = BATCH) -> int:
    """Give the unsequenced events, in id order, the next indexes and add their leaf hashes to
    the tiles, all under the sequencer lock in one transaction. Returns how many."""
    with transaction.atomic():
        _lock()
        size = tiled_size()
        top = AuditEvent.objects.aggregate(top=Max("log_index"))["top"]
        following = 0 if top is None else top + 1
        if following != size:  # sequenced before tiles existed (or by an older version)
            leaves = [bytes(leaf) for leaf in AuditEvent.objects.filter(
                log_index__gte=size).order_by("log_index").values_list("leaf", flat=True)]
            _append(0, size, [merkle.leaf_hash(leaf) for leaf in leaves])
        waiting = list(AuditEvent.objects.filter(log_index__isnull=True)
                       .order_by("id").values_list("id", "leaf")[:batch])
        _number(following, [pk for pk, _leaf in waiting])
        _append(0, following, [merkle.leaf_hash(bytes(leaf)) for _pk, leaf in waiting])
    return len(waiting)


def _number(following: int, ids: list[int]) -> None:
    """Give `ids` (ascending) the indexes following, following + 1, …: one UPDATE per run of
    consecutive ids (a run has no hidden row inside it, so nothing else is numbered)."""
    position = 0
    while position < len(ids):
        end = position
        while end + 1 < len(ids) and ids[end + 1] == ids[end] + 1:
            end += 1
        AuditEvent.objects.filter(
            id__gte=ids[position], id__lte=ids[end], log_index__isnull=True,
        ).update(log_index=F("id") + (following + position - ids[position]))
        position = end + 1


def _append(level: int, start: int, hashes: list[bytes]) -> None:
    """Append hashes at `level` from position `start`; every tile that fills up passes its root
    on to the level above."""
    if not hashes:
        return
    first_tile = start // WIDTH
    existing = Tile.objects.filter(level=level, index=first_tile).first()
    have = existing.width if existing is not None else 0
    if first_tile * WIDTH + have != start:
        raise LogCorrupt(f"tile {level}/{first_tile} holds {have} hashes; expected "
                         f"{start - first_tile * WIDTH}")
    parents: list[bytes] = []
    new_tiles: list[Tile] = []
    position, remaining = start, hashes
    while remaining:
        tile_index, offset = divmod(position, WIDTH)
        take = min(WIDTH - offset, len(remaining))
        chunk, remaining = remaining[:take], remaining[take:]
        if tile_index == first_tile and existing is not None:
            existing.hashes = bytes(existing.hashes) + b"".join(chunk)
            existing.save(update_fields=["hashes"])
            tile = existing
        else:
            tile = Tile(level=level, index=tile_index, hashes=b"".join(chunk))
            new_tiles.append(tile)
        if offset + take == WIDTH:
            parents.append(merkle.root(_split_hashes(bytes(tile.hashes))))
        position += take
    Tile.objects.bulk_create(new_tiles, batch_size=500)
    if parents:
        _append(level + 1, first_tile, parents)


def _split_hashes(data: bytes) -> list[bytes]:
    return [data[i:i + HASH] for i in range(0, len(data), HASH)]


class StoredTree:
    """Complete-subtree hashes read from the stored tiles (a few tile reads per proof)."""

    def __init__(self) -> None:
        self._tiles: dict[tuple[int, int], bytes] = {}

    def tile(self, level: int, index: int) -> bytes:
        key = (level, index)
        if key not in self._tiles:
            row = Tile.objects.filter(level=level, index=index).values_list(
                "hashes", flat=True).first()
            self._tiles[key] = bytes(row) if row is not None else b""
        return self._tiles[key]

    def hash_at(self, level: int, index: int) -> bytes:
        tile_level, sublevel = divmod(level, merkle.TILE_HEIGHT)
        first, count = index << sublevel, 1 << sublevel
        tile_index, offset = divmod(first, WIDTH)
        data = self.tile(tile_level, tile_index)[offset * HASH:(offset + count) * HASH]
        if len(data) != count * HASH:
            raise LookupError(f"hash {level}/{index} is not in the stored tiles")
        return merkle.root(_split_hashes(data))


def _check_size(tree_size: int) -> None:
    size = tiled_size()
    if not 0 <= tree_size <= size:
        raise ValueError(f"tree size {tree_size} outside 0..{size}")


def root_at(tree_size: int) -> bytes:
    """The tree hash of the first `tree_size` leaves, from the stored tiles."""
    _check_size(tree_size)
    if tree_size == 0:
        return merkle.EMPTY_ROOT
    return merkle.range_root(StoredTree().hash_at, 0, tree_size)


def inclusion_proof(*, index: int, tree_size: int) -> list[bytes]:
    _check_size(tree_size)
    return merkle.inclusion_proof_at(StoredTree().hash_at, index=index, tree_size=tree_size)


def consistency_proof(*, first: int, second: int) -> list[bytes]:
    _check_size(second)
    return merkle.consistency_proof_at(StoredTree().hash_at, first=first, second=second)


def tile_bytes(*, level: int, index: int, width: int) -> bytes | None:
    """The first `width` hashes of a stored tile (None if it does not hold that many yet)."""
    data = StoredTree().tile(level, index)
    return data[:width * HASH] if len(data) >= width * HASH else None


def entries_bytes(*, index: int, width: int) -> bytes | None:
    """The entry bundle of leaves index·256 … index·256 + width − 1 (None if not all tiled)."""
    first = index * WIDTH
    if first + width > tiled_size():
        return None
    leaves = AuditEvent.objects.filter(
        log_index__gte=first, log_index__lt=first + width).order_by("log_index")
    return merkle.entries_bundle([bytes(leaf) for leaf in leaves.values_list("leaf", flat=True)])


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


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
    # Several processes may start at once (web, worker, sequencer): the first file wins, written
    # whole under a temporary name and linked into place, and every process reads that one.
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text + "\n", encoding="ascii")
    temporary.chmod(0o600)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_text(encoding="ascii").strip()


def signing_key() -> tuple[str, Ed25519PrivateKey]:
    return note.parse_signer_key(_key_text())


def verifier_key() -> str:
    name, private_key = signing_key()
    return note.verifier_key(name=name, public_key=private_key.public_key())


def checkpoint() -> Checkpoint | None:
    """Sequence what is waiting and sign a checkpoint if the tree has grown (none while idle)."""
    while sequence() == BATCH:
        pass
    name, private_key = signing_key()
    with transaction.atomic():
        _lock()
        size = tiled_size()
        latest = latest_checkpoint()
        if latest is not None and latest.size >= size:
            return None
        root = root_at(size)
        body = note.checkpoint_body(origin=settings.LAGET_LOG_ORIGIN, size=size, root=root)
        signed = note.sign_note(body, name=name, private_key=private_key)
        return Checkpoint.objects.create(
            size=size, root=root, note=signed, signed_at=clock.now(),
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
    unsequenced: int = 0
    payloads_checked: int = 0
    payloads_erased: int = 0
    first_bad_payload: int | None = None
    payload_problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_index is None and not self.problem and self.first_bad_payload is None


class _Bad(Exception):
    def __init__(self, index: int | None, problem: str) -> None:
        super().__init__(problem)
        self.index, self.problem = index, problem


_LEAF_HEAD = f"{LEAF_FORMAT}\n".encode("ascii")
#: A well-formed leaf: the format line, two more lines, a 44-character commitment line; four
#: newlines in all, the last at the end.
_LEAF_SHAPE = re.compile(re.escape(_LEAF_HEAD) + rb"[^\n]*\n[^\n]*\n[^\n]{44}\n")
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"
#: Leaves read from the database at a time.
CHUNK = 16384


def _leaf_well_formed(leaf: bytes) -> bool:
    """The cheap structural check of a leaf (format line, four lines, a 44-character commitment)."""
    return _LEAF_SHAPE.fullmatch(leaf) is not None


def _tile_root(hashes: list[bytes]) -> bytes:
    """merkle.root() of a full tile (256 hashes, so every level pairs up)."""
    sha256 = hashlib.sha256
    level = hashes
    while len(level) > 1:
        pairs = iter(level)
        level = [sha256(_NODE_PREFIX + left + right).digest() for left, right in zip(
            pairs, pairs, strict=True)]
    return level[0]


class _Recomputer:
    """Rebuilds the tree from the leaf hashes in one pass, a tile at a time, comparing each
    level's hashes with the stored tiles as they complete, and yields the tree hash at any size on
    the way."""

    def __init__(self) -> None:
        self.size = 0
        self.pending: list[list[bytes]] = [[]]  # per tile level: hashes of the unfinished tile
        self.stored: dict[int, dict[int, bytes]] = {}
        self.frontier: list[tuple[int, bytes]] = []  # complete 256-leaf-or-larger subtrees

    def _stored_tile(self, level: int, index: int) -> bytes:
        cache = self.stored.setdefault(level, {})
        if index not in cache:
            cache.clear()
            for tile_index, hashes in Tile.objects.filter(
                    level=level, index__gte=index, index__lt=index + 512).values_list(
                    "index", "hashes"):
                cache[tile_index] = bytes(hashes)
        return cache.get(index, b"")

    def _compare(self, level: int, tile_index: int, hashes: list[bytes]) -> None:
        stored = self._stored_tile(level, tile_index)
        data = b"".join(hashes)
        if stored[:len(data)] == data:
            return
        span = WIDTH ** level
        for position, own in enumerate(hashes):
            if stored[position * HASH:(position + 1) * HASH] != own:
                first = (tile_index * WIDTH + position) * span
                what = "leaf" if level == 0 else f"node at tile level {level}"
                raise _Bad(first, f"the stored tile hash of {what} covering index {first} "
                                  f"does not match the leaves")

    def add_many(self, leaf_hashes: list[bytes]) -> None:
        """Add leaf hashes in order; each tile is compared and hashed as it fills up."""
        position, count = 0, len(leaf_hashes)
        while position < count:
            pending = self.pending[0]
            take = min(WIDTH - len(pending), count - position)
            if not pending and take == WIDTH:
                pending = self.pending[0] = leaf_hashes[position:position + WIDTH]
            else:
                pending.extend(leaf_hashes[position:position + take])
            position += take
            self.size += take
            if len(pending) == WIDTH:
                self._tile_full()

    def _tile_full(self) -> None:
        level = 0
        while len(self.pending[level]) == WIDTH:
            hashes = self.pending[level]
            tile_index = (self.size // WIDTH ** (level + 1)) - 1
            self._compare(level, tile_index, hashes)
            tile_root = _tile_root(hashes)
            self.pending[level] = []
            if level == 0:
                self._push(WIDTH, tile_root)
            if len(self.pending) == level + 1:
                self.pending.append([])
            self.pending[level + 1].append(tile_root)
            level += 1

    def _push(self, size: int, value: bytes) -> None:
        self.frontier.append((size, value))
        while len(self.frontier) > 1 and self.frontier[-1][0] == self.frontier[-2][0]:
            (size_b, right), (_size_a, left) = self.frontier.pop(), self.frontier.pop()
            self.frontier.append((size_b * 2, merkle.node_hash(left, right)))

    def finish(self) -> None:
        """Compare the unfinished (partial) tiles with the stored ones."""
        for level, hashes in enumerate(self.pending):
            if hashes:
                self._compare(level, (self.size // WIDTH ** (level + 1)), hashes)

    def root(self) -> bytes:
        if self.size == 0:
            return merkle.EMPTY_ROOT
        parts = [value for _size, value in self.frontier]
        partial = self.pending[0]
        if partial:
            parts.append(merkle.range_root(merkle.list_hash_at(partial), 0, len(partial)))
        result = parts.pop()
        while parts:
            result = merkle.node_hash(parts.pop(), result)
        return result


def _leaf_query(size: int | None) -> tuple[str, list[int]]:
    table = AuditEvent._meta.db_table
    bound, params = ("AND log_index < %s ", [size]) if size is not None else ("", [])
    return (f"SELECT log_index, leaf FROM {table} "  # noqa: S608 (our own table name)
            f"WHERE log_index IS NOT NULL {bound}ORDER BY log_index"), params


def _stream_leaves(size: int | None = None) -> Iterator[tuple[list[int], list[bytes]]]:
    """(log indexes, leaves) in index order, a chunk at a time (below `size` if given), from a
    server-side cursor, so the tiles can be read in between. On PostgreSQL the rows come binary,
    and the next chunk is fetched in a thread while this one is hashed (the database produces it
    meanwhile, on another core)."""
    sql, params = _leaf_query(size)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.connection.cursor("laget_verify_leaves", binary=True) as cursor, \
                    ThreadPoolExecutor(max_workers=1) as fetcher:
                cursor.itersize = CHUNK
                cursor.execute(sql, params)
                ahead = fetcher.submit(cursor.fetchmany, CHUNK)
                while chunk := ahead.result():
                    ahead = fetcher.submit(cursor.fetchmany, CHUNK)
                    indexes, leaves = zip(*chunk, strict=True)
                    yield list(indexes), list(leaves)
            return
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while chunk := cursor.fetchmany(CHUNK):
                yield [index for index, _leaf in chunk], [bytes(leaf) for _index, leaf in chunk]


def _first_bad(start: int, indexes: list[int], leaves: list[bytes]) -> tuple[int, _Bad | None]:
    """How many leaves of the chunk are in place and well-formed, and what is wrong with the next
    (a missing index, or a malformed leaf), if anything."""
    if indexes == list(range(start, start + len(indexes))) and all(
            map(_LEAF_SHAPE.fullmatch, leaves)):
        return len(leaves), None
    for position, (index, leaf) in enumerate(zip(indexes, leaves, strict=True)):
        if index != start + position:
            return position, _Bad(start + position, f"index {start + position} is missing "
                                                    f"(next stored is {index})")
        if not _leaf_well_formed(leaf):
            return position, _Bad(index, f"leaf {index} is malformed")
    return len(leaves), None


def verify(*, payloads: bool = False, size: int | None = None) -> Report:
    """Recompute every node from the stored leaf bytes: compare with the stored tiles, and each
    signed checkpoint (its signature by a trusted key, and its root at its size); with
    `payloads`, open every commitment that is not erased and compare it with the event's row.

    With `size`, only the tree of the first `size` leaves (and the checkpoints up to it): the
    stored tiles must cover it, and what was sequenced after it is left alone."""
    report = Report()
    checkpoints = list(Checkpoint.objects.order_by("size"))
    whole = size is None
    if whole:
        # The tree as far as it is tiled now (every checkpoint above is no larger): the sequencer
        # may go on adding leaves while this runs, and those are for the next verification.
        size = tiled_size()
    if size is not None:
        if size < 0:
            raise ValueError(f"tree size {size} is negative")
        checkpoints = [stored for stored in checkpoints if stored.size <= size]
    trusted = {verifier_key(), *settings.LAGET_LOG_PREVIOUS_VERIFIERS}
    roots_at: dict[int, bytes] = {0: merkle.EMPTY_ROOT}
    sizes = sorted({stored.size for stored in checkpoints if stored.size > 0})
    next_size = 0  # the next checkpoint size to take the root at (sizes[next_size])
    tree = _Recomputer()
    sha256 = hashlib.sha256
    try:
        for indexes, leaves in _stream_leaves(size):
            start = tree.size
            good, bad = _first_bad(start, indexes, leaves)
            hashes = [sha256(_LEAF_PREFIX + leaf).digest() for leaf in leaves[:good]]
            done = 0  # stop at each checkpoint's size on the way to take the root there
            while next_size < len(sizes) and sizes[next_size] <= start + good:
                cut = sizes[next_size] - start
                tree.add_many(hashes[done:cut])
                roots_at[tree.size] = tree.root()
                done, next_size = cut, next_size + 1
            tree.add_many(hashes[done:])
            if bad is not None:
                raise bad
        tree.finish()
        stored_size = size if whole else tiled_size()
        if not whole:
            if stored_size < size or tree.size != size:
                raise _Bad(min(stored_size, tree.size),
                           f"the tiles hold {stored_size} leaves, the log {tree.size}; "
                           f"asked for {size}")
        elif stored_size != tree.size:
            raise _Bad(min(stored_size, tree.size),
                       f"the tiles hold {stored_size} leaves, the log {tree.size}")
    except _Bad as bad:
        report.first_bad_index, report.problem = bad.index, bad.problem
        return report
    report.size, report.root = tree.size, tree.root()
    report.unsequenced = AuditEvent.objects.filter(log_index__isnull=True).count()
    for stored in checkpoints:
        problem = _check_checkpoint(stored, trusted, roots_at.get(stored.size))
        if problem:
            report.problem = problem
            if problem.endswith("does not match the log"):
                report.first_bad_index = _first_divergence(checkpoints, roots_at)
            return report
        report.checkpoints += 1
    if payloads:
        _check_payloads(report, size)
    return report


def _check_checkpoint(stored: Checkpoint, trusted: set[str], expected_root: bytes | None) -> str:
    if stored.verifier not in trusted:
        return f"checkpoint {stored.size} is signed by a key that is not trusted"
    try:
        parsed = note.parse_checkpoint(note.open_note(stored.note, verifier=stored.verifier))
    except note.NoteError as error:
        return f"checkpoint {stored.size}: {error}"
    if parsed.origin != settings.LAGET_LOG_ORIGIN:
        return f"checkpoint {stored.size} names another log ({parsed.origin})"
    if parsed.size != stored.size or bytes(stored.root) != parsed.root:
        return f"checkpoint {stored.size}: the stored size or root differs from its signed note"
    if expected_root is None or parsed.root != expected_root:
        return f"checkpoint {stored.size} does not match the log"
    return ""


def _first_divergence(checkpoints: list[Checkpoint], roots_at: dict[int, bytes]) -> int:
    """When leaves and tiles agree but a signed checkpoint does not, the rewrite lies after the
    largest checkpoint that still matches: the first index it did not cover."""
    good = 0
    for stored in checkpoints:
        if roots_at.get(stored.size) == bytes(stored.root):
            good = stored.size
        else:
            break
    return good


def _check_payloads(report: Report, size: int | None = None) -> None:
    """Open each commitment with its salt and payload, and check the event's row says what the
    payload says (so a changed column is found even though only the payload is committed)."""
    events = AuditEvent.objects.filter(log_index__isnull=False)
    if size is not None:
        events = events.filter(log_index__lt=size)
    events = events.order_by("log_index").prefetch_related("subjects")
    for event in events.iterator(chunk_size=2000):
        leaf = bytes(event.leaf)
        if event.payload is None or event.salt is None:
            report.payloads_erased += 1
            continue
        report.payloads_checked += 1
        payload = bytes(event.payload)
        problem = ""
        if commitment(salt=bytes(event.salt), payload=payload) != leaf_commitment(leaf):
            problem = "its payload does not open the leaf's commitment"
        elif not _row_matches(event, leaf, payload):
            problem = "its row differs from its committed payload"
        if problem:
            report.first_bad_payload = event.log_index
            report.payload_problem = f"event {event.log_index}: {problem}"
            return


def _row_matches(event: AuditEvent, leaf: bytes, payload: bytes) -> bool:
    try:
        fields = json.loads(payload)
        _format, action, when, _commit, _end = leaf.decode("ascii").split("\n")
    except ValueError:
        return False
    at = event.occurred_at.astimezone(dt.UTC)
    row = {
        "action": event.action, "outcome": event.outcome,
        "actor": str(event.actor_id) if event.actor_id else None,
        "actor_label": event.actor_label,
        "agency": str(event.agency_id) if event.agency_id else None, "role": event.role,
        "object_type": event.object_type, "object_id": event.object_id, "basis": event.basis,
        "purpose": event.purpose, "request_id": event.request_id,
        "ip_address": event.ip_address, "details": event.details,
        "persons": sorted(str(subject.person_id) for subject in event.subjects.all()),
    }
    committed = {key: fields.get(key) for key in row}
    try:
        committed_at = dt.datetime.fromisoformat(fields.get("occurred_at") or "")
    except ValueError:
        return False
    return (action == event.action and when == at.strftime("%Y-%m-%dT%H:%M:%SZ")
            and committed_at == event.occurred_at and committed == row)


def erase_payloads(*, before: dt.datetime) -> int:
    """Erase payload and salt of events older than `before` (retention); the leaves stay."""
    return AuditEvent.objects.filter(occurred_at__lt=before, erased_at__isnull=True).update(
        payload=None, salt=None, erased_at=clock.now())
