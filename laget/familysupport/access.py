"""Who may see what of the family support: parent-support referrals, relocation applications
(and their protected destination) and interpreter bookings and their report.

- A referral is seen by the case's workflow readers (the team and the bydel coordinator) when its
  referring agency is one whose involvement they may know (`cases.access.known_agency_ids`), and
  by the case roles of the programme's provider.
- A relocation application exists only for the coordinator who registered it, the leader who
  decides it and the handlers they named — each acting in a case role of a bydel agency of the
  application's bydel. When the family's address is protected (the application's flag, or the
  young person's or an applying guardian's address protection), the destination is for the
  registering coordinator and the deciding leader alone.
- Interpreter bookings are booked and listed by the case's workflow readers; the use-and-cost
  report is the city's (analysts, administrators, leaders of a city unit) and each bydel
  leader's for their own bydel."""

from django.db.models import Q

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Role
from laget.cases.access import known_agency_ids, may_see_workflow
from laget.familysupport.models import ParentSupportReferral, RelocationApplication
from laget.people.models import AddressProtection, Guardian
from laget.records.models import Case
from laget.records.services import CASE_ROLES


def _case_role(actor: Actor) -> bool:
    return actor.membership is not None and actor.role in CASE_ROLES


# --- parent support -------------------------------------------------------------------------------

def is_provider(actor: Actor, referral: ParentSupportReferral) -> bool:
    """A case role of the agency that provides the programme."""
    return (_case_role(actor) and actor.membership is not None
            and referral.offer.provider_id == actor.membership.agency_id)


def may_see_referral(actor: Actor, referral: ParentSupportReferral, purpose: str) -> bool:
    if is_provider(actor, referral):
        return True
    case = referral.case
    return (may_see_workflow(actor, case)
            and referral.referring_agency_id in known_agency_ids(actor, case, purpose))


def provider_filter(actor: Actor) -> Q:
    """Referrals to the actor's agency's programmes (nothing outside the case roles)."""
    if not _case_role(actor) or actor.membership is None:
        return Q(pk__in=[])
    return Q(offer__provider_id=actor.membership.agency_id)


# --- relocation -----------------------------------------------------------------------------------

def _in_bydel(actor: Actor, district_id: str) -> bool:
    agency = actor.agency
    return bool(_case_role(actor) and agency is not None and agency.type == AgencyType.BYDEL
                and agency.district_id == district_id)


def may_register_relocation(actor: Actor, case: Case) -> bool:
    """The coordinator (or leader) of the case's bydel."""
    return _in_bydel(actor, case.district_id) and actor.role in (Role.COORDINATOR, Role.LEADER)


def may_see_relocation(actor: Actor, application: RelocationApplication) -> bool:
    if not _in_bydel(actor, application.district_id):
        return False
    user_id = actor.user.pk
    return (user_id in (application.registered_by_id, application.leader_id)
            or application.handlers.filter(pk=user_id).exists())


def relocation_filter(actor: Actor) -> Q:
    """The applications the actor may see, as a filter."""
    agency = actor.agency
    if (not _case_role(actor) or agency is None or agency.type != AgencyType.BYDEL
            or agency.district_id is None):
        return Q(pk__in=[])
    user_id = actor.user.pk
    return Q(district_id=agency.district_id) & (
        Q(registered_by_id=user_id) | Q(leader_id=user_id) | Q(handlers__pk=user_id))


def destination_protected(application: RelocationApplication) -> bool:
    """The flag, or address protection on the young person or any applying guardian."""
    if application.protected:
        return True
    if application.case.person.address_protection != AddressProtection.NONE:
        return True
    return Guardian.objects.filter(
        pk__in=application.guardians.values("pk")).exclude(
        address_protection=AddressProtection.NONE).exists()


def has_destination_need(actor: Actor, application: RelocationApplication) -> bool:
    """The registering coordinator and the deciding leader: the two who need the destination to
    handle and decide the application."""
    return (_in_bydel(actor, application.district_id)
            and actor.user.pk in (application.registered_by_id, application.leader_id))


def may_see_destination(actor: Actor, application: RelocationApplication) -> bool:
    if not may_see_relocation(actor, application):
        return False
    return has_destination_need(actor, application) or not destination_protected(application)


def may_decide(actor: Actor, application: RelocationApplication) -> bool:
    return (actor.user.pk == application.leader_id and actor.role == Role.LEADER
            and _in_bydel(actor, application.district_id))


def may_handle(actor: Actor, application: RelocationApplication) -> bool:
    """Register an appeal or a payment, name handlers: the registering coordinator and the
    deciding leader."""
    return has_destination_need(actor, application)


# --- interpreters ---------------------------------------------------------------------------------

def may_book_interpreter(actor: Actor, case: Case) -> bool:
    return may_see_workflow(actor, case)


def interpreter_report_scope(actor: Actor) -> str | None:
    """The bydel code whose report the actor may see, "" for the whole city, None for none."""
    if actor.membership is None:
        return None
    if actor.role in (Role.ANALYST, Role.ADMIN):
        return ""
    agency = actor.agency
    if actor.role == Role.LEADER and agency is not None:
        if agency.type == AgencyType.BY:
            return ""
        if agency.type == AgencyType.BYDEL and agency.district_id:
            return agency.district_id
    return None
