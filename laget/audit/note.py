"""Signed checkpoints for the audit transparency log (DESIGN.md §4, «notoritet»).

C2SP signed-note@v1 with Ed25519 signatures (signature type 0x01), the C2SP tlog-checkpoint@v1
note body, and the text forms of keys used by the Go `golang.org/x/mod/sumdb/note` package and the
transparency-log tools built on it:

- verifier key: `<name>+<key id as 8 hex digits>+<base64(0x01 ‖ 32-byte public key)>`
- signer key: `PRIVATE+KEY+<name>+<key id>+<base64(0x01 ‖ 32-byte private key seed)>`

Key id = the first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key). A note is its body
(text ending in a newline), a blank line, and signature lines `— <name> <base64(key id ‖ sig)>`.
Pure functions, no database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG_ED25519 = 0x01
KEY_ID_SIZE = 4
ED25519_KEY_SIZE = 32
ED25519_SIGNATURE_SIZE = 64
SIGNATURE_PREFIX = "\u2014 "  # em dash, space
SIGNER_KEY_PREFIX = "PRIVATE+KEY+"
MAX_SIGNATURES = 100  # the spec asks verifiers to accept at least 16
HASH_SIZE = 32


class NoteError(ValueError):
    """A note, key or checkpoint that cannot be trusted; the message says why."""


class MalformedNoteError(NoteError):
    """The text is not a signed note (or key, or checkpoint) of the expected form."""


class InvalidSignatureError(NoteError):
    """A signature by the trusted key is present but does not verify."""


class UnverifiedNoteError(NoteError):
    """No signature by the trusted key is present."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    """Strict standard base64: the canonical encoding only (so no two texts mean the same)."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise MalformedNoteError(f"{what} is not valid base64") from exc
    if _b64(data) != text:
        raise MalformedNoteError(f"{what} is not canonical base64")
    return data


def _check_name(name: str) -> None:
    if not name or any(ch == "+" or ch.isspace() for ch in name):
        raise MalformedNoteError(f"invalid key name {name!r}: must be non-empty, without spaces "
                                 "or '+'")


def _public_bytes(public_key: Ed25519PublicKey | bytes) -> bytes:
    if isinstance(public_key, Ed25519PublicKey):
        return public_key.public_bytes_raw()
    if len(public_key) != ED25519_KEY_SIZE:
        raise MalformedNoteError(f"an Ed25519 public key is {ED25519_KEY_SIZE} bytes, "
                                 f"not {len(public_key)}")
    return bytes(public_key)


def key_id(*, name: str, public_key: Ed25519PublicKey | bytes) -> bytes:
    """The 4-byte key id: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]."""
    _check_name(name)
    material = name.encode() + b"\n" + bytes([ALG_ED25519]) + _public_bytes(public_key)
    return hashlib.sha256(material).digest()[:KEY_ID_SIZE]


def verifier_key(*, name: str, public_key: Ed25519PublicKey | bytes) -> str:
    """`<name>+<hex key id>+<base64(0x01 ‖ public key)>`."""
    raw = _public_bytes(public_key)
    kid = key_id(name=name, public_key=raw)
    return f"{name}+{kid.hex()}+{_b64(bytes([ALG_ED25519]) + raw)}"


def signer_key(*, name: str, private_key: Ed25519PrivateKey) -> str:
    """`PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 ‖ private key seed)>` (a secret)."""
    kid = key_id(name=name, public_key=private_key.public_key())
    seed = private_key.private_bytes_raw()
    return f"{SIGNER_KEY_PREFIX}{name}+{kid.hex()}+{_b64(bytes([ALG_ED25519]) + seed)}"


def _split_key(text: str, what: str) -> tuple[str, bytes, bytes]:
    """name, key id, key bytes (without the algorithm byte) of `<name>+<hex id>+<base64>`."""
    parts = text.split("+", 2)
    if len(parts) != 3:
        raise MalformedNoteError(f"{what} is not of the form <name>+<key id>+<key>")
    name, kid_hex, key_b64 = parts
    _check_name(name)
    if len(kid_hex) != 2 * KEY_ID_SIZE or any(ch not in "0123456789abcdefABCDEF"
                                               for ch in kid_hex):
        raise MalformedNoteError(f"{what} key id must be 8 hexadecimal digits")
    data = _unb64(key_b64, f"{what} key")
    if len(data) != 1 + ED25519_KEY_SIZE or data[0] != ALG_ED25519:
        raise MalformedNoteError(f"{what} is not an Ed25519 key (type 0x01, 32 bytes)")
    return name, bytes.fromhex(kid_hex), data[1:]


def parse_verifier_key(vkey: str) -> tuple[str, bytes, Ed25519PublicKey]:
    """(name, key id, public key) of a verifier key; its key id must match its name and key."""
    name, kid, raw = _split_key(vkey, "verifier key")
    if key_id(name=name, public_key=raw) != kid:
        raise MalformedNoteError("verifier key id does not match its name and key")
    try:
        public_key = Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise MalformedNoteError("verifier key is not a valid Ed25519 public key") from exc
    return name, kid, public_key


def parse_signer_key(skey: str) -> tuple[str, Ed25519PrivateKey]:
    """(name, private key) of a signer key; its key id must match the derived public key."""
    if not skey.startswith(SIGNER_KEY_PREFIX):
        raise MalformedNoteError(f"signer key must start with {SIGNER_KEY_PREFIX!r}")
    name, kid, seed = _split_key(skey[len(SIGNER_KEY_PREFIX):], "signer key")
    private_key = Ed25519PrivateKey.from_private_bytes(seed)
    if key_id(name=name, public_key=private_key.public_key()) != kid:
        raise MalformedNoteError("signer key id does not match its name and key")
    return name, private_key


def checkpoint_body(*, origin: str, size: int, root: bytes) -> str:
    """The tlog-checkpoint@v1 note text: origin, decimal tree size, base64 root hash, each
    followed by a newline (no extension lines)."""
    if not origin or "\n" in origin or any(ord(ch) < 0x20 for ch in origin):
        raise MalformedNoteError("checkpoint origin must be one non-empty line")
    if isinstance(size, bool) or size < 0:
        raise MalformedNoteError(f"checkpoint size must be a non-negative integer: {size!r}")
    if len(root) != HASH_SIZE:
        raise MalformedNoteError(f"checkpoint root hash must be {HASH_SIZE} bytes")
    return f"{origin}\n{size}\n{_b64(root)}\n"


def parse_checkpoint(body: str) -> Checkpoint:
    """Origin, size and root hash of a checkpoint body (extension lines are allowed, ignored)."""
    if not body.endswith("\n"):
        raise MalformedNoteError("checkpoint must end with a newline")
    lines = body[:-1].split("\n")
    if len(lines) < 3 or any(not line for line in lines):
        raise MalformedNoteError("checkpoint must have at least three non-empty lines")
    origin, size_text, root_text = lines[:3]
    if not size_text.isascii() or not size_text.isdigit() or (
            size_text != "0" and size_text.startswith("0")):
        raise MalformedNoteError("checkpoint size must be decimal without leading zeroes")
    root = _unb64(root_text, "checkpoint root hash")
    if len(root) != HASH_SIZE:
        raise MalformedNoteError(f"checkpoint root hash must be {HASH_SIZE} bytes")
    return Checkpoint(origin=origin, size=int(size_text), root=root)


def _check_text(text: str, what: str) -> None:
    if any(ord(ch) < 0x20 and ch != "\n" for ch in text):
        raise MalformedNoteError(f"{what} contains a control character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates
        raise MalformedNoteError(f"{what} is not valid UTF-8") from exc


def sign_note(body: str, *, name: str, private_key: Ed25519PrivateKey) -> str:
    """The signed note: `body`, a blank line, and one Ed25519 signature line by `name`."""
    if not body.endswith("\n"):
        raise MalformedNoteError("note text must end with a newline")
    _check_text(body, "note text")
    kid = key_id(name=name, public_key=private_key.public_key())
    signature = private_key.sign(body.encode("utf-8"))
    return f"{body}\n{SIGNATURE_PREFIX}{name} {_b64(kid + signature)}\n"


def open_note(text: str, *, verifier: str) -> str:
    """The body of `text` if it carries a valid signature by the key `verifier` (a verifier
    key string). Signatures by other keys are ignored; a bad signature by this key, a malformed
    note, or no signature by this key raises a `NoteError` saying which."""
    name, kid, public_key = parse_verifier_key(verifier)
    _check_text(text, "note")
    if not text.endswith("\n"):
        raise MalformedNoteError("note must end with a newline")
    split = text.rfind("\n\n")
    if split < 0:
        raise MalformedNoteError("note has no blank line before its signatures")
    body, signature_block = text[:split + 1], text[split + 2:]
    lines = signature_block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNoteError(f"note has more than {MAX_SIGNATURES} signatures")
    verified = False
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise MalformedNoteError(f"not a signature line: {line[:40]!r}")
        fields = line[len(SIGNATURE_PREFIX):].split(" ")
        if len(fields) != 2:
            raise MalformedNoteError(f"not a signature line: {line[:40]!r}")
        signer, sig_b64 = fields
        _check_name(signer)
        data = _unb64(sig_b64, f"signature by {signer}")
        if len(data) <= KEY_ID_SIZE:
            raise MalformedNoteError(f"signature by {signer} is too short")
        if signer != name or data[:KEY_ID_SIZE] != kid:
            continue  # another key: ignored, as the spec requires
        try:
            if len(data) != KEY_ID_SIZE + ED25519_SIGNATURE_SIZE:
                raise InvalidSignature
            public_key.verify(data[KEY_ID_SIZE:], body.encode("utf-8"))
        except InvalidSignature:
            raise InvalidSignatureError(
                f"invalid signature for key {name}+{kid.hex()}") from None
        verified = True
    if not verified:
        raise UnverifiedNoteError(f"note has no signature by key {name}+{kid.hex()}")
    return body
