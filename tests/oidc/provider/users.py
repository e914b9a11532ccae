"""The test provider's users, read from the JSON file named by OIDC_TEST_USERS on every use, so a
test can add a user (and choose its claims) while the provider runs.

{"username": {"password": "...", "claims": {"sub": ..., "email": ..., "acr": ..., "amr": [...],
 "pid": ...}, "exp_offset": seconds, "nonce": "...", "tamper_signature": true}}

The last three make the provider misbehave on purpose (an expired ID token, a wrong nonce, a
broken signature) so that the relying party's checks can be tested against real tokens.
"""

import json
import os
from pathlib import Path
from typing import Any


def user_entry(username: str | None) -> dict[str, Any] | None:
    if not username:
        return None
    path = Path(os.environ["OIDC_TEST_USERS"])
    users = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    entry = users.get(username)
    return entry if isinstance(entry, dict) else None
