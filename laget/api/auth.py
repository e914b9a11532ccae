"""Bearer tokens of API clients (laget.apiclients) as a ninja auth class, and the audit event of
every call a client makes.

`ClientToken(scope)` resolves the token (hash lookup; expiry, revocation, a deactivated client and
an ended membership all answer 401 with `WWW-Authenticate: Bearer error="invalid_token"`), then
checks the operation's scope (403, `error="insufficient_scope"`, audited as denied). The request's
actor is then the client's own `Actor` (see laget.apiclients.services): `request.auth` is the
client and `client_actor(request)` the actor the services get."""

import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from laget.accounts.actor import Actor
from laget.api.problems import problem
from laget.apiclients import services
from laget.apiclients.models import ApiClient
from laget.audit.actions import Action, Outcome
from laget.audit.services import audit_record
from laget.core import ratelimit
from laget.core.errors import NotFound


class InvalidToken(Exception):
    """A token was presented but does not (or no longer) open the API."""


class InsufficientScope(Exception):
    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


class ClientToken(HttpBearer):
    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient:
        client = services.token_resolve(token)
        if client is None:
            ratelimit.check("api_open", ratelimit.client_address(request), request=request)
            raise InvalidToken
        ratelimit.check("api", f"client:{client.pk}", request=request)
        if self.scope not in client.scopes:
            _record(request, client, outcome=Outcome.DENIED, details={"scope": self.scope})
            raise InsufficientScope(self.scope)
        return client


def client_of(request: HttpRequest) -> ApiClient:
    client = getattr(request, "auth", None)
    assert isinstance(client, ApiClient), "operation without ClientToken auth"
    return client


def client_actor(request: HttpRequest) -> Actor:
    return services.client_actor(client_of(request))


def _record(request: HttpRequest, client: ApiClient, *, outcome: Outcome = Outcome.OK,
            persons: list[Any] | tuple[Any, ...] = (), details: dict[str, Any] | None = None
            ) -> None:
    match = request.resolver_match
    audit_record(action=Action.API_CALL, actor=services.client_actor(client), outcome=outcome,
                 persons=persons,
                 details={"client": str(client.pk), "client_name": client.name,
                          "operation": match.url_name if match else "",
                          "method": request.method, **(details or {})})


def audited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """One `api.call` event per call, naming the client: written in the operation's transaction
    when it answers (a view may put the persons concerned in `request.audit_persons`), or after
    the rollback, as failed, when it raises."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        client = client_of(request)
        try:
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                _record(request, client, persons=getattr(request, "audit_persons", ()),
                        details={"status": response.status_code,
                                 "replayed": response.has_header("Idempotent-Replayed")})
        except Exception as error:
            # The call's transaction is rolled back, the selector's own refusal event with it;
            # this event keeps the refusal, with the ids asked for (never a number or a name).
            refused = isinstance(error, NotFound)
            _record(request, client, outcome=Outcome.DENIED if refused else Outcome.FAILED,
                    details={"error": type(error).__name__,
                             **{k: str(v) for k, v in kwargs.items()
                                if isinstance(v, uuid.UUID)}})
            raise
        return response

    return wrapper


def _invalid_token(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = problem(401, _("Nøkkelen er ugyldig, utløpt eller trukket tilbake."))
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


def _insufficient_scope(request: HttpRequest, exc: InsufficientScope) -> HttpResponse:
    response = problem(403, _("Klienten har ikke tilgangen %(scope)s.") % {"scope": exc.scope})
    response["WWW-Authenticate"] = f'Bearer error="insufficient_scope", scope="{exc.scope}"'
    return response


def install_auth_handlers(api: Any) -> None:
    api.add_exception_handler(InvalidToken, _invalid_token)
    api.add_exception_handler(InsufficientScope, _insufficient_scope)
