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
#: the log of the city-scale bench database (and of the small ones): every benchmark that writes
#: to it, or starts processes that do (app servers, sequencers, workers), signs as this one, so
#: that the whole log verifies after any of them (bench_seed.py built it with this key)
CITY_LOG = "bench-audit-log"


def django_setup(*, log_name: str | None = CITY_LOG) -> None:
    """Put the project on the path and set Django up, and sign the audit log as
    `laget.invalid/<log_name>` (the environment is inherited by the processes it starts);
    `log_name` None: the settings' own key. Imported where Django is set up already (the tests
    import the scripts for their arithmetic), it changes nothing: the environment it would set
    is inherited by every process started after it."""
    sys.path.insert(0, str(ROOT))
    from django.conf import settings

    if settings.configured:
        return
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
