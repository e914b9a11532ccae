"""Django for a benchmark script, before anything else of Laget is imported: the project on the
path, the settings module, and — for benchmarks whose processes sign the audit log — a signing
key of the benchmark's own, derived from a constant (the data is synthetic, and the checkpoints
must verify on every later run, so the key never needs storing), with an origin line that says
what it is."""

import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup(*, log_name: str | None = None) -> None:
    """Put the project on the path and set Django up; with `log_name`, sign the audit log as
    `laget.invalid/<log_name>` (the environment is inherited by the processes it starts)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laget.settings")
    if log_name is not None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        from laget.audit import note  # pure functions, no Django

        origin = f"laget.invalid/{log_name}"
        key = Ed25519PrivateKey.from_private_bytes(
            hashlib.sha256(f"laget {log_name.replace('-', ' ')}: not a secret".encode()).digest())
        os.environ["LAGET_LOG_ORIGIN"] = origin
        os.environ["LAGET_LOG_SIGNING_KEY"] = note.signer_key(name=origin, private_key=key)
        os.environ["LAGET_LOG_PREVIOUS_VERIFIERS"] = ""
    import django

    django.setup()
