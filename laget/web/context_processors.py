from typing import Any

from django.conf import settings
from django.http import HttpRequest

from laget.accounts.middleware import actor_for
from laget.accounts.selectors import membership_list_active


def laget(request: HttpRequest) -> dict[str, Any]:
    """The acting role and the other roles the user can switch to, for the header."""
    context: dict[str, Any] = {"laget_demo": settings.LAGET_DEMO}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        actor = actor_for(request)
        context["actor"] = actor
        context["memberships"] = list(membership_list_active(user=user))  # type: ignore[arg-type]
    return context
