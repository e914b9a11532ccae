"""Who acts in the youth fast track, and for which side of a case.

A case has up to four responsible agencies: the police unit (its prosecutors make the charge
decision), the court, the konfliktråd and kriminalomsorgen. Each sees the cases where it is
responsible or named, and records the milestones of its own stages; nobody else knows the case
exists. Police prosecutors are police users with the prosecutor role (`Role.PROSECUTOR`); the
others act in their agency's case roles."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Role
from laget.fasttrack.deadlines import Responsible
from laget.fasttrack.models import MilestoneKind, YouthCase
from laget.records.services import CASE_ROLES

#: which side records which milestones
POLICE_MILESTONES = frozenset({
    MilestoneKind.OFFENCE, MilestoneKind.REPORTED, MilestoneKind.APPREHENSION,
    MilestoneKind.CHARGED, MilestoneKind.INVESTIGATED, MilestoneKind.CHARGE_DECISION})
COURT_MILESTONES = frozenset({
    MilestoneKind.COURT_RECEIVED, MilestoneKind.MAIN_HEARING, MilestoneKind.JUDGMENT,
    MilestoneKind.JUDGMENT_FINAL})
REACTION_MILESTONES = frozenset({MilestoneKind.REACTION_STARTED,
                                 MilestoneKind.REACTION_COMPLETED})

#: the agency type each named agency on a case must have
SIDE_AGENCY_TYPE = {
    Responsible.POLICE: AgencyType.POLITI,
    Responsible.COURT: AgencyType.DOMSTOL,
    Responsible.KONFLIKTRAAD: AgencyType.KONFLIKTRAAD,
    Responsible.KRIMINALOMSORG: AgencyType.KRIMINALOMSORG,
}
#: the case field that names the agency of each side
SIDE_FIELD = {
    Responsible.POLICE: "unit",
    Responsible.COURT: "court",
    Responsible.KONFLIKTRAAD: "konfliktraad",
    Responsible.KRIMINALOMSORG: "kriminalomsorg",
}


def is_prosecutor(actor: Actor) -> bool:
    return (actor.membership is not None and actor.role == Role.PROSECUTOR
            and actor.membership.agency.type == AgencyType.POLITI)


#: the agency types a youth case can name (police, court, konfliktråd, kriminalomsorg)
FASTTRACK_AGENCY_TYPES = frozenset(SIDE_AGENCY_TYPE.values())


def require_reader(actor: Actor) -> None:
    """The fast track is closed (PermissionDenied) to agencies a case cannot name and to roles
    outside the case work — the pages and the API alike; a case that does not name the actor's
    agency is then a 404 (`selectors.youth_case_get_for`)."""
    agency = actor.agency
    if agency is None or agency.type not in FASTTRACK_AGENCY_TYPES:
        raise PermissionDenied
    if actor.role not in CASE_ROLES and not is_prosecutor(actor):
        raise PermissionDenied


def _acts_in_case_role(actor: Actor) -> bool:
    return actor.membership is not None and (actor.role in CASE_ROLES or is_prosecutor(actor))


def sides_of(actor: Actor, case: YouthCase) -> set[str]:
    """The sides of the case the actor acts for (empty: the case does not exist for them). On the
    police side only a prosecutor acts; the unit's other case roles may only read."""
    if not _acts_in_case_role(actor):
        return set()
    agency_id = actor.membership.agency_id if actor.membership else None
    return {side for side, field in SIDE_FIELD.items()
            if getattr(case, f"{field}_id") == agency_id
            and (side != Responsible.POLICE or is_prosecutor(actor))}


def may_see(actor: Actor, case: YouthCase) -> bool:
    if not _acts_in_case_role(actor) or actor.membership is None:
        return False
    agency_id = actor.membership.agency_id
    return agency_id in (case.unit_id, case.court_id, case.konfliktraad_id,
                         case.kriminalomsorg_id)


def visible_filter(actor: Actor) -> Q:
    """The cases the actor may see, as a filter (nothing for those outside the case roles)."""
    if not _acts_in_case_role(actor) or actor.membership is None:
        return Q(pk__in=[])
    agency_id = actor.membership.agency_id
    return (Q(unit_id=agency_id) | Q(court_id=agency_id) | Q(konfliktraad_id=agency_id)
            | Q(kriminalomsorg_id=agency_id))


def milestone_sides(kind: str) -> set[str]:
    if kind in POLICE_MILESTONES:
        return {Responsible.POLICE}
    if kind in COURT_MILESTONES:
        return {Responsible.COURT}
    return {Responsible.KONFLIKTRAAD, Responsible.KRIMINALOMSORG}


def may_record(actor: Actor, case: YouthCase, kind: str) -> bool:
    return bool(sides_of(actor, case) & milestone_sides(kind))


def may_change_reaction(actor: Actor, case: YouthCase) -> bool:
    """The reaction plan is made where the reaction is decided or carried out: the prosecutor
    (påtaleunnlatelse, konfliktråd), the court, the konfliktråd or kriminalomsorgen."""
    return bool(sides_of(actor, case))
