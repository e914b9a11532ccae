"""ID token claims chosen by the test: `sub`, e-mail, `acr`, `amr`, `pid` (ID-porten style for
citizens), groups — whatever the users file gives, unfiltered by scope."""

import base64
import time
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc.provider.users import user_entry


class ClaimsValidator(OAuth2Validator):
    #: Every claim of the users file goes into the ID token, whatever the scopes.
    oidc_claim_scope = None

    def _entry(self, request: Any) -> dict[str, Any]:
        return user_entry(request.user.username) or {}

    def get_claim_dict(self, request: Any) -> dict[str, Any]:
        claims = dict(self._entry(request).get("claims") or {})
        claims.setdefault("sub", request.user.username)
        return claims

    def get_id_token_dictionary(
        self, token: Any, token_handler: Any, request: Any
    ) -> tuple[dict[str, Any], Any]:
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        entry = self._entry(request)
        if entry.get("exp_offset"):
            claims["exp"] = int(time.time()) + int(entry["exp_offset"])
        if entry.get("nonce"):
            claims["nonce"] = entry["nonce"]
        return claims, expiration_time

    def finalize_id_token(
        self, id_token: Any, token: Any, token_handler: Any, request: Any
    ) -> str:
        serialized: str = super().finalize_id_token(id_token, token, token_handler, request)
        if self._entry(request).get("tamper_signature"):
            header, payload, signature = serialized.split(".")
            raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
            raw[0] ^= 0xFF
            signature = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
            serialized = f"{header}.{payload}.{signature}"
        return serialized
