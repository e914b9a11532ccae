"""The objects behind the family support's placeholders in tests/test_authorization_matrix.py:
a referral from the agency's coordinator to another agency's parent-support programme, and a
relocation application registered by the coordinator for the agency's leader to decide."""

from laget.accounts.models import AgencyType
from laget.accounts.tests.factories import AgencyFactory
from laget.familysupport.models import ParentSupportReferral, RelocationApplication
from laget.pathways.models import Offer, OfferKind
from laget.people.models import Guardian
from laget.records.models import Case


def familysupport_objects(case: Case, guardian: Guardian, memberships: dict) -> dict[str, object]:
    coordinator, leader = memberships["coordinator"], memberships["leader"]
    offer = Offer.objects.create(provider=AgencyFactory(type=AgencyType.FRITID),
                                 kind=OfferKind.PARENT_SUPPORT, name="Foreldreprogram",
                                 age_min=10, age_max=18)
    referral = ParentSupportReferral.objects.create(
        case=case, guardian=guardian, offer=offer, text="Henvisning.",
        referred_by=coordinator.user, referring_agency=coordinator.agency, basis="consent",
        basis_ref="matrix")
    application = RelocationApplication.objects.create(
        case=case, district_id=case.district_id, registered_by=coordinator.user,
        leader=leader.user, grounds="Må flytte.", reasons=["kriminelt_miljo"],
        destination_number="4601", destination_name="Bergen", protected=True)
    application.guardians.set([guardian])
    return {"FSREFERRAL": referral.pk, "RELOCATION": application.pk}
