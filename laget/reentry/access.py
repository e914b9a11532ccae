"""Who does what in reentry: kriminalomsorgen registers releases, hands them over, places persons
and exchanges messages with the police; NAV's advisors keep the reentry plan and its outcomes; the
police register network affiliations. All of it is for case roles only."""

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType
from laget.records.services import CASE_ROLES


def _of(actor: Actor | None, agency_type: str) -> bool:
    return bool(actor is not None and actor.membership is not None
                and actor.agency is not None and actor.agency.type == agency_type
                and actor.role in CASE_ROLES)


def is_kriminalomsorg(actor: Actor | None) -> bool:
    return _of(actor, AgencyType.KRIMINALOMSORG)


def is_police(actor: Actor | None) -> bool:
    return _of(actor, AgencyType.POLITI)


def is_nav(actor: Actor | None) -> bool:
    return _of(actor, AgencyType.NAV)


def in_exchange(actor: Actor | None) -> bool:
    """The two agencies of the exchange."""
    return is_kriminalomsorg(actor) or is_police(actor)
