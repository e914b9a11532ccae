"""Second-factor enforcement and the acting role.

Laget's login only completes after the second factor, so a session without it should not exist;
this middleware is the safety net for any other way in (for example the admin site's own login).
"""

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from laget.accounts.actor import Actor
from laget.accounts.selectors import membership_list_active, requires_second_factor

ACTIVE_MEMBERSHIP_SESSION_KEY = "laget_active_membership"


def actor_for(request: HttpRequest) -> Actor | None:
    """The acting user and role of a request (cached on the request)."""
    if hasattr(request, "_laget_actor"):
        return request._laget_actor  # type: ignore[no-any-return]
    user = request.user
    if not user.is_authenticated:
        request._laget_actor = None  # type: ignore[attr-defined]
        return None
    memberships = list(membership_list_active(user=user))  # type: ignore[arg-type]
    chosen = request.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY)
    active = next((m for m in memberships if str(m.pk) == chosen), None)
    if active is None and memberships:
        active = memberships[0]
    request._laget_actor = Actor(user=user, membership=active)  # type: ignore[arg-type, attr-defined]
    return request._laget_actor  # type: ignore[attr-defined, no-any-return]


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and requires_second_factor(user=user)  # type: ignore[arg-type]
        ):
            logout(request)
            return redirect("accounts:login")
        return self.get_response(request)
