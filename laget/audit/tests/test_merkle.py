"""The Merkle tree core of the audit log: known answers, a naive second implementation straight
from RFC 6962 §2.1, proof properties, and the C2SP tlog-tiles layout. No database."""

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laget.audit import merkle

# --- a second, deliberately naive implementation (RFC 6962 §2.1, recursive) ------------------


def naive_leaf(data: bytes) -> bytes:
    return hashlib.sha256(bytes([0]) + data).digest()


def naive_largest_power_below(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def naive_mth(d: list[bytes]) -> bytes:
    """MTH over the *entries* d (not leaf hashes), exactly as RFC 6962 §2.1 writes it."""
    if len(d) == 0:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return naive_leaf(d[0])
    k = naive_largest_power_below(len(d))
    return hashlib.sha256(bytes([1]) + naive_mth(d[:k]) + naive_mth(d[k:])).digest()


def naive_path(m: int, d: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1."""
    if len(d) == 1:
        return []
    k = naive_largest_power_below(len(d))
    if m < k:
        return [*naive_path(m, d[:k]), naive_mth(d[k:])]
    return [*naive_path(m - k, d[k:]), naive_mth(d[:k])]


def naive_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) of RFC 6962 §2.1.2."""
    n = len(d)
    if m == n:
        return [] if b else [naive_mth(d)]
    k = naive_largest_power_below(n)
    if m <= k:
        return [*naive_subproof(m, d[:k], b), naive_mth(d[k:])]
    return [*naive_subproof(m - k, d[k:], False), naive_mth(d[:k])]


# --- known answers: the RFC 6962 test tree of transparency-dev/merkle (testonly/constants.go) -

LEAF_INPUTS = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f")]
ROOTS = [bytes.fromhex(h) for h in (
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
)]
LEAF_HASHES = [merkle.leaf_hash(x) for x in LEAF_INPUTS]


def _hexes(*values: str) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


# (index, tree size, proof) — the vectors use 1-based leaf numbers; converted to indexes here.
INCLUSION_VECTORS = [
    (0, 1, []),
    (0, 8, _hexes("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
    (5, 8, _hexes("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
    (2, 3, _hexes("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
    (1, 5, _hexes("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
]

CONSISTENCY_VECTORS = [
    (1, 1, []),
    (1, 8, _hexes("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
    (6, 8, _hexes("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
    (2, 5, _hexes("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
    (6, 7, _hexes("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                  "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
]


def test_hash_primitives():
    assert merkle.leaf_hash(b"") == bytes.fromhex(
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    assert merkle.node_hash(b"L" * 32, b"R" * 32) == hashlib.sha256(
        b"\x01" + b"L" * 32 + b"R" * 32).digest()
    assert merkle.root([]) == merkle.EMPTY_ROOT == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("size", range(len(ROOTS)))
def test_roots_known_answers(size):
    assert merkle.root(LEAF_HASHES[:size]) == ROOTS[size]
    assert naive_mth(LEAF_INPUTS[:size]) == ROOTS[size]


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION_VECTORS)
def test_inclusion_known_answers(index, size, proof):
    assert merkle.inclusion_proof(LEAF_HASHES, index=index, tree_size=size) == proof
    assert merkle.verify_inclusion(LEAF_HASHES[index], index=index, tree_size=size,
                                   proof=proof, root=ROOTS[size])


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY_VECTORS)
def test_consistency_known_answers(first, second, proof):
    assert merkle.consistency_proof(LEAF_HASHES, first=first, second=second) == proof
    assert merkle.verify_consistency(first=first, second=second, first_root=ROOTS[first],
                                     second_root=ROOTS[second], proof=proof)


# --- properties --------------------------------------------------------------------------------

entries = st.lists(st.binary(max_size=12), max_size=70)
# Distinct entries: with equal leaves another index would rightly verify too.
nonempty_entries = st.lists(st.binary(max_size=12), min_size=1, max_size=70, unique=True)


def _flip(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1:]


@given(entries)
def test_root_agrees_with_naive_implementation(d):
    assert merkle.root([merkle.leaf_hash(x) for x in d]) == naive_mth(d)


@given(nonempty_entries, st.data())
def test_every_inclusion_proof_verifies_and_any_change_fails(d, data):
    leaves = [merkle.leaf_hash(x) for x in d]
    size = data.draw(st.integers(1, len(d)), label="tree size")
    index = data.draw(st.integers(0, size - 1), label="index")
    top = merkle.root(leaves[:size])
    proof = merkle.inclusion_proof(leaves, index=index, tree_size=size)
    assert proof == naive_path(index, d[:size])
    assert merkle.verify_inclusion(leaves[index], index=index, tree_size=size, proof=proof,
                                   root=top)

    def ok(leaf=leaves[index], i=index, n=size, p=proof, r=top):
        return merkle.verify_inclusion(leaf, index=i, tree_size=n, proof=p, root=r)

    byte = data.draw(st.integers(0, 31), label="byte")
    assert not ok(leaf=_flip(leaves[index], byte))
    assert not ok(r=_flip(top, byte))
    if proof:
        k = data.draw(st.integers(0, len(proof) - 1), label="proof element")
        assert not ok(p=[*proof[:k], _flip(proof[k], byte), *proof[k + 1:]])
        assert not ok(p=proof[:-1])
    assert not ok(p=[*proof, top])
    other = data.draw(st.integers(0, size), label="other index")
    if other != index:
        assert not ok(i=other)
    # (Another tree size with the same root is not checked: the signed checkpoint binds the
    # size, and RFC 9162 verification alone cannot tell some sizes apart.)
    assert not ok(n=0)


@given(nonempty_entries, st.data())
def test_every_consistency_proof_verifies_and_any_change_fails(d, data):
    leaves = [merkle.leaf_hash(x) for x in d]
    second = data.draw(st.integers(1, len(d)), label="second")
    first = data.draw(st.integers(0, second), label="first")
    r1, r2 = merkle.root(leaves[:first]), merkle.root(leaves[:second])
    proof = merkle.consistency_proof(leaves, first=first, second=second)
    if 0 < first < second:
        assert proof == naive_subproof(first, d[:second], True)
    else:
        assert proof == []

    def ok(m=first, n=second, a=r1, b=r2, p=proof):
        return merkle.verify_consistency(first=m, second=n, first_root=a, second_root=b, proof=p)

    assert ok()
    byte = data.draw(st.integers(0, 31), label="byte")
    assert not ok(a=_flip(r1, byte))
    if first:  # every tree is consistent with the empty one, whatever its root
        assert not ok(b=_flip(r2, byte))
    if proof:
        k = data.draw(st.integers(0, len(proof) - 1), label="proof element")
        assert not ok(p=[*proof[:k], _flip(proof[k], byte), *proof[k + 1:]])
        assert not ok(p=proof[:-1])
    assert not ok(p=[*proof, r2])
    assert not ok(m=second + 1)


def test_verify_rejects_wrong_lengths_and_bad_ranges():
    assert not merkle.verify_inclusion(LEAF_HASHES[0][:31], index=0, tree_size=1, proof=[],
                                       root=ROOTS[1])
    assert not merkle.verify_inclusion(LEAF_HASHES[0], index=-1, tree_size=1, proof=[],
                                       root=ROOTS[1])
    proof = merkle.consistency_proof(LEAF_HASHES, first=3, second=7)
    assert not merkle.verify_consistency(first=3, second=7, first_root=ROOTS[3],
                                         second_root=ROOTS[7], proof=[p[:31] for p in proof])
    assert not merkle.verify_consistency(first=7, second=3, first_root=ROOTS[7],
                                         second_root=ROOTS[3], proof=[])
    assert not merkle.verify_consistency(first=3, second=7, first_root=ROOTS[3],
                                         second_root=ROOTS[7], proof=[])
    with pytest.raises(ValueError, match="leaf index"):
        merkle.inclusion_proof(LEAF_HASHES, index=3, tree_size=3)
    with pytest.raises(ValueError, match="tree size"):
        merkle.inclusion_proof(LEAF_HASHES, index=0, tree_size=9)
    with pytest.raises(ValueError, match="first size"):
        merkle.consistency_proof(LEAF_HASHES, first=5, second=4)


# --- C2SP tlog-tiles ---------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "index", "width", "path"), [
    (0, 0, None, "tile/0/000"),
    (0, 1, 256, "tile/0/001"),
    (1, 999, None, "tile/1/999"),
    (0, 1000, None, "tile/0/x001/000"),
    (0, 1234, None, "tile/0/x001/234"),
    (0, 1234, 7, "tile/0/x001/234.p/7"),
    (0, 1234067, None, "tile/0/x001/x234/067"),  # the spec's own example
    (2, 1_000_000, 1, "tile/2/x001/x000/000.p/1"),
    (63, 5, 255, "tile/63/005.p/255"),
    ("entries", 0, None, "tile/entries/000"),
    ("entries", 1234, 112, "tile/entries/x001/234.p/112"),
])
def test_tile_paths(level, index, width, path):
    assert merkle.tile_path(level=level, index=index, width=width) == path


@pytest.mark.parametrize(("level", "index", "width"), [
    (64, 0, None), (-1, 0, None), ("leaves", 0, None), (True, 0, None),
    (0, -1, None), (0, 0, 0), (0, 0, 257),
])
def test_tile_path_rejects(level, index, width):
    with pytest.raises(ValueError):
        merkle.tile_path(level=level, index=index, width=width)


@pytest.fixture(scope="module")
def big_tree():
    """256·256 + 300 leaf hashes: one full level-1 tile and a little more."""
    return [merkle.leaf_hash(n.to_bytes(4, "big")) for n in range(256 * 256 + 300)]


def test_level_zero_tiles_are_leaf_hashes(big_tree):
    tile = merkle.tile_hashes(big_tree, level=0, index=3)
    assert tile == b"".join(big_tree[768:1024])
    assert len(tile) == 256 * 32 == 8192
    assert merkle.tile_hashes(big_tree, level=0, index=256, width=44) == b"".join(
        big_tree[65536:65580])


def test_level_one_tile_holds_roots_of_level_zero_tiles(big_tree):
    tile = merkle.tile_hashes(big_tree, level=1, index=0)
    hashes = [tile[i:i + 32] for i in range(0, len(tile), 32)]
    assert len(hashes) == 256
    assert hashes[5] == merkle.root(big_tree[5 * 256:6 * 256])
    level0 = merkle.tile_hashes(big_tree, level=0, index=5)
    assert hashes[5] == merkle.root([level0[i:i + 32] for i in range(0, 8192, 32)])
    # A full tile is the whole subtree of height 8 over its hashes: its root is the tree's.
    assert merkle.root(hashes) == naive_mth([n.to_bytes(4, "big") for n in range(65536)])
    # A partial level-1 tile covers only complete level-0 tiles.
    assert merkle.tile_hashes(big_tree, level=1, index=1, width=1) == merkle.root(
        big_tree[65536:65792])


def test_tile_hashes_need_all_covered_leaves(big_tree):
    with pytest.raises(ValueError, match="needs"):
        merkle.tile_hashes(big_tree, level=1, index=1, width=2)
    with pytest.raises(ValueError, match="width"):
        merkle.tile_hashes(big_tree, level=0, index=0, width=0)


def test_entries_bundle():
    assert merkle.entries_bundle([]) == b""
    assert merkle.entries_bundle([b"", b"ab", b"x" * 300]) == (
        b"\x00\x00" + b"\x00\x02ab" + b"\x01\x2c" + b"x" * 300)
    assert merkle.entries_bundle([b"y" * 0xFFFF])[:2] == b"\xff\xff"
    with pytest.raises(ValueError, match="entry 1"):
        merkle.entries_bundle([b"", b"z" * 0x10000])


@given(st.lists(st.binary(max_size=40), max_size=20))
def test_entries_bundle_parses_back_and_hashes_to_level_zero_tile(d):
    bundle = merkle.entries_bundle(d)
    parsed, pos = [], 0
    while pos < len(bundle):
        n = int.from_bytes(bundle[pos:pos + 2], "big")
        parsed.append(bundle[pos + 2:pos + 2 + n])
        pos += 2 + n
    assert parsed == d
    leaves = [merkle.leaf_hash(x) for x in d]
    if d:
        assert merkle.tile_hashes(leaves, level=0, index=0, width=len(d)) == b"".join(
            merkle.leaf_hash(x) for x in parsed)
