"""The objects behind reentry's placeholders in tests/test_authorization_matrix.py: a release from
a kriminalomsorg unit (the agency's own when it is one) handed over to a NAV office (the agency's
own when it is one, its coordinator the advisor), and a message between the two exchange agencies
that the agency sent or received when it is one of them."""

import datetime as dt

from laget.accounts.models import AgencyType
from laget.accounts.tests.factories import AgencyFactory
from laget.core import clock
from laget.people.models import Person
from laget.reentry.models import ExchangeMessage, ReentryPlan, Release, ReleaseStatus

#: who opens which reentry page (the agency types of its case roles)
RELEASE_PAGES = (AgencyType.KRIMINALOMSORG,)
PLAN_PAGES = (AgencyType.NAV,)
EXCHANGE_PAGES = (AgencyType.KRIMINALOMSORG, AgencyType.POLITI)
HOME_PAGES = (AgencyType.KRIMINALOMSORG, AgencyType.POLITI, AgencyType.NAV)


def reentry_objects(person: Person, memberships: dict) -> dict[str, object]:
    coordinator = memberships["coordinator"]
    agency = coordinator.agency
    today = clock.today()

    def own_or_new(agency_type: str):
        return agency if agency.type == agency_type else AgencyFactory(type=agency_type)

    unit, office = own_or_new(AgencyType.KRIMINALOMSORG), own_or_new(AgencyType.NAV)
    release = Release.objects.create(
        person=person, unit=unit, registered_by=coordinator.user,
        expected_date=today + dt.timedelta(days=70), kind="parole", municipality="Oslo",
        district_id=person.district_id, status=ReleaseStatus.HANDED_OVER)
    plan = ReentryPlan.objects.create(
        release=release, nav_office=office, owner=coordinator.user,
        handed_over_by=coordinator.user, handed_over_at=clock.now())
    police = own_or_new(AgencyType.POLITI)
    sender, receiver = (unit, police) if agency.type != AgencyType.POLITI else (unit, agency)
    message = ExchangeMessage.objects.create(
        person=person, category="incident", info_category="kriminalomsorg",
        purpose="straffesak", sender_agency=sender, sender=coordinator.user,
        receiver_agency=receiver, text="Hendelse.", rule_id="kriminalomsorg-politi",
        rule_citation="straffegjennomføringsloven § 7", sent_at=clock.now())
    return {"RELEASE": release.pk, "REENTRYPLAN": plan.pk, "XMESSAGE": message.pk}
