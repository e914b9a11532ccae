"""A third-party client for a C2SP tiled transparency log, written from the published formats
alone (C2SP signed-note, tlog-checkpoint, tlog-tiles; RFC 6962 / RFC 9162 hashing and proofs):
the standard library and `cryptography` for Ed25519, nothing from Laget. The interop tests point
it at a live Laget server."""

import base64
import binascii
import gzip
import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from functools import cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

TILE_WIDTH = 256  # tile height 8
HASH_SIZE = 32
ED25519 = 0x01


class VerificationError(Exception):
    """The log served something that does not verify."""


# --- RFC 6962 / RFC 9162 §2.1 ---------------------------------------------------------------------

def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class Tree:
    """MTH, PATH and PROOF over a list of leaf hashes, exactly as RFC 9162 §2.1 defines them."""

    def __init__(self, leaves: list[bytes]):
        self.leaves = leaves
        self._mth = cache(self._mth_uncached)

    def mth(self, lo: int, hi: int) -> bytes:
        return self._mth(lo, hi)

    def _mth_uncached(self, lo: int, hi: int) -> bytes:
        n = hi - lo
        if n == 0:
            return hashlib.sha256(b"").digest()
        if n == 1:
            return self.leaves[lo]
        k = _split(n)
        return node_hash(self.mth(lo, lo + k), self.mth(lo + k, hi))

    def path(self, m: int, lo: int, hi: int) -> list[bytes]:
        n = hi - lo
        if n <= 1:
            return []
        k = _split(n)
        if m < k:
            return [*self.path(m, lo, lo + k), self.mth(lo + k, hi)]
        return [*self.path(m - k, lo + k, hi), self.mth(lo, lo + k)]

    def subproof(self, m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
        n = hi - lo
        if m == n:
            return [] if whole else [self.mth(lo, hi)]
        k = _split(n)
        if m <= k:
            return [*self.subproof(m, lo, lo + k, whole), self.mth(lo + k, hi)]
        return [*self.subproof(m - k, lo + k, hi, False), self.mth(lo, lo + k)]

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        return self.path(index, 0, size)

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        return self.subproof(first, 0, second, True)


def verify_inclusion(*, index: int, size: int, leaf: bytes, proof: list[bytes],
                     root: bytes) -> bool:
    """RFC 9162 §2.1.3.2 (leaf is the leaf hash)."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(*, first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2 (with first == second: an empty proof and equal roots)."""
    if first == second:
        return not proof and first_root == second_root
    if not 0 < first < second or not proof:
        return False
    if first & (first - 1) == 0:
        proof = [first_root, *proof]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


# --- C2SP signed-note and tlog-checkpoint ---------------------------------------------------------

@dataclass(frozen=True)
class Verifier:
    name: str
    key_id: bytes
    public_key: Ed25519PublicKey


def parse_verifier_key(text: str) -> Verifier:
    """`<name>+<hex key id>+<base64(0x01 ‖ public key)>`; the key id must be the key's own."""
    name, sep, rest = text.partition("+")
    hex_id, sep2, encoded = rest.partition("+")
    if not (sep and sep2 and name) or any(c.isspace() or c == "+" for c in name):
        raise VerificationError(f"malformed verifier key {text!r}")
    if len(hex_id) != 8 or hex_id.lower() != hex_id:
        raise VerificationError(f"key id {hex_id!r} is not 8 lower-case hex digits")
    try:
        key_id = bytes.fromhex(hex_id)
        raw = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error) as error:
        raise VerificationError(f"malformed verifier key: {error}") from None
    if len(raw) != 33 or raw[0] != ED25519:
        raise VerificationError("verifier key is not an Ed25519 key (0x01 ‖ 32 bytes)")
    expected = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if key_id != expected:
        raise VerificationError(f"key id {hex_id} is not SHA-256(name ‖ 0x0A ‖ key)[:4]")
    public_key = Ed25519PublicKey.from_public_bytes(raw[1:])
    return Verifier(name=name, key_id=key_id, public_key=public_key)


def open_note(note: str, verifier: Verifier) -> str:
    """The note's text, if a signature by `verifier` over it verifies (unknown ones ignored)."""
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise VerificationError("note contains control characters")
    cut = note.rfind("\n\n")
    if cut < 0 or not note.endswith("\n"):
        raise VerificationError("note has no signature block")
    text, signatures = note[: cut + 1], note[cut + 2:]
    verified = False
    for line in signatures.removesuffix("\n").split("\n"):
        dash, _, rest = line.partition(" ")
        name, _, encoded = rest.partition(" ")
        if dash != "\u2014" or not name or not encoded:
            raise VerificationError(f"malformed signature line {line!r}")
        try:
            sig = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise VerificationError(f"signature of {name} is not base64") from None
        if len(sig) < 4 or name != verifier.name or sig[:4] != verifier.key_id:
            continue  # someone else's signature (a witness, a rotated key): ignored
        try:
            verifier.public_key.verify(sig[4:], text.encode())
        except InvalidSignature:
            raise VerificationError(f"signature by {name} does not verify") from None
        verified = True
    if not verified:
        raise VerificationError("no signature by the log's key")
    return text


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    note: str = field(repr=False)


def parse_checkpoint(text: str, note: str) -> Checkpoint:
    lines = text.removesuffix("\n").split("\n")
    if len(lines) < 3 or any(line == "" for line in lines):
        raise VerificationError("a checkpoint has at least three non-empty lines")
    origin, size_text, root_text = lines[:3]
    if not size_text.isdigit() or str(int(size_text)) != size_text:
        raise VerificationError(f"tree size {size_text!r} is not a plain decimal")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error:
        raise VerificationError(f"root {root_text!r} is not base64") from None
    if len(root) != HASH_SIZE:
        raise VerificationError("root is not 32 bytes")
    return Checkpoint(origin=origin, size=int(size_text), root=root, note=note)


# --- C2SP tlog-tiles ------------------------------------------------------------------------------

def tile_index_path(n: int) -> str:
    """1234067 → x001/x234/067."""
    path = f"{n % 1000:03d}"
    n //= 1000
    while n:
        path = f"x{n % 1000:03d}/{path}"
        n //= 1000
    return path


def tile_path(level: int | str, n: int, width: int) -> str:
    suffix = "" if width == TILE_WIDTH else f".p/{width}"
    return f"tile/{level}/{tile_index_path(n)}{suffix}"


def tiles_for(size: int) -> list[tuple[int, int, int]]:
    """Every (level, n, width) tile a tree of `size` has."""
    tiles = []
    level = 0
    while size >> (8 * level):
        count = size >> (8 * level)
        tiles += [(level, n, TILE_WIDTH) for n in range(count // TILE_WIDTH)]
        if count % TILE_WIDTH:
            tiles.append((level, count // TILE_WIDTH, count % TILE_WIDTH))
        level += 1
    return tiles


def perfect_root(hashes: list[bytes]) -> bytes:
    """The root over a power-of-two number of hashes."""
    while len(hashes) > 1:
        hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
    return hashes[0]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class LogClient:
    def __init__(self, base: str, *, token: str | None = None):
        self.base = base.rstrip("/")
        self.token = token
        self.requests: list[str] = []
        self.fallbacks: list[str] = []  # partial tiles read from their full tile

    def fetch(self, path: str) -> Response:
        request = urllib.request.Request(self.base + path)  # noqa: S310 (http on loopback)
        request.add_header("Accept-Encoding", "gzip, identity")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        self.requests.append(path)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        headers = {key.lower(): value for key, value in headers.items()}
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return Response(status=status, headers=headers, body=body)

    def get(self, path: str, *, content_type: str | None = None) -> Response:
        response = self.fetch(path)
        if response.status != 200:
            raise VerificationError(f"GET {path}: {response.status}")
        if content_type is not None:
            got = response.headers.get("content-type", "").replace(" ", "").lower()
            if got != content_type:
                raise VerificationError(f"GET {path}: Content-Type {got!r}, spec: {content_type!r}")
        return response

    def verifier(self) -> Verifier:
        return parse_verifier_key(self.get("/log/key").body.decode().strip())

    def checkpoint(self, verifier: Verifier) -> Checkpoint:
        note = self.get("/log/checkpoint", content_type="text/plain;charset=utf-8").body.decode()
        return parse_checkpoint(open_note(note, verifier), note)

    def _tile_body(self, level: int | str, n: int, width: int) -> bytes:
        """A tile or bundle; a partial one that is gone may be read from the full one (the log
        may drop a partial tile once the full tile is there)."""
        path = "/log/" + tile_path(level, n, width)
        response = self.fetch(path)
        if response.status == 404 and width < TILE_WIDTH:
            self.fallbacks.append(path)
            return self.get("/log/" + tile_path(level, n, TILE_WIDTH),
                            content_type="application/octet-stream").body
        return self.get(path, content_type="application/octet-stream").body

    def tile(self, level: int, n: int, width: int) -> list[bytes]:
        body = self._tile_body(level, n, width)
        if len(body) not in (width * HASH_SIZE, TILE_WIDTH * HASH_SIZE):
            raise VerificationError(f"tile {level}/{n}: {len(body)} bytes, want {width} hashes")
        return [body[i:i + HASH_SIZE] for i in range(0, width * HASH_SIZE, HASH_SIZE)]

    def entries(self, n: int, width: int) -> list[bytes]:
        path = "/log/" + tile_path("entries", n, width)
        body = self._tile_body("entries", n, width)
        leaves, at = [], 0
        while at < len(body):
            if at + 2 > len(body):
                raise VerificationError(f"{path}: truncated length prefix")
            length = int.from_bytes(body[at:at + 2], "big")
            if at + 2 + length > len(body):
                raise VerificationError(f"{path}: entry runs past the end")
            leaves.append(body[at + 2:at + 2 + length])
            at += 2 + length
        if len(leaves) not in (width, TILE_WIDTH):
            raise VerificationError(f"{path}: {len(leaves)} entries, want {width}")
        return leaves[:width]

    def api(self, path: str) -> dict:
        return json.loads(self.get(path).body)


@dataclass
class Verified:
    checkpoint: Checkpoint
    leaves: list[bytes]  # the leaf bytes from the entry bundles
    tree: Tree  # over their leaf hashes


def verify_log(client: LogClient, verifier: Verifier) -> Verified:
    """Fetch and verify the signed checkpoint, then its tree (verify_tree)."""
    return verify_tree(client, client.checkpoint(verifier))


def verify_tree(client: LogClient, cp: Checkpoint) -> Verified:
    """Fetch every tile and entry bundle of the tree of a verified checkpoint; recompute the root
    from the highest tiles, check each full tile against its hash one level up, and each entry
    against its level-0 hash."""
    if cp.size == 0:
        raise VerificationError("empty log")
    tiles = {(level, n): client.tile(level, n, width) for level, n, width in tiles_for(cp.size)}

    def hashes_at(level: int, start: int, count: int) -> list[bytes]:
        n, offset = divmod(start, TILE_WIDTH)
        return tiles[(level, n)][offset:offset + count]

    def subtree(lo: int, hi: int) -> bytes:
        """MTH(D[lo:hi]) for an aligned power-of-two range, read from the highest tile level
        that holds it."""
        k = (hi - lo).bit_length() - 1
        level = k // 8
        return perfect_root(hashes_at(level, lo >> (8 * level), 1 << (k % 8)))

    def root(lo: int, hi: int) -> bytes:
        n = hi - lo
        if n & (n - 1) == 0:
            return subtree(lo, hi)
        k = _split(n)
        return node_hash(root(lo, lo + k), root(lo + k, hi))

    if root(0, cp.size) != cp.root:
        raise VerificationError("the tiles do not give the checkpoint's root")
    for (level, n), hashes in tiles.items():
        if len(hashes) == TILE_WIDTH and (level + 1, n // TILE_WIDTH) in tiles:
            above = tiles[(level + 1, n // TILE_WIDTH)][n % TILE_WIDTH]
            if perfect_root(hashes) != above:
                raise VerificationError(f"tile {level}/{n} does not hash to its parent's entry")
    leaves = []
    for level, n, width in tiles_for(cp.size):
        if level == 0:
            bundle = client.entries(n, width)
            for i, (leaf, expected) in enumerate(zip(bundle, tiles[(0, n)], strict=True)):
                if leaf_hash(leaf) != expected:
                    raise VerificationError(f"entry {n * TILE_WIDTH + i} does not match its tile")
            leaves += bundle
    tree = Tree([leaf_hash(leaf) for leaf in leaves])
    if tree.mth(0, cp.size) != cp.root:
        raise VerificationError("the entries do not give the checkpoint's root")
    return Verified(checkpoint=cp, leaves=leaves, tree=tree)


def b64_list(values: list[str]) -> list[bytes]:
    return [base64.b64decode(v, validate=True) for v in values]
