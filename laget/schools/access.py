"""Who acts for a school and who is the ambulant team.

School staff are the members of a school's agency in a case role: a teacher acts as caseworker, the
principal as leader. An incident belongs to its school: its staff see it, no other school does.
The ambulant team is the one city-wide agency named by `LAGET_AMBULANT_TEAM_AGENCY`; its case
roles work the board, its leader (or coordinator) triages and dispatches."""

from django.conf import settings

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Role
from laget.records.services import CASE_ROLES
from laget.schools.models import School


def school_of(actor: Actor | None) -> School | None:
    """The school the actor works for in a case role, or None."""
    if not actor or actor.membership is None or actor.role not in CASE_ROLES:
        return None
    agency = actor.membership.agency
    if agency.type != AgencyType.SKOLE:
        return None
    return School.objects.filter(agency=agency).select_related("district").first()


def is_staff_of(actor: Actor | None, school: School) -> bool:
    return bool(actor and actor.membership and actor.role in CASE_ROLES
                and actor.membership.agency_id == school.agency_id)


def is_principal_of(actor: Actor | None, school: School) -> bool:
    return is_staff_of(actor, school) and actor is not None and actor.role == Role.LEADER


def is_ambulant_team(actor: Actor | None) -> bool:
    return bool(actor and actor.membership and actor.role in CASE_ROLES
                and actor.membership.agency.code == settings.LAGET_AMBULANT_TEAM_AGENCY)


def may_triage(actor: Actor | None) -> bool:
    """The team's leader or coordinator triages and dispatches; every member records visits."""
    return is_ambulant_team(actor) and actor is not None and actor.role in (
        Role.LEADER, Role.COORDINATOR)
