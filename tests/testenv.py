"""Loaded by pytest before Django (see `-p tests.testenv` in pyproject.toml): the environment a
test run needs, unless the caller set it. Production defaults stay on (DEBUG off, CSP, Argon2);
only what cannot work over plain HTTP on loopback is relaxed."""

import os
import tempfile

_DEFAULTS = {
    "SECRET_KEY": "laget-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DEBUG": "0",
    "LAGET_ALLOW_SYNTHETIC_IDS": "1",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LAGET_STATIC_MANIFEST": "0",
    "ALLOWED_HOSTS": "localhost,127.0.0.1,testserver",
    "LAGET_LOG_GENERATE_KEY": "1",
    # The suite logs in and searches far more often than a person; the rate-limit tests set
    # their own small limits.
    "LAGET_RATE_LOGIN": "100000",
    "LAGET_RATE_SEARCH": "100000",
    "LAGET_RATE_API": "100000",
    "LAGET_RATE_API_OPEN": "100000",
}
for key, value in _DEFAULTS.items():
    os.environ.setdefault(key, value)
os.environ.setdefault("LAGET_VAR_DIR", tempfile.mkdtemp(prefix="laget-test-var-"))
os.makedirs(os.path.join(os.environ["LAGET_VAR_DIR"], "static"), exist_ok=True)
