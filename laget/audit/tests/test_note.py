"""Signed notes and checkpoints of the audit log: the Go `sumdb/note` known answers, key formats,
round trips and tampering. No database."""

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from laget.audit import merkle, note

# Known answers from golang.org/x/mod/sumdb/note (note_test.go): keys, text and signatures.
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = ("If you think cryptography is the answer to your problem,\n"
        "then you don't know what your problem is.\n")
PETER_SIG = ("\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNX"
             "gKvqfqdngotpRZb6KE6RyyBwJnAM=\n")
ENOCH_SIG = ("\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG"
             "01oOTGwnWLox33WWd1RvMc+QQ=\n")

SEED = bytes(range(32))


def test_go_known_answer_keys():
    name, private_key = note.parse_signer_key(PETER_SKEY)
    assert name == "PeterNeumann"
    assert note.verifier_key(name=name, public_key=private_key.public_key()) == PETER_VKEY
    assert note.signer_key(name=name, private_key=private_key) == PETER_SKEY
    assert note.key_id(name=name, public_key=private_key.public_key()).hex() == "c74f20a3"
    vname, kid, public_key = note.parse_verifier_key(PETER_VKEY)
    assert (vname, kid.hex()) == ("PeterNeumann", "c74f20a3")
    assert public_key.public_bytes_raw() == private_key.public_key().public_bytes_raw()


def test_go_known_answer_signature():
    """Ed25519 is deterministic: the same key and text give Go's exact signed note."""
    name, private_key = note.parse_signer_key(PETER_SKEY)
    signed = note.sign_note(TEXT, name=name, private_key=private_key)
    assert signed == TEXT + "\n" + PETER_SIG
    assert note.open_note(signed, verifier=PETER_VKEY) == TEXT


def test_signatures_by_other_keys_are_ignored():
    signed = TEXT + "\n" + PETER_SIG + ENOCH_SIG
    assert note.open_note(signed, verifier=PETER_VKEY) == TEXT
    assert note.open_note(signed, verifier=ENOCH_VKEY) == TEXT
    with pytest.raises(note.UnverifiedNoteError, match="no signature by key EnochRoot"):
        note.open_note(TEXT + "\n" + PETER_SIG, verifier=ENOCH_VKEY)


def test_key_id_and_verifier_key_format():
    key = Ed25519PrivateKey.from_private_bytes(SEED)
    raw = key.public_key().public_bytes_raw()
    kid = note.key_id(name="laget.example/audit", public_key=raw)
    assert kid == hashlib.sha256(b"laget.example/audit\n\x01" + raw).digest()[:4]
    vkey = note.verifier_key(name="laget.example/audit", public_key=key.public_key())
    name, kid_hex, key_b64 = vkey.split("+", 2)
    assert name == "laget.example/audit"
    assert kid_hex == kid.hex() and len(kid_hex) == 8
    assert base64.b64decode(key_b64) == b"\x01" + raw
    skey = note.signer_key(name="laget.example/audit", private_key=key)
    assert skey == f"PRIVATE+KEY+laget.example/audit+{kid.hex()}+" + base64.b64encode(
        b"\x01" + SEED).decode()
    assert note.parse_signer_key(skey)[1].private_bytes_raw() == SEED


@pytest.mark.parametrize("name", ["", "a b", "a+b", "a\tb", "a\u00a0b"])
def test_key_names_without_spaces_or_plus(name):
    with pytest.raises(note.MalformedNoteError, match="key name"):
        note.key_id(name=name, public_key=bytes(32))


@pytest.mark.parametrize("vkey", [
    "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong id
    "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # short id
    "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # unknown algorithm
    "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",  # length
    "PeterNeumann+c74f20a3",
    "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW=",
])
def test_bad_verifier_keys(vkey):
    with pytest.raises(note.MalformedNoteError):
        note.parse_verifier_key(vkey)


def test_bad_signer_keys():
    with pytest.raises(note.MalformedNoteError, match="PRIVATE"):
        note.parse_signer_key(PETER_VKEY)
    with pytest.raises(note.MalformedNoteError, match="does not match"):
        note.parse_signer_key(PETER_SKEY.replace("c74f20a3", "c74f20a4"))


def test_checkpoint_body_and_parse():
    top = merkle.root([merkle.leaf_hash(b"a"), merkle.leaf_hash(b"b")])
    body = note.checkpoint_body(origin="laget.example/audit", size=2, root=top)
    assert body == f"laget.example/audit\n2\n{base64.b64encode(top).decode()}\n"
    assert note.parse_checkpoint(body) == note.Checkpoint("laget.example/audit", 2, top)
    assert note.checkpoint_body(origin="o", size=0, root=merkle.EMPTY_ROOT) == (
        "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
    # The example of the tlog-checkpoint spec, with its extension-free body.
    spec = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    assert note.parse_checkpoint(spec).size == 20852163
    assert note.parse_checkpoint(spec + "extension line\n").origin == "example.com/behind-the-sofa"


@pytest.mark.parametrize("body", [
    "o\n2\nAAAA\n",  # short root
    "o\n02\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",  # leading zero
    "o\n-2\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
    "o\n2\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",  # no final newline
    "o\n2\n",
    "\n2\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",  # empty origin
    "o\n2\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n",  # empty extension line
])
def test_bad_checkpoints(body):
    with pytest.raises(note.MalformedNoteError):
        note.parse_checkpoint(body)


def test_checkpoint_body_rejects():
    with pytest.raises(note.MalformedNoteError):
        note.checkpoint_body(origin="a\nb", size=1, root=merkle.EMPTY_ROOT)
    with pytest.raises(note.MalformedNoteError):
        note.checkpoint_body(origin="o", size=-1, root=merkle.EMPTY_ROOT)
    with pytest.raises(note.MalformedNoteError):
        note.checkpoint_body(origin="o", size=1, root=b"short")


lines = st.text(st.characters(min_codepoint=0x20, exclude_categories=["Cs"]), max_size=30)


@given(st.binary(min_size=32, max_size=32), st.lists(lines, min_size=1, max_size=5),
       st.sampled_from(["laget.example/audit", "EnochRoot", "æøå.example"]))
def test_round_trip(seed, body_lines, name):
    key = Ed25519PrivateKey.from_private_bytes(seed)
    body = "\n".join(body_lines) + "\n"
    signed = note.sign_note(body, name=name, private_key=key)
    vkey = note.verifier_key(name=name, public_key=key.public_key())
    assert note.open_note(signed, verifier=vkey) == body


@given(st.integers(min_value=0, max_value=2**63), st.binary(min_size=32, max_size=32))
def test_signed_checkpoint_round_trip(size, top):
    key = Ed25519PrivateKey.from_private_bytes(SEED)
    body = note.checkpoint_body(origin="laget.example/audit", size=size, root=top)
    signed = note.sign_note(body, name="laget.example/audit", private_key=key)
    vkey = note.verifier_key(name="laget.example/audit", public_key=key.public_key())
    assert note.parse_checkpoint(note.open_note(signed, verifier=vkey)) == note.Checkpoint(
        "laget.example/audit", size, top)


def _replace(text: str, position: int, char: str) -> str:
    return text[:position] + char + text[position + 1:]


def test_any_changed_character_is_rejected():
    """Every position of a signed checkpoint, changed: body, blank line, name, signature."""
    key = Ed25519PrivateKey.from_private_bytes(SEED)
    body = note.checkpoint_body(origin="laget.example/audit", size=5, root=bytes(range(32)))
    signed = note.sign_note(body, name="laget.example/audit", private_key=key)
    vkey = note.verifier_key(name="laget.example/audit", public_key=key.public_key())
    for position, char in enumerate(signed):
        for other in {"A", "0", "\n", " "} - {char}:
            tampered = _replace(signed, position, other)
            with pytest.raises(note.NoteError):
                note.open_note(tampered, verifier=vkey)


def test_bad_signature_by_the_trusted_key():
    bad = PETER_SIG[:60] + "ABCD" + PETER_SIG[64:]
    with pytest.raises(note.InvalidSignatureError, match="PeterNeumann\\+c74f20a3"):
        note.open_note(TEXT + "\n" + bad, verifier=PETER_VKEY)
    with pytest.raises(note.InvalidSignatureError):
        note.open_note("Other text.\n\n" + PETER_SIG, verifier=PETER_VKEY)


@pytest.mark.parametrize("text", [
    TEXT,
    TEXT + "\n",
    TEXT + "\n" + PETER_SIG[:-1],
    "\x01" + TEXT + "\n" + PETER_SIG,
    TEXT.replace("\n", "\r\n") + "\n" + PETER_SIG,
    TEXT + "\n" + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFY"
                  "C2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
    TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
    TEXT + "\n" + PETER_SIG.replace("\u2014", "-"),
    TEXT + "\n" + PETER_SIG * 101,
    TEXT + "\n" + "\u2014 PeterNeumann AAAA\n",
])
def test_malformed_notes(text):
    with pytest.raises(note.MalformedNoteError):
        note.open_note(text, verifier=PETER_VKEY)


def test_sign_note_rejects_bad_text():
    _name, key = note.parse_signer_key(PETER_SKEY)
    with pytest.raises(note.MalformedNoteError, match="newline"):
        note.sign_note("abc", name="PeterNeumann", private_key=key)
    with pytest.raises(note.MalformedNoteError, match="control"):
        note.sign_note("a\tb\n", name="PeterNeumann", private_key=key)
    with pytest.raises(note.MalformedNoteError, match="key name"):
        note.sign_note(TEXT, name="Peter+Neumann", private_key=key)
