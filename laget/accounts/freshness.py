"""How fresh a staff session is: logged out after a spell of inactivity, and asked to prove who they
are again before an export.

- `IdleTimeoutMiddleware`: a session unused for `LAGET_SESSION_IDLE_SECONDS` is logged out on its
  next request (the fixed `SESSION_COOKIE_AGE` still caps a busy session). The time of the last
  request is written to the session at most once a minute, so a page with many requests does not
  save the session on each.
- `recent_auth_required`: a view (an export of personal data) that needs the password and second
  factor given within `LAGET_REAUTH_SECONDS`; otherwise the user is sent to `accounts:reauth`
  and back. A login counts as such a proof.

Both send signals (`session_timed_out`, `reauthenticated`) that the audit log records."""

import functools
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from laget.accounts import signals

SEEN_KEY = "laget_seen_at"
AUTH_KEY = "laget_auth_at"
#: the last request is written to the session at most this often
SEEN_RESOLUTION_SECONDS = 60


def _now() -> float:
    # Wall-clock time, like Django's own session expiry: how long a browser has been idle is
    # not domain time (laget.core.clock, which tests move to other days).
    return time.time()


def mark_authenticated(request: HttpRequest) -> None:
    """The user has just given their password and second factor (or the provider vouched)."""
    now = _now()
    request.session[AUTH_KEY] = now
    request.session[SEEN_KEY] = now


@receiver(user_logged_in, dispatch_uid="laget_accounts_fresh_login")
def _fresh_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        mark_authenticated(request)


def authenticated_recently(request: HttpRequest) -> bool:
    at = request.session.get(AUTH_KEY)
    return isinstance(at, (int, float)) and _now() - at <= settings.LAGET_REAUTH_SECONDS


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = _now()
            seen = request.session.get(SEEN_KEY)
            if isinstance(seen, (int, float)) and now - seen > settings.LAGET_SESSION_IDLE_SECONDS:
                signals.session_timed_out.send(type(user), request=request, user=user)
                logout(request)
                messages.info(request, _("Du ble logget ut fordi du ikke hadde brukt Laget på "
                                         "%(minutes)s minutter. Logg inn igjen.")
                              % {"minutes": settings.LAGET_SESSION_IDLE_SECONDS // 60})
                login_url = reverse(settings.LOGIN_URL)
                if request.method == "GET":
                    login_url += "?" + urlencode({"next": request.get_full_path()})
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = login_url
                    return response
                return redirect(login_url)
            if not isinstance(seen, (int, float)) or now - seen >= SEEN_RESOLUTION_SECONDS:
                request.session[SEEN_KEY] = now
        return self.get_response(request)


def recent_auth_required[**P](view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Put under the view's login/role guard: an export asks for the password and code again
    when the last proof is older than `LAGET_REAUTH_SECONDS`."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        request = args[0]
        assert isinstance(request, HttpRequest)
        if not authenticated_recently(request):
            return redirect(reverse("accounts:reauth") + "?"
                            + urlencode({"next": request.get_full_path()}))
        return view(*args, **kwargs)

    return wrapper
