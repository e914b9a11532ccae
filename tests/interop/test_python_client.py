"""The served log checked the way a third-party client would, over real HTTP, with a client
written from the C2SP and RFC 9162 texts alone (tlogclient): fetch the key, verify the signed
checkpoint, fetch the tiles, recompute the root, check the entry bundles and the proof API."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from laget.audit import log
from laget.audit.models import AuditEvent, Tile
from tests.interop import tlogclient
from tests.interop.tlogclient import LogClient, VerificationError

# --- the client itself, against the specs' own examples -------------------------------------------


def test_tile_paths_and_shapes_are_the_specs():
    assert tlogclient.tile_index_path(1234067) == "x001/x234/067"
    assert tlogclient.tile_index_path(0) == "000"
    assert tlogclient.tile_index_path(1000) == "x001/000"
    assert tlogclient.tile_path(0, 5, 256) == "tile/0/005"
    assert tlogclient.tile_path("entries", 1234067, 7) == "tile/entries/x001/x234/067.p/7"
    # "a tree of size 70,000 will be represented by 273 full level 0 tiles, one partial level 0
    # tile of width 112, one full level 1 tile, one partial level 1 tile of width 17, and one
    # partial level 2 tile of width 1"
    tiles = tlogclient.tiles_for(70_000)
    assert [t for t in tiles if t[0] == 0] == [(0, n, 256) for n in range(273)] + [(0, 273, 112)]
    assert [t for t in tiles if t[0] > 0] == [(1, 0, 256), (1, 1, 17), (2, 0, 1)]
    # "a tree of size 256 will be represented by a full level 0 tile and a partial level 1 tile
    # of width 1"
    assert tlogclient.tiles_for(256) == [(0, 0, 256), (1, 0, 1)]


def test_the_clients_proofs_verify_and_catch_tampering():
    leaves = [tlogclient.leaf_hash(bytes([i])) for i in range(40)]
    tree = tlogclient.Tree(leaves)
    for size in range(1, 41):
        root = tree.mth(0, size)
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            assert tlogclient.verify_inclusion(index=index, size=size, leaf=leaves[index],
                                               proof=proof, root=root)
            assert not tlogclient.verify_inclusion(index=index, size=size, leaf=leaves[index - 1]
                                                   if size > 1 else b"x" * 32,
                                                   proof=proof, root=root)
        for first in range(1, size + 1):
            proof = tree.consistency_proof(first, size)
            assert tlogclient.verify_consistency(first=first, second=size, proof=proof,
                                                 first_root=tree.mth(0, first), second_root=root)
            if first < size:
                assert not tlogclient.verify_consistency(
                    first=first, second=size, proof=proof,
                    first_root=tree.mth(0, first - 1) if first > 1 else b"y" * 32,
                    second_root=root)


# --- the live log ---------------------------------------------------------------------------------


def _check_inclusion(client: LogClient, verified: tlogclient.Verified, index: int, size: int):
    answer = client.api(f"/api/v1/audit/proof/inclusion?leaf_index={index}&tree_size={size}")
    assert answer["leaf_index"] == index and answer["tree_size"] == size
    root = base64.b64decode(answer["root"], validate=True)
    proof = tlogclient.b64_list(answer["proof"])
    assert root == verified.tree.mth(0, size)
    assert proof == verified.tree.inclusion_proof(index, size)
    assert tlogclient.verify_inclusion(index=index, size=size, leaf=verified.tree.leaves[index],
                                       proof=proof, root=root)


def _check_consistency(client: LogClient, verified: tlogclient.Verified, first: int,
                       first_root: bytes):
    second = verified.checkpoint.size
    answer = client.api(f"/api/v1/audit/proof/consistency?first={first}&second={second}")
    assert answer["first"] == first and answer["second"] == second
    proof = tlogclient.b64_list(answer["proof"])
    assert proof == verified.tree.consistency_proof(first, second)
    assert tlogclient.verify_consistency(first=first, second=second, proof=proof,
                                         first_root=first_root,
                                         second_root=verified.checkpoint.root)


def test_a_third_party_client_verifies_the_served_log_as_it_grows(live_server, grow, settings):
    settings.LAGET_LOG_PUBLIC = True
    client = LogClient(live_server.url)
    verifier = client.verifier()
    assert f"{verifier.name}+" in log.verifier_key()  # the key the operator publishes
    seen: list[tlogclient.Verified] = []
    # sizes around the tile edges: a lone leaf, a tile short of full, full, one over, and two
    # full tiles plus a partial one under a partial level-1 tile
    for size in (1, 255, 256, 257, 520, 600):
        grow(size)
        verified = tlogclient.verify_log(client, verifier)
        cp = verified.checkpoint
        assert cp.size == size and cp.origin == settings.LAGET_LOG_ORIGIN
        for index in sorted({0, size // 2, size - 1, min(255, size - 1)}):
            _check_inclusion(client, verified, index, size)
        for earlier in seen:
            # append-only as this client saw it: the old entries are a prefix, the old
            # checkpoint is consistent with the new one, and old proofs are still served
            assert verified.leaves[:earlier.checkpoint.size] == earlier.leaves
            # and the tree of the old checkpoint can still be read and verified (partial tiles
            # from the full ones where the log has dropped them)
            assert tlogclient.verify_tree(client, earlier.checkpoint).leaves == earlier.leaves
            _check_consistency(client, verified, earlier.checkpoint.size, earlier.checkpoint.root)
            _check_inclusion(client, verified, earlier.checkpoint.size - 1,
                             earlier.checkpoint.size)
        _check_consistency(client, verified, size, cp.root)
        seen.append(verified)
    # "Logs MUST serve partial tiles corresponding to tree sizes for which a checkpoint was
    # produced" (until the full tile is there): size 520's are still partial at 600
    for path in ("/log/tile/0/002.p/8", "/log/tile/entries/002.p/8", "/log/tile/1/000.p/2"):
        assert client.fetch(path).status == 200, path


def test_the_served_formats_and_headers_are_the_specs(live_server, grow, settings):
    settings.LAGET_LOG_PUBLIC = True
    grow(600)
    client = LogClient(live_server.url)
    key = client.get("/log/key")
    assert key.headers["content-type"].startswith("text/plain")
    assert key.body.decode().count("\n") <= 1
    checkpoint = client.get("/log/checkpoint", content_type="text/plain;charset=utf-8")
    # mutable: no caching beyond a few seconds
    cache = checkpoint.headers.get("cache-control", "")
    assert "no-store" in cache or "no-cache" in cache or _max_age(cache) <= 10, cache
    for path in ("/log/tile/0/000", "/log/tile/entries/001"):
        full = client.get(path, content_type="application/octet-stream")
        # immutable: long-lived caching
        assert _max_age(full.headers.get("cache-control", "")) >= 86_400, full.headers
    client.get("/log/tile/0/002.p/88", content_type="application/octet-stream")
    client.get("/log/tile/1/000.p/2", content_type="application/octet-stream")
    client.get("/log/tile/entries/002.p/88", content_type="application/octet-stream")


def _max_age(cache_control: str) -> int:
    for part in cache_control.replace(" ", "").split(","):
        if part.startswith("max-age="):
            return int(part.removeprefix("max-age="))
    return -1


UNDEFINED_PATHS = [
    "/log/tile/0/2",  # not zero-padded
    "/log/tile/00/000",  # level with a leading zero
    "/log/tile/0/x000/001",  # a needless leading element
    "/log/tile/0/000.p/0",  # empty tiles are never served
    "/log/tile/0/000.p/256",  # a full tile has no .p
    "/log/tile/0/000.p/007x",
    "/log/tile/0/002",  # size 600: tile 2 is not full yet
    "/log/tile/0/002.p/89",  # wider than the tree
    "/log/tile/0/003.p/1",
    "/log/tile/1/000",
    "/log/tile/2/000.p/1",
    "/log/tile/64/000",
    "/log/tile/entries/002",
    "/log/tile/entries/002.p/89",
    "/log/tile/entries/003.p/1",
    "/log/tile/data/000",  # Go's checksum-database name for entries is not this spec's
    "/log/tile/8/0/000",  # nor is its path with the height in it
]

BAD_PROOF_QUESTIONS = [
    "inclusion?leaf_index=600&tree_size=600",
    "inclusion?leaf_index=0&tree_size=601",
    "inclusion?leaf_index=-1&tree_size=600",
    "inclusion?leaf_index=0&tree_size=0",
    "inclusion?leaf_index=abc&tree_size=600",
    "inclusion?tree_size=600",
    "consistency?first=601&second=600",
    "consistency?first=1&second=601",
    "consistency?first=-1&second=600",
    "consistency?first=1&second=x",
]


def test_the_server_serves_nothing_the_tree_does_not_hold(live_server, grow, settings):
    """Malformed or non-canonical tile paths, tiles the tree of size 600 does not have, and
    proof questions with no answer: a 4xx each, never data and never a 500."""
    settings.LAGET_LOG_PUBLIC = True
    grow(600)
    client = LogClient(live_server.url)
    answers = {path: client.fetch(path).status for path in UNDEFINED_PATHS}
    answers |= {query: client.fetch(f"/api/v1/audit/proof/{query}").status
                for query in BAD_PROOF_QUESTIONS}
    assert {key: status for key, status in answers.items() if not 400 <= status < 500} == {}


def test_a_witness_needs_a_token_unless_the_log_is_public(live_server, grow, settings):
    settings.LAGET_LOG_PUBLIC = False
    settings.LAGET_LOG_WITNESS_TOKENS = ["witness-token-for-tests"]
    grow(300)
    assert LogClient(live_server.url).fetch("/log/key").status == 200  # a public key
    paths = ["/log/checkpoint", "/log/tile/0/000", "/log/tile/entries/001.p/44",
             "/api/v1/audit/proof/inclusion?leaf_index=0&tree_size=300",
             "/api/v1/audit/proof/consistency?first=1&second=300"]
    for token in (None, "wrong-token"):
        client = LogClient(live_server.url, token=token)
        for path in paths:
            assert client.fetch(path).status in (401, 403), (token, path)
    witness = LogClient(live_server.url, token="witness-token-for-tests")
    for path in paths:
        response = witness.fetch(path)
        assert response.status == 200, path
        # RFC 9111 §3.5: "public" lets a shared cache (a proxy, a CDN) store an answer to a
        # request with Authorization and hand it to anyone; a closed log must not say it
        assert "public" not in response.headers.get("cache-control", ""), (path, response.headers)
    verified = tlogclient.verify_log(witness, witness.verifier())
    assert verified.checkpoint.size == 300


def test_the_client_rejects_a_checkpoint_signed_by_another_key(live_server, grow, settings):
    settings.LAGET_LOG_PUBLIC = True
    grow(3)
    client = LogClient(live_server.url)
    verifier = client.verifier()
    note = client.get("/log/checkpoint").body.decode()
    assert tlogclient.open_note(note, verifier)
    stranger = tlogclient.Verifier(name=verifier.name, key_id=verifier.key_id,
                                   public_key=Ed25519PrivateKey.generate().public_key())
    with pytest.raises(VerificationError, match="does not verify"):
        tlogclient.open_note(note, stranger)
    text, _, signatures = note.rpartition("\n\n")
    forged = text.replace("\n3\n", "\n4\n") + "\n\n" + signatures
    with pytest.raises(VerificationError):
        tlogclient.open_note(forged, verifier)


def test_the_client_notices_tampering(live_server, grow, settings):
    settings.LAGET_LOG_PUBLIC = True
    grow(600)
    client = LogClient(live_server.url)
    verifier = client.verifier()
    tlogclient.verify_log(client, verifier)

    def flipped(data: bytes, at: int) -> bytes:
        changed = bytearray(data)
        changed[at] ^= 0x01
        return bytes(changed)

    tile = Tile.objects.get(level=0, index=1)
    event = AuditEvent.objects.get(log_index=300)
    for model, pk, field, original in ((Tile, tile.pk, "hashes", bytes(tile.hashes)),
                                       (AuditEvent, event.pk, "leaf", bytes(event.leaf))):
        model.objects.filter(pk=pk).update(**{field: flipped(original, 40)})
        try:
            with pytest.raises(VerificationError):
                tlogclient.verify_log(client, verifier)
        finally:
            model.objects.filter(pk=pk).update(**{field: original})
    tlogclient.verify_log(client, verifier)
