"""The OpenID Connect relying party that both logins use — staff single sign-on
(laget.accounts.sso) and the citizens' family login (laget.family.oidc): Authlib's Django client
with the provider's discovery document, the code flow with PKCE (S256), state and nonce kept in
the session, and the ID token checked against the provider's JWKS (signature, issuer, audience,
expiry, nonce). Each login has its own client name, so that their state in a shared session never
mixes, and decides for itself what the verified claims must say."""

import functools
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.http import HttpRequest, HttpResponse
from joserfc.errors import JoseError

#: Seconds of clock skew allowed on the ID token's exp and iat.
LEEWAY_SECONDS = 60


class OidcProtocolError(Exception):
    """The provider could not be reached or its answer did not verify. `detail` is for the audit
    log (an error type or which check failed) and never holds personal data."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@functools.lru_cache(maxsize=8)
def oidc_client(*, name: str, issuer: str, client_id: str, client_secret: str,
                scopes: tuple[str, ...], timeout: int) -> DjangoOAuth2App:
    """One Authlib client per configuration; it caches the discovery document and the JWKS (and
    fetches the JWKS again when a token names a key it does not know)."""
    return OAuth().register(  # type: ignore[no-any-return]
        name=name,
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": " ".join(scopes),
            "code_challenge_method": "S256",
            "default_timeout": timeout,
        },
    )


def authorize_redirect(client: DjangoOAuth2App, *, request: HttpRequest, redirect_uri: str,
                       **params: str) -> HttpResponse:
    """The redirect to the provider; state, nonce and the PKCE verifier go into the session."""
    try:
        return client.authorize_redirect(  # type: ignore[no-any-return]
            request, redirect_uri, **params)
    except (AuthlibBaseError, requests.RequestException, ValueError) as error:
        raise OidcProtocolError(f"discovery: {type(error).__name__}") from error


def verified_claims(client: DjangoOAuth2App, *, request: HttpRequest,
                    issuer: str) -> dict[str, Any]:
    """The ID token's claims from the provider's answer, every check passed (state against the
    session, the code exchange with the PKCE verifier, the signature against the JWKS, issuer,
    audience, expiry, nonce), with the expected issuer; else OidcProtocolError."""
    try:
        token = client.authorize_access_token(request, leeway=LEEWAY_SECONDS)
    except (AuthlibBaseError, JoseError, requests.RequestException, ValueError) as error:
        raise OidcProtocolError(type(error).__name__) from error
    claims: dict[str, Any] = dict(token.get("userinfo") or {})
    if not claims:
        raise OidcProtocolError("no_id_token")
    if claims.get("iss") != issuer:
        raise OidcProtocolError("issuer")
    return claims
