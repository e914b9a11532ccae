"""The citizens' login through an OpenID Connect provider in the style of ID-porten.

The protocol is the staff login's (laget.accounts.sso: Authlib's Django client, discovery, the
code flow with PKCE, state and nonce in the session, the ID token checked against the provider's
JWKS) with its own client and settings (`LAGET_FAMILY_OIDC_*`), because citizens and staff are
different audiences of different providers. What differs is what the token must say: an `acr` of
`LAGET_FAMILY_OIDC_ACR` (substantial or high — a lower level is refused, never stepped up here)
and a national identity number in `pid`. `sub` is pairwise (one value per service) and is never
taken for the number.
"""

import re
from dataclasses import dataclass

from authlib.integrations.django_client import DjangoOAuth2App
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from laget.accounts.oidc_client import (
    OidcProtocolError,
    authorize_redirect,
    oidc_client,
    verified_claims,
)

_PID = re.compile(r"^\d{11}$")

REFUSAL_MESSAGES = {
    "protocol": _("Innloggingen kunne ikke fullføres. Prøv igjen fra familiesiden."),
    "acr": _(
        "Familiesiden krever innlogging med høyt eller betydelig sikkerhetsnivå, for eksempel "
        "BankID, MinID med kode fra app eller Buypass. Logg inn på nytt med en av disse."
    ),
    "pid": _("Innloggingen ga ikke et fødselsnummer vi kan bruke. Prøv igjen fra familiesiden."),
}


class FamilyLoginRefused(Exception):
    """A citizen login that is not accepted. `reason` is a key of REFUSAL_MESSAGES; `detail` is
    for the audit log and never holds personal data."""

    def __init__(self, reason: str, *, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail or reason

    @property
    def message(self) -> str:
        return str(REFUSAL_MESSAGES.get(self.reason, REFUSAL_MESSAGES["protocol"]))


@dataclass(frozen=True)
class FamilyOidcConfig:
    issuer: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    acr_allowed: frozenset[str]
    timeout: int


def family_oidc_config() -> FamilyOidcConfig | None:
    """The configuration from settings, or None when the family login is not set up."""
    if not settings.LAGET_FAMILY_OIDC_ISSUER or not settings.LAGET_FAMILY_OIDC_CLIENT_ID:
        return None
    scopes = tuple(settings.LAGET_FAMILY_OIDC_SCOPES)
    if "openid" not in scopes:
        scopes = ("openid", *scopes)
    return FamilyOidcConfig(
        issuer=settings.LAGET_FAMILY_OIDC_ISSUER.rstrip("/"),
        client_id=settings.LAGET_FAMILY_OIDC_CLIENT_ID,
        client_secret=settings.LAGET_FAMILY_OIDC_CLIENT_SECRET,
        scopes=scopes,
        acr_allowed=frozenset(settings.LAGET_FAMILY_OIDC_ACR),
        timeout=settings.LAGET_OIDC_TIMEOUT_SECONDS,
    )


def family_login_enabled() -> bool:
    return family_oidc_config() is not None


def _client(config: FamilyOidcConfig) -> DjangoOAuth2App:
    return oidc_client(name="laget_family", issuer=config.issuer, client_id=config.client_id,
                       client_secret=config.client_secret, scopes=config.scopes,
                       timeout=config.timeout)


def _require_config() -> FamilyOidcConfig:
    config = family_oidc_config()
    if config is None:
        raise FamilyLoginRefused("protocol", detail="disabled")
    return config


def family_authorize_redirect(*, request: HttpRequest, redirect_uri: str) -> HttpResponse:
    """The redirect to the provider; state, nonce and the PKCE verifier go into the session."""
    config = _require_config()
    try:
        return authorize_redirect(_client(config), request=request, redirect_uri=redirect_uri,
                                  acr_values=" ".join(sorted(config.acr_allowed)))
    except OidcProtocolError as error:
        raise FamilyLoginRefused("protocol", detail=error.detail) from error


@dataclass(frozen=True)
class CitizenClaims:
    pid: str
    acr: str


def family_claims_from_callback(*, request: HttpRequest) -> CitizenClaims:
    """The provider's answer checked: state, code exchange, signature, iss, aud, exp, nonce
    (Authlib and here), then the level of assurance and the national identity number."""
    config = _require_config()
    try:
        claims = verified_claims(_client(config), request=request, issuer=config.issuer)
    except OidcProtocolError as error:
        raise FamilyLoginRefused("protocol", detail=error.detail) from error
    acr = claims.get("acr")
    if not isinstance(acr, str) or acr not in config.acr_allowed:
        raise FamilyLoginRefused("acr", detail=f"acr: {acr if isinstance(acr, str) else '-'}"[:80])
    pid = claims.get("pid")
    if not isinstance(pid, str) or not _PID.match(pid):
        raise FamilyLoginRefused("pid", detail="pid")
    return CitizenClaims(pid=pid, acr=acr)
