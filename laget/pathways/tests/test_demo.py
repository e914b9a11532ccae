"""The demo's catalogue and referrals: every kind of offer in the pilot bydel, one referral with
its consent, the club's yes and weekly attendance, and a second run that changes nothing."""

import datetime as dt

import pytest

from laget.accounts.models import AgencyType, Membership, Role
from laget.accounts.tests.factories import AgencyFactory, UserFactory
from laget.core import clock
from laget.demo.pathways import build_pathways
from laget.pathways.models import Attendance, Offer, OfferKind, Referral, ReferralStatus
from laget.pathways.tests.conftest import actor_of
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.models import TeamMember
from laget.records.services import case_open

pytestmark = pytest.mark.django_db


def test_demo_catalogue_and_referral(rulebook):
    agencies = {}
    for slug, code in (("stovner", "030111"), ("sondre-nordstrand", "030115"),
                       ("gamle-oslo", "030101")):
        for kind in ("fritid", "bydel", "nav"):
            agencies[f"{kind}-{slug}"] = AgencyFactory(code=f"{kind}-{slug}", type=kind,
                                                       district_id=code)
    coordinator_user = UserFactory()
    Membership.objects.create(user=coordinator_user, agency=agencies["bydel-stovner"],
                              role=Role.COORDINATOR)
    Membership.objects.create(user=UserFactory(), agency=agencies["fritid-stovner"],
                              role=Role.CASEWORKER)
    person = PersonFactory(district_id="030111")
    GuardianFactory(person=person)
    case = case_open(actor=actor_of(coordinator_user), person=person)
    # as the demo's workflow does: the case was opened two months ago
    opened = clock.today() - dt.timedelta(days=60)
    TeamMember.objects.filter(case=case).update(joined_on=opened)
    assert build_pathways(districts={"030111": "stovner"}) == 1
    kinds = set(Offer.objects.filter(district_id="030111").values_list("kind", flat=True))
    assert kinds == set(OfferKind.values)
    referral = Referral.objects.get(case=case)
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.offer.provider.type == AgencyType.FRITID
    assert Attendance.objects.filter(referral=referral).count() == 6
    assert build_pathways(districts={"030111": "stovner"}) == 0
    assert Referral.objects.count() == 1
