"""Who may do what with the catalogue and with referrals.

The catalogue holds no personal data: every logged-in user may read it. An offer is kept by its
provider — the case roles of the agency the offer belongs to (usually a `fritid` agency; NAV or a
bydel may provide job programmes) — and by the admin. A referral is made from a SaLTo case by
those who see its workflow (its team and the bydel's coordinator); the provider's case roles answer
it and record attendance, and see only what the sharing engine let the referral disclose."""

from laget.accounts.actor import Actor
from laget.accounts.models import Role
from laget.cases.access import may_see_workflow
from laget.pathways.models import Offer
from laget.records.models import Case
from laget.records.services import CASE_ROLES


def is_admin(actor: Actor | None) -> bool:
    return bool(actor and actor.role == Role.ADMIN)


def may_provide(actor: Actor | None) -> bool:
    """Acting in a case role for some agency: such a user may keep that agency's offers."""
    return bool(actor and actor.membership and actor.role in CASE_ROLES)


def may_edit_offer(actor: Actor | None, offer: Offer) -> bool:
    if is_admin(actor):
        return True
    return may_provide(actor) and actor is not None and actor.membership is not None and (
        actor.membership.agency_id == offer.provider_id)


def is_provider_of(actor: Actor | None, provider_id: object) -> bool:
    """A case role of the provider agency: answers its referrals and records attendance."""
    return bool(actor and actor.membership and actor.role in CASE_ROLES
                and actor.membership.agency_id == provider_id)


def may_refer(actor: Actor, case: Case) -> bool:
    return actor.role in CASE_ROLES and may_see_workflow(actor, case)
