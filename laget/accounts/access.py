"""View guards: who may open a page at all (what they then see is the selectors' business)."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from laget.accounts.actor import Actor
from laget.accounts.middleware import actor_for


def actor_required(
    roles: Iterable[str] | None = None, *, staff: bool = False
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Log-in required; with `roles`, the acting membership must have one of them (else 403)."""
    allowed = frozenset(roles) if roles is not None else None

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = actor_for(request)
            if staff and not request.user.is_staff:
                raise PermissionDenied
            if allowed is not None and (actor is None or actor.role not in allowed):
                raise PermissionDenied
            return view(request, actor, *args, **kwargs)

        return wrapped

    return decorator


__all__ = ["Actor", "actor_required"]
