"""Who may see and change a case's workflow (plan, tasks, meetings, guardians' contact history).

The workflow is the team's shared picture: every current team member and the case's own
coordinator see it. What an agency may *read of the others' entries* is still the sharing engine's
decision; the plan holds no entries, only what the team agreed to do."""

from laget.accounts.actor import Actor
from laget.core.errors import DomainError
from laget.records.models import Case
from laget.records.services import CASE_ROLES, is_district_coordinator
from laget.sharing.selectors import is_team_member


def may_see_workflow(actor: Actor, case: Case) -> bool:
    if actor.membership is None or actor.role not in CASE_ROLES:
        return False
    return is_district_coordinator(actor, case.district_id) or is_team_member(
        actor=actor, case=case)


def may_coordinate(actor: Actor, case: Case) -> bool:
    """The coordinator (or leader) of the case's bydel: goals, tasks for any agency, meetings."""
    return is_district_coordinator(actor, case.district_id)


def require_workflow_reader(actor: Actor, case: Case) -> None:
    if not may_see_workflow(actor, case):
        raise DomainError("Not on the case's team.", code="not_on_team")
