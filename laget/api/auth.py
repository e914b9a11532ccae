"""Who calls the API, as ninja auth classes, and the audit event of every call.

Two kinds of caller, tried in this order on every operation (`callers(scope)`):

- an agency's own system, with a bearer token of an API client (laget.apiclients):
  `ClientToken(scope)` resolves the token (hash lookup; expiry, revocation, a deactivated client
  and an ended membership all answer 401 with `WWW-Authenticate: Bearer error="invalid_token"`),
  then checks the operation's scope (403, `error="insufficient_scope"`, audited as denied). The
  client acts as its own service user's `Actor` (see laget.apiclients.services);
- a staff member's browser, with the session of the web pages: `StaffSession(scope)` takes the
  session cookie only together with Django's CSRF check (the `X-CSRFToken` header that the pages
  carry for htmx), and only for a session that has passed the second factor. A session has no
  scopes: its acting role must be one `SESSION_ROLES` allows for the operation's scope (else 403,
  audited as denied) — the same roles the corresponding web pages let in. The services then check
  the case, team and agency exactly as for the pages.

`api_actor(request)` is the actor the services get, whichever caller it is."""

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from laget.accounts.actor import Actor
from laget.accounts.middleware import actor_for
from laget.accounts.models import Role
from laget.accounts.selectors import requires_second_factor
from laget.api.problems import problem
from laget.apiclients import services
from laget.apiclients.models import ApiClient, Scope
from laget.audit.actions import Action, Outcome
from laget.audit.services import audit_record
from laget.core import ratelimit
from laget.core.errors import NotFound

_CASE_ROLES = frozenset({Role.CASEWORKER, Role.COORDINATOR, Role.LEADER})

#: The acting roles a browser session may call each scope with: the roles of the web pages that
#: do the same (the case pages, the concern form, the police's registrations: case roles; the
#: youth fast track: case roles and the police prosecutor). Every scope has a row.
SESSION_ROLES: dict[str, frozenset[str]] = {
    Scope.CONCERNS_WRITE: _CASE_ROLES,
    Scope.NOTIFICATIONS_READ: _CASE_ROLES,
    Scope.CASES_READ: _CASE_ROLES,
    Scope.TASKS_WRITE: _CASE_ROLES,
    Scope.ENTRIES_READ: _CASE_ROLES,
    Scope.ENTRIES_WRITE: _CASE_ROLES,
    Scope.PERSONS_READ: _CASE_ROLES,
    Scope.POLICE_WRITE: _CASE_ROLES,
    Scope.FASTTRACK_READ: _CASE_ROLES | {Role.PROSECUTOR},
    Scope.FASTTRACK_WRITE: _CASE_ROLES | {Role.PROSECUTOR},
}


@dataclass(frozen=True)
class SessionCaller:
    """A staff member calling from the browser, in the role they act in on the pages."""

    actor: Actor


Caller = ApiClient | SessionCaller


class InvalidToken(Exception):
    """A token was presented but does not (or no longer) open the API."""


class InsufficientScope(Exception):
    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


class RoleNotAllowed(InsufficientScope):
    """A session whose acting role may not call the operation's scope."""


class CsrfFailed(Exception):
    """A session cookie came without a valid CSRF token."""


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


class StaffSession(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, scope: str) -> None:
        super().__init__(csrf=True)
        self.scope = scope

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if not key:
            return None  # no session: nothing to protect, and the answer is 401
        if check_csrf(request) is not None:
            raise CsrfFailed
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> SessionCaller | None:
        user = request.user
        if key is None or not user.is_authenticated:
            return None
        if requires_second_factor(user=user) and not user.is_verified():  # type: ignore[arg-type, union-attr]
            return None
        ratelimit.check("api", f"user:{user.pk}", request=request)
        actor = actor_for(request)
        assert actor is not None
        caller = SessionCaller(actor)
        if actor.role not in SESSION_ROLES[self.scope]:
            _record(request, caller, outcome=Outcome.DENIED, details={"scope": self.scope})
            raise RoleNotAllowed(self.scope)
        return caller


def callers(scope: str) -> list[ClientToken | StaffSession]:
    """The auth of an operation that needs `scope`: a client's token, else a staff session."""
    return [ClientToken(scope), StaffSession(scope)]


def caller_of(request: HttpRequest) -> Caller:
    caller = getattr(request, "auth", None)
    assert isinstance(caller, ApiClient | SessionCaller), "operation without callers() auth"
    return caller


def api_actor(request: HttpRequest) -> Actor:
    caller = caller_of(request)
    if isinstance(caller, SessionCaller):
        return caller.actor
    return services.client_actor(caller)


def _record(request: HttpRequest, caller: Caller, *, outcome: Outcome = Outcome.OK,
            persons: list[Any] | tuple[Any, ...] = (), details: dict[str, Any] | None = None
            ) -> None:
    match = request.resolver_match
    if isinstance(caller, SessionCaller):
        actor, who = caller.actor, {"via": "session"}
    else:
        actor = services.client_actor(caller)
        who = {"via": "client", "client": str(caller.pk), "client_name": caller.name}
    audit_record(action=Action.API_CALL, actor=actor, outcome=outcome, persons=persons,
                 details={**who, "operation": match.url_name if match else "",
                          "method": request.method, **(details or {})})


def audited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """One `api.call` event per call, naming the client or saying it came from a session: written
    in the operation's transaction when it answers (a view may put the persons concerned in
    `request.audit_persons`), or after the rollback, as failed, when it raises."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        caller = caller_of(request)
        try:
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                _record(request, caller, persons=getattr(request, "audit_persons", ()),
                        details={"status": response.status_code,
                                 "replayed": response.has_header("Idempotent-Replayed")})
        except Exception as error:
            # The call's transaction is rolled back, the selector's own refusal event with it;
            # this event keeps the refusal, with the ids asked for (never a number or a name).
            refused = isinstance(error, NotFound)
            _record(request, caller, outcome=Outcome.DENIED if refused else Outcome.FAILED,
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
    if isinstance(exc, RoleNotAllowed):
        return problem(403, _("Rollen du handler i, kan ikke bruke denne delen av API-et."))
    response = problem(403, _("Klienten har ikke tilgangen %(scope)s.") % {"scope": exc.scope})
    response["WWW-Authenticate"] = f'Bearer error="insufficient_scope", scope="{exc.scope}"'
    return response


def _csrf_failed(request: HttpRequest, exc: CsrfFailed) -> HttpResponse:
    return problem(403, _("CSRF-kontrollen feilet: send X-CSRFToken fra siden du er logget inn "
                          "på, eller bruk en API-nøkkel."))


def install_auth_handlers(api: Any) -> None:
    api.add_exception_handler(InvalidToken, _invalid_token)
    api.add_exception_handler(InsufficientScope, _insufficient_scope)
    api.add_exception_handler(CsrfFailed, _csrf_failed)
