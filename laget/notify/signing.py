"""The one HMAC signature scheme of notify's HTTP traffic, both ways: the SMS gateway's delivery
receipts to Laget (laget.notify.receipts) and Laget's webhooks to agencies' systems
(laget.notify.channels). The header is `Laget-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`,
each `v1` the HMAC-SHA256 under one shared secret of `"<t>."` followed by the raw body; several
`v1` values are sent or accepted while a secret is being rotated."""

import hashlib
import hmac

HEADER = "Laget-Signature"


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The `v1` value for a body sent at `timestamp`."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def header_value(*, secrets: list[str], body: bytes, timestamp: int) -> str:
    return ",".join([f"t={timestamp}",
                     *(f"v1={signature(secret=s, timestamp=timestamp, body=body)}"
                       for s in secrets)])


def parse(header: str) -> tuple[int | None, list[str]]:
    """The timestamp and the `v1` values of a header (None and [] where missing)."""
    stamp, candidates = None, []
    for part in header.split(","):
        name, _sep, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            stamp = int(value)
        elif name == "v1" and value:
            candidates.append(value)
    return stamp, candidates


def matches(*, secret: str, timestamp: int, body: bytes, candidates: list[str]) -> bool:
    expected = signature(secret=secret, timestamp=timestamp, body=body)
    return any(hmac.compare_digest(expected, c) for c in candidates)
