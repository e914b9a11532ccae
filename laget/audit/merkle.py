"""Merkle tree hashing for the audit transparency log (DESIGN.md §4, «notoritet»).

Pure functions, no database: the tree hash, inclusion and consistency proofs of RFC 6962 §2.1
as restated in RFC 9162 §2.1 (SHA-256, leaf = H(0x00 ‖ data), node = H(0x01 ‖ left ‖ right)),
and the helpers that lay the same tree out as C2SP tlog-tiles resources (tile paths, tile
contents, entry bundles), so that existing transparency-log clients and witnesses can check it.

Every function works on *leaf hashes* (`leaf_hash(entry)` of each entry, in log order); a tree of
size n is the first n of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Literal

#: The hash of the complete subtree at a tree level (0 = leaves) and index within that level —
#: what a store of tiles can answer without reading every leaf.
HashAt = Callable[[int, int], bytes]

HASH_SIZE = 32
TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT  # 256 hashes in a full tile
MAX_TILE_LEVEL = 63
MAX_ENTRY_SIZE = 0xFFFF  # an entry bundle prefixes each entry with a big-endian uint16 length

EMPTY_ROOT = hashlib.sha256(b"").digest()

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 ‖ data): the hash of one log entry."""
    return hashlib.sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 ‖ left ‖ right): the hash of an interior node."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """The Merkle Tree Hash (RFC 6962 §2.1) of all of `leaf_hashes`; SHA-256("") if empty.

    Computed level by level: pairs are hashed, and an unpaired last node moves up unchanged,
    which gives the same tree as splitting at the largest power of two below the size.
    """
    if not leaf_hashes:
        return EMPTY_ROOT
    level = list(leaf_hashes)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def _split(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _check_tree(leaf_hashes: Sequence[bytes], tree_size: int) -> None:
    if tree_size < 0 or tree_size > len(leaf_hashes):
        raise ValueError(f"tree size {tree_size} outside 0..{len(leaf_hashes)}")


def range_root(hash_at: HashAt, start: int, end: int) -> bytes:
    """MTH(D[start:end]) from complete-subtree hashes. The range must start on a boundary of its
    largest complete subtree, as every range in the RFC's recursion does: it is then the complete
    subtrees of its binary decomposition, largest first, folded from the right."""
    if end <= start:
        raise ValueError(f"empty range {start}..{end}")
    parts = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start % (1 << level):
            raise ValueError(f"range {start}..{end} is not aligned")
        parts.append(hash_at(level, start >> level))
        start += 1 << level
    result = parts.pop()
    while parts:
        result = node_hash(parts.pop(), result)
    return result


def list_hash_at(leaf_hashes: Sequence[bytes]) -> HashAt:
    """`HashAt` over leaf hashes held in memory."""
    def hash_at(level: int, index: int) -> bytes:
        return root(leaf_hashes[index << level:(index + 1) << level])
    return hash_at


def inclusion_proof(leaf_hashes: Sequence[bytes], *, index: int, tree_size: int) -> list[bytes]:
    """The audit path of leaf `index` in the tree of the first `tree_size` leaves (RFC 9162
    §2.1.3.1), nearest sibling first."""
    _check_tree(leaf_hashes, tree_size)
    return inclusion_proof_at(list_hash_at(leaf_hashes), index=index, tree_size=tree_size)


def inclusion_proof_at(hash_at: HashAt, *, index: int, tree_size: int) -> list[bytes]:
    """`inclusion_proof` from complete-subtree hashes (a tile store): O(log n) of them."""
    if not 0 <= index < tree_size:
        raise ValueError(f"leaf index {index} outside 0..{tree_size - 1}")
    proof: list[bytes] = []
    lo, hi, m = 0, tree_size, index
    # Walk down from the root; collect siblings, then return them bottom-up.
    while hi - lo > 1:
        k = _split(hi - lo)
        if m < k:
            proof.append(range_root(hash_at, lo + k, hi))
            hi = lo + k
        else:
            proof.append(range_root(hash_at, lo, lo + k))
            lo, m = lo + k, m - k
    proof.reverse()
    return proof


def verify_inclusion(leaf_hash: bytes, *, index: int, tree_size: int, proof: Sequence[bytes],
                     root: bytes) -> bool:
    """Whether `proof` shows `leaf_hash` at `index` in the tree of `tree_size` with hash `root`
    (RFC 9162 §2.1.3.2). Never raises on bad input; answers False."""
    if not 0 <= index < tree_size:
        return False
    if len(leaf_hash) != HASH_SIZE or len(root) != HASH_SIZE:
        return False
    if any(len(p) != HASH_SIZE for p in proof):
        return False
    fn, sn, r = index, tree_size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def consistency_proof(leaf_hashes: Sequence[bytes], *, first: int, second: int) -> list[bytes]:
    """The proof that the tree of size `first` is a prefix of the tree of size `second`
    (RFC 9162 §2.1.4.1). Empty when `first` is 0 or equal to `second`."""
    _check_tree(leaf_hashes, second)
    return consistency_proof_at(list_hash_at(leaf_hashes), first=first, second=second)


def consistency_proof_at(hash_at: HashAt, *, first: int, second: int) -> list[bytes]:
    """`consistency_proof` from complete-subtree hashes (a tile store)."""
    if not 0 <= first <= second:
        raise ValueError(f"first size {first} outside 0..{second}")
    if first in (0, second):
        return []
    proof: list[bytes] = []
    lo, hi, m, whole = 0, second, first, True
    # SUBPROOF(m, D[lo:hi], whole) of the RFC, unrolled; the path is built from the top down.
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            proof.append(range_root(hash_at, lo + k, hi))
            hi = lo + k
        else:
            proof.append(range_root(hash_at, lo, lo + k))
            lo, m, whole = lo + k, m - k, False
    if not whole:
        proof.append(range_root(hash_at, lo, hi))
    proof.reverse()
    return proof


def verify_consistency(*, first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """Whether `proof` shows the tree (`first`, `first_root`) is a prefix of the tree (`second`,
    `second_root`) (RFC 9162 §2.1.4.2). Sizes 0 and equal sizes need an empty proof (and for 0,
    the empty tree's hash; for equal sizes, equal roots). Never raises on bad input."""
    if not 0 <= first <= second:
        return False
    if len(first_root) != HASH_SIZE or len(second_root) != HASH_SIZE:
        return False
    if any(len(p) != HASH_SIZE for p in proof):
        return False
    if first == 0:
        return not proof and first_root == EMPTY_ROOT
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


# --- C2SP tlog-tiles -------------------------------------------------------------------------


def _encode_tile_index(index: int) -> str:
    """Zero-padded three-digit path elements, all but the last prefixed with "x"."""
    groups = []
    while True:
        groups.append(f"{index % 1000:03d}")
        index //= 1000
        if index == 0:
            break
    groups.reverse()
    return "/".join([*("x" + g for g in groups[:-1]), groups[-1]])


def tile_path(*, level: int | Literal["entries"], index: int, width: int | None = None) -> str:
    """The tlog-tiles resource path of a tile, relative to the log prefix: `tile/<L>/<N>` or
    `tile/entries/<N>`, with `.p/<W>` for a partial tile (width 1..255). Width None or 256 is a
    full tile."""
    if level != "entries" and (
            isinstance(level, bool) or not isinstance(level, int)
            or not 0 <= level <= MAX_TILE_LEVEL):
        raise ValueError(f"tile level must be 0..{MAX_TILE_LEVEL} or 'entries', not {level!r}")
    if index < 0:
        raise ValueError(f"tile index must not be negative: {index}")
    if width is not None and not 1 <= width <= TILE_WIDTH:
        raise ValueError(f"tile width must be 1..{TILE_WIDTH}: {width}")
    path = f"tile/{level}/{_encode_tile_index(index)}"
    if width is not None and width < TILE_WIDTH:
        path += f".p/{width}"
    return path


def parse_tile_index(text: str) -> int:
    """The tile index of a path such as `x001/x234/067` (ValueError if not in the spec's form)."""
    groups = text.split("/")
    if not groups or any(len(g) != 3 or not g.isdigit() for g in
                         [g.removeprefix("x") for g in groups[:-1]] + [groups[-1]]):
        raise ValueError(f"not a tile index: {text!r}")
    if any(not g.startswith("x") for g in groups[:-1]) or groups[-1].startswith("x"):
        raise ValueError(f"not a tile index: {text!r}")
    index = 0
    for g in groups:
        index = index * 1000 + int(g.removeprefix("x"))
    if len(groups) > 1 and groups[0] == "x000":
        raise ValueError(f"not the canonical tile index: {text!r}")
    return index


def tile_hashes(leaf_hashes: Sequence[bytes], *, level: int, index: int,
                width: int = TILE_WIDTH) -> bytes:
    """The bytes of tile `index` at `level`: the concatenated hashes
    MTH(D[(index·256 + i)·256^level : (index·256 + i + 1)·256^level]) for i in 0..width-1.

    Needs every leaf those subtrees cover, so a partial tile at level > 0 is built only from
    complete subtrees, as the spec requires."""
    if isinstance(level, bool) or not 0 <= level <= MAX_TILE_LEVEL:
        raise ValueError(f"tile level must be 0..{MAX_TILE_LEVEL}: {level!r}")
    if index < 0:
        raise ValueError(f"tile index must not be negative: {index}")
    if not 1 <= width <= TILE_WIDTH:
        raise ValueError(f"tile width must be 1..{TILE_WIDTH}: {width}")
    span = TILE_WIDTH**level  # leaves under one hash of this tile
    start = index * TILE_WIDTH * span
    end = start + width * span
    if end > len(leaf_hashes):
        raise ValueError(
            f"tile {level}/{index} of width {width} needs {end} leaves, have {len(leaf_hashes)}")
    if level == 0:
        return b"".join(leaf_hashes[start:end])
    return b"".join(root(leaf_hashes[s:s + span]) for s in range(start, end, span))


def entries_bundle(entries: Sequence[bytes]) -> bytes:
    """An entry bundle: each entry prefixed by its length as a big-endian uint16."""
    parts = []
    for n, entry in enumerate(entries):
        if len(entry) > MAX_ENTRY_SIZE:
            raise ValueError(f"entry {n} is {len(entry)} bytes; the most is {MAX_ENTRY_SIZE}")
        parts.append(len(entry).to_bytes(2, "big") + entry)
    return b"".join(parts)
