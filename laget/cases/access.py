"""Who may see and change a case's workflow (plan, tasks, meetings, guardians' contact history).

The workflow is the team's shared picture: every current team member and the case's own
coordinator see it. What an agency may *read of the others' entries* is still the sharing engine's
decision; the plan holds no entries, only what the team agreed to do."""

from laget.accounts.actor import Actor
from laget.core.errors import DomainError
from laget.records.models import Case
from laget.records.services import CASE_ROLES, is_district_coordinator
from laget.sharing.selectors import is_team_member, team_for


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


def known_agency_ids(actor: Actor, case: Case, purpose: str) -> set:
    """The agencies whose involvement in the case the actor may know: their own, and those of
    everyone who has been on the team as the sharing engine lets the actor see it (a barnevern or
    health member is named only to those with a basis). Workflow items — tasks, contacts, timeline
    lines — from any other agency are left out, so they cannot reveal a confidential involvement."""
    known = {m.agency_id for m in team_for(actor=actor, case=case, purpose=purpose, history=True)}
    if actor.membership is not None:
        known.add(actor.membership.agency_id)
    return known
