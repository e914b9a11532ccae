"""The demo's reentry data: through the real services, deterministic, and a second run changes
nothing."""

import datetime as dt

from laget.accounts.models import Membership, Role
from laget.accounts.tests.factories import AgencyFactory, UserFactory
from laget.core import clock
from laget.demo.reentry import build_reentry
from laget.reentry import selectors
from laget.reentry.models import ExchangeMessage, NetworkAffiliation, Outcome, Placement, Release
from laget.reentry.tests.conftest import actor_of
from laget.reentry.tests.factories import person_aged


def test_demo_reentry(rulebook, draft_rules_in_force):
    since = clock.today() - dt.timedelta(days=400)
    for username, kind, district in (("kriminalomsorg", "kriminalomsorg", None),
                                     ("nav.stovner", "nav", "030111"),
                                     ("politi.stovner", "politi", "030111")):
        Membership.objects.create(user=UserFactory(username=username),
                                  agency=AgencyFactory(type=kind, district_id=district),
                                  role=Role.CASEWORKER, valid_from=since)
    for _ in range(5):
        person_aged(20, today=clock.today())
    assert build_reentry(districts={"030111": "stovner"}) == 3
    assert Release.objects.count() == 3
    nav = actor_of(Membership.objects.get(user__username="nav.stovner").user)
    rows = selectors.plans_for_nav(actor=nav)
    assert [r.alert for r in rows] == [True, False]
    assert Outcome.objects.get().milestone == 3
    assert NetworkAffiliation.objects.count() == 3 and Placement.objects.count() == 2
    assert ExchangeMessage.objects.count() == 2
    assert ExchangeMessage.objects.filter(read_at__isnull=False).count() == 1
    assert build_reentry(districts={"030111": "stovner"}) == 0
