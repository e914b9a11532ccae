"""What an audit event puts into the log: leaf bytes that commit to the event without revealing
it. The leaf holds the format version, the action code, the time to the second and a salted
commitment SHA-256(salt ‖ payload) to the rest; payload and salt are kept beside the log and can
be erased when the retention period ends, and the tree still verifies."""

import base64
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

LEAF_FORMAT = "laget-audit-leaf/v1"
SALT_SIZE = 32


@dataclass(frozen=True)
class Sealed:
    leaf: bytes
    salt: bytes
    payload: bytes


def canonical_payload(fields: dict[str, Any]) -> bytes:
    """The event's fields as canonical JSON (sorted keys, no spaces, UTF-8)."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode("utf-8")


def commitment(*, salt: bytes, payload: bytes) -> bytes:
    return hashlib.sha256(salt + payload).digest()


def leaf_bytes(*, action: str, occurred_at: dt.datetime, commit: bytes) -> bytes:
    when = occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f"{LEAF_FORMAT}\n{action}\n{when}\n"
            f"{base64.b64encode(commit).decode('ascii')}\n").encode("ascii")


def leaf_commitment(leaf: bytes) -> bytes:
    """The commitment a leaf holds (ValueError if the leaf is not in this format)."""
    lines = leaf.decode("ascii").split("\n")
    if len(lines) != 5 or lines[0] != LEAF_FORMAT or lines[4] != "":
        raise ValueError("not a laget-audit-leaf/v1 leaf")
    return base64.b64decode(lines[3], validate=True)


def seal(*, action: str, occurred_at: dt.datetime, fields: dict[str, Any]) -> Sealed:
    salt = os.urandom(SALT_SIZE)
    payload = canonical_payload(fields)
    return Sealed(
        leaf=leaf_bytes(action=action, occurred_at=occurred_at,
                        commit=commitment(salt=salt, payload=payload)),
        salt=salt, payload=payload,
    )
