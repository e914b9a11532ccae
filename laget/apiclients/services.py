"""API clients and their tokens: create, issue, rotate, revoke, deactivate, and resolve a
presented token. A token is shown once, when issued; only its SHA-256 is kept.

How a client acts: each client has its own service user (no usable password, not active, so it
can never log in or be picked as a person) and a membership in its agency with the caseworker
role. `client_actor` gives the ordinary `Actor` of that membership, so the services the API calls
check and audit the client exactly as they would a caseworker of the agency — narrowed further by
the client's scopes, which the API checks before any service runs (laget.api.auth). Deactivating
the client ends the membership the same day, as for a leaver."""

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, Membership, Role, User
from laget.apiclients.models import ApiClient, ApiToken, IdempotencyRecord, Scope
from laget.audit.actions import Action
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError

TOKEN_PREFIX = "lgt_"  # noqa: S105 (a marker that makes tokens recognisable, not a secret)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """The token in clear, returned once, with its row."""

    token: str
    row: ApiToken


def _audit(client: ApiClient, change: str, by: User | None, **details: object) -> None:
    audit_record(action=Action.API_CLIENT_CHANGE, actor=by, agency=client.agency, obj=client,
                 details={"client": str(client.pk), "change": change, **details})


def scopes_clean(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise DomainError(_("Ukjent tilgang: %(scopes)s") % {"scopes": ", ".join(unknown)},
                          code="scopes")
    return sorted(set(scopes))


@transaction.atomic
def client_create(*, agency: Agency, name: str, scopes: list[str],
                  created_by: User | None = None) -> ApiClient:
    name = name.strip()
    if not name:
        raise DomainError(_("Gi klienten et navn."), code="name")
    scopes = scopes_clean(scopes)
    if ApiClient.objects.filter(agency=agency, name=name).exists():
        raise DomainError(_("Virksomheten har allerede en klient med dette navnet."), code="name")
    user = User(username=f"api-{uuid.uuid4().hex[:20]}", first_name="API", last_name=name[:150],
                is_active=False)
    user.set_unusable_password()
    user.save()
    membership = Membership.objects.create(user=user, agency=agency, role=Role.CASEWORKER,
                                           title=_("API-klient"))
    client = ApiClient.objects.create(agency=agency, name=name, scopes=scopes,
                                      created_by=created_by, user=user, membership=membership)
    _audit(client, "create", created_by, scopes=scopes)
    return client


@transaction.atomic
def token_issue(*, client: ApiClient, days: int | None = None,
                by: User | None = None) -> IssuedToken:
    """A new token for an active client, valid `days` (LAGET_API_TOKEN_DAYS by default)."""
    if not client.active:
        raise DomainError(_("Klienten er deaktivert."), code="inactive")
    days = settings.LAGET_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.LAGET_API_TOKEN_MAX_DAYS:
        raise DomainError(_("Gyldighet må være mellom 1 og %(max)s dager.")
                          % {"max": settings.LAGET_API_TOKEN_MAX_DAYS}, code="days")
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken.objects.create(client=client, prefix=prefix, hash=token_hash(token),
                                  expires_at=clock.now() + dt.timedelta(days=days))
    _audit(client, "token_issue", by, token=prefix, expires_at=row.expires_at.isoformat())
    return IssuedToken(token=token, row=row)


@transaction.atomic
def token_revoke(*, token: ApiToken, at: dt.datetime | None = None,
                 by: User | None = None) -> ApiToken:
    """Revoke now, or at `at` (the end of a rotation's grace period). An earlier revocation
    stands."""
    when = at or clock.now()
    if token.revoked_at is None or token.revoked_at > when:
        token.revoked_at = when
        token.save(update_fields=["revoked_at", "updated_at"])
        _audit(token.client, "token_revoke", by, token=token.prefix, at=when.isoformat())
    return token


@transaction.atomic
def token_rotate(*, client: ApiClient, grace_hours: int = 24, days: int | None = None,
                 by: User | None = None) -> IssuedToken:
    """Rotation: a new token now; the client's other tokens stop working after the grace period,
    so that its system can switch over without an outage."""
    issued = token_issue(client=client, days=days, by=by)
    until = clock.now() + dt.timedelta(hours=grace_hours)
    for old in client.tokens.exclude(pk=issued.row.pk).select_for_update():
        if old.is_valid():
            token_revoke(token=old, at=until, by=by)
    return issued


@transaction.atomic
def client_deactivate(*, client: ApiClient, by: User | None = None) -> ApiClient:
    """Deactivate: every token stops at once and the service membership ends today."""
    client.active = False
    client.save(update_fields=["active", "updated_at"])
    now = clock.now()
    client.tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    membership = client.membership
    if membership.valid_to is None or membership.valid_to > clock.today():
        membership.valid_to = max(clock.today(), membership.valid_from)
        membership.save(update_fields=["valid_to", "updated_at"])
    _audit(client, "deactivate", by)
    return client


def token_resolve(token: str) -> ApiClient | None:
    """The active client a presented token belongs to, or None: unknown, expired or revoked
    token, deactivated client, or a client whose membership in its agency has ended. Records the
    token's use."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = (ApiToken.objects.select_related("client__agency", "client__user",
                                           "client__membership__agency")
           .filter(hash=token_hash(token)).first())
    if row is None or not row.is_valid() or not row.client.active:
        return None
    client = row.client
    if not Membership.objects.active().filter(pk=client.membership_id).exists():
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=clock.now())
    return client


def client_actor(client: ApiClient) -> Actor:
    return Actor(user=client.user, membership=client.membership)


def idempotency_prune() -> int:
    """Delete stored responses of creating requests older than `LAGET_API_IDEMPOTENCY_HOURS`:
    a client retries within minutes, and a stored response may hold what the call returned about
    a person. A key used again after that creates anew. How many went."""
    before = clock.now() - dt.timedelta(hours=settings.LAGET_API_IDEMPOTENCY_HOURS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=before).delete()
    return deleted
