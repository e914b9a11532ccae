"""Who is logged in on the family pages: a citizen, held in the session only.

The shape, and why: a citizen is not a Django `User`. A staff user carries memberships, roles, a
second factor and `actor_required`; a guardian or young person has none of these, and a user row
would let a mistake in a staff guard open staff pages to them. So the citizen lives in the
server-side session under its own key — the `pid` claim (the national identity number; `sub` is
pairwise per service and never used as the number), the provider's `acr` and the login time — and
`request.user` stays anonymous. What a citizen may see is worked out on each request from the
people register (laget.family.selectors), so a guardian whose parental responsibility ends, or who
gets restricted contact, loses access at once. The number never goes into a URL, a log line or an
audit event; events name the guardian or person rows it matched, by id.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from laget.core import clock

SESSION_KEY = "laget_family_citizen"


@dataclass(frozen=True)
class Citizen:
    pid: str
    acr: str
    logged_in_at: dt.datetime


def citizen_session_start(*, request: HttpRequest, pid: str, acr: str) -> Citizen:
    """Put the citizen in a fresh session (a new key: no fixation, nothing left from before)."""
    request.session.flush()
    citizen = Citizen(pid=pid, acr=acr, logged_in_at=clock.now())
    request.session[SESSION_KEY] = {"pid": pid, "acr": acr,
                                    "at": citizen.logged_in_at.isoformat()}
    return citizen


def citizen_from_session(request: HttpRequest) -> Citizen | None:
    """The logged-in citizen, or None (also when the family session has run out)."""
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return None
    try:
        at = dt.datetime.fromisoformat(stored["at"])
        citizen = Citizen(pid=str(stored["pid"]), acr=str(stored["acr"]), logged_in_at=at)
    except (KeyError, TypeError, ValueError):
        return None
    age = (clock.now() - at).total_seconds()
    if age < 0 or age > settings.LAGET_FAMILY_SESSION_SECONDS:
        request.session.pop(SESSION_KEY, None)
        return None
    return citizen


def citizen_session_end(request: HttpRequest) -> None:
    """End the citizen's session only (a staff login in the same browser is not the family
    page's to end)."""
    if request.session.pop(SESSION_KEY, None) is not None:
        request.session.cycle_key()
