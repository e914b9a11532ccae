"""Single sign-on for staff through OpenID Connect: who the provider says you are, what Laget lets
you do, and whether the provider's login counts as the second factor.

The choices, and why:

- The protocol is Authlib's Django client (discovery from `LAGET_OIDC_ISSUER`, the authorization
  code flow with PKCE S256, state and nonce kept in the session, the ID token's signature checked
  against the provider's JWKS, and its iss, aud, exp, iat and nonce). mozilla-django-oidc was the
  other candidate; it has no discovery and logs the user in inside its own callback view, which
  leaves no room for Laget's own second step.
- The provider asserts who you are; Laget decides what you may do. A user is found only by the
  stable pair (issuer, `sub`) in `ExternalIdentity`, never by name or e-mail, which change and are
  reused. Agency and role come from Laget's own `Membership` rows, so a leaver loses access the
  day the membership ends whatever the provider still says. With `LAGET_OIDC_GROUPS_CLAIM` set,
  the provider must also list at least one of those memberships as "<agency code>:<role>" — a
  second opinion that can only take access away, never give it.
- The first login links by e-mail only when the provider says the address is verified
  (`email_verified` true), exactly one active user has it, and that user has no link to any
  provider yet; anything else is refused and an administrator links the account by hand. A link,
  once made, is never moved by e-mail again, so a provider account that later gets someone else's
  address cannot take over their Laget account. `LAGET_OIDC_LINK_BY_EMAIL=0` turns linking off.
- The login counts as two factors only when the provider's `acr` is one of
  `LAGET_OIDC_ACR_TWO_FACTOR` or its `amr` names one of `LAGET_OIDC_AMR_TWO_FACTOR`. Then the
  `ExternalIdentity` — a django-otp device — verifies the session, as Laget's TOTP device would;
  otherwise the user goes on to Laget's own code step.

Citizens (the family portal, ID-porten's `pid`) are not staff and do not log in here.
"""

from dataclasses import dataclass
from typing import Any

from authlib.integrations.django_client import DjangoOAuth2App
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from laget.accounts.models import ExternalIdentity, Membership, User
from laget.accounts.oidc_client import (
    OidcProtocolError,
    authorize_redirect,
    oidc_client,
    verified_claims,
)
from laget.accounts.selectors import membership_list_active
from laget.core import clock

REFUSAL_MESSAGES = {
    "protocol": _("Innloggingen kunne ikke fullføres. Start på nytt fra innloggingssiden."),
    "unknown": _(
        "Vi fant ingen bruker i Laget for denne innloggingen. Kontakt lederen din eller "
        "administratoren for å få tilgang."
    ),
    "no_membership": _(
        "Du har ingen aktiv rolle i en virksomhet i Laget. Kontakt lederen din for å få tilgang."
    ),
    "groups": _("Innloggingen gir ikke tilgang til noen av rollene dine i Laget."),
}


class SsoRefused(Exception):
    """A login the provider or Laget does not accept. `reason` is a key of REFUSAL_MESSAGES
    (what the user is told); `detail` says more for the audit log, never personal data."""

    def __init__(self, reason: str, *, detail: str = "", user: User | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail or reason
        self.user = user

    @property
    def message(self) -> str:
        return str(REFUSAL_MESSAGES.get(self.reason, REFUSAL_MESSAGES["protocol"]))


@dataclass(frozen=True)
class SsoConfig:
    issuer: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    acr_two_factor: frozenset[str]
    amr_two_factor: frozenset[str]
    link_by_email: bool
    groups_claim: str
    timeout: int


def sso_config() -> SsoConfig | None:
    """The configuration from settings, or None when single sign-on is off."""
    if not settings.LAGET_OIDC_ISSUER or not settings.LAGET_OIDC_CLIENT_ID:
        return None
    scopes = tuple(settings.LAGET_OIDC_SCOPES)
    if "openid" not in scopes:
        scopes = ("openid", *scopes)
    return SsoConfig(
        issuer=settings.LAGET_OIDC_ISSUER.rstrip("/"),
        client_id=settings.LAGET_OIDC_CLIENT_ID,
        client_secret=settings.LAGET_OIDC_CLIENT_SECRET,
        scopes=scopes,
        acr_two_factor=frozenset(settings.LAGET_OIDC_ACR_TWO_FACTOR),
        amr_two_factor=frozenset(settings.LAGET_OIDC_AMR_TWO_FACTOR),
        link_by_email=settings.LAGET_OIDC_LINK_BY_EMAIL,
        groups_claim=settings.LAGET_OIDC_GROUPS_CLAIM,
        timeout=settings.LAGET_OIDC_TIMEOUT_SECONDS,
    )


def sso_enabled() -> bool:
    return sso_config() is not None


def _client(config: SsoConfig) -> DjangoOAuth2App:
    return oidc_client(name="laget_sso", issuer=config.issuer, client_id=config.client_id,
                       client_secret=config.client_secret, scopes=config.scopes,
                       timeout=config.timeout)


def _require_config() -> SsoConfig:
    config = sso_config()
    if config is None:
        raise SsoRefused("protocol", detail="disabled")
    return config


def sso_authorize_redirect(*, request: HttpRequest, redirect_uri: str) -> HttpResponse:
    """The redirect to the provider; state, nonce and the PKCE verifier go into the session."""
    try:
        return authorize_redirect(_client(_require_config()), request=request,
                                  redirect_uri=redirect_uri)
    except OidcProtocolError as error:
        raise SsoRefused("protocol", detail=error.detail) from error


def sso_claims_from_callback(*, request: HttpRequest) -> dict[str, Any]:
    """The verified ID token claims of the provider's answer, or SsoRefused.

    State (against the session), the code exchange with the PKCE verifier, the signature against
    the JWKS, issuer, audience, expiry and nonce are all checked here; any failure is a refusal.
    """
    config = _require_config()
    try:
        claims = verified_claims(_client(config), request=request, issuer=config.issuer)
    except OidcProtocolError as error:
        raise SsoRefused("protocol", detail=error.detail) from error
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise SsoRefused("protocol", detail="sub")
    return dict(claims)


def sso_counts_as_two_factor(*, claims: dict[str, Any]) -> bool:
    """True when the provider's acr or amr claims say the login used two factors."""
    config = _require_config()
    acr = claims.get("acr")
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if isinstance(acr, str) and acr in config.acr_two_factor:
        return True
    return any(isinstance(m, str) and m in config.amr_two_factor for m in amr)


def _identity_link_by_email(
    *, config: SsoConfig, subject: str, claims: dict[str, Any]
) -> ExternalIdentity:
    email = claims.get("email")
    if not config.link_by_email:
        raise SsoRefused("unknown", detail="unknown_subject")
    if not isinstance(email, str) or not email or claims.get("email_verified") is not True:
        raise SsoRefused("unknown", detail="unknown_subject")
    # The user row is locked so that two first logins at the same moment link one at a time;
    # the second then finds the link (or, on SQLite, meets the unique constraint) and is refused.
    candidates = list(User.objects.select_for_update()
                      .filter(email__iexact=email, is_active=True).order_by("pk")[:2])
    if len(candidates) != 1:
        raise SsoRefused("unknown", detail="no_single_email_match")
    user = candidates[0]
    if ExternalIdentity.objects.filter(user=user).exists():
        raise SsoRefused("unknown", detail="user_already_linked", user=user)
    try:
        with transaction.atomic():
            return ExternalIdentity.objects.create(
                user=user, issuer=config.issuer, subject=subject, name="SSO", confirmed=True
            )
    except IntegrityError:
        raise SsoRefused("unknown", detail="concurrent_link", user=user) from None


def _memberships_allowed(
    *, config: SsoConfig, user: User, claims: dict[str, Any]
) -> list[Membership]:
    memberships = list(membership_list_active(user=user))
    if not memberships:
        raise SsoRefused("no_membership", user=user)
    if config.groups_claim:
        listed = claims.get(config.groups_claim) or []
        if isinstance(listed, str):
            listed = [listed]
        memberships = [m for m in memberships if f"{m.agency.code}:{m.role}" in listed]
        if not memberships:
            raise SsoRefused("groups", user=user)
    return memberships


@transaction.atomic
def sso_identity_resolve(*, claims: dict[str, Any]) -> ExternalIdentity:
    """The linked identity of verified claims (linking on a first login as the module says), with
    an active user who has an active membership; else SsoRefused and nothing written."""
    config = _require_config()
    subject = claims["sub"]
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(issuer=config.issuer, subject=subject).first()
    )
    if identity is None:
        identity = _identity_link_by_email(config=config, subject=subject, claims=claims)
    user = identity.user
    if not user.is_active:
        raise SsoRefused("unknown", detail="inactive_user", user=user)
    _memberships_allowed(config=config, user=user, claims=claims)
    identity.last_login = clock.now()
    identity.save(update_fields=["last_login"])
    return identity
