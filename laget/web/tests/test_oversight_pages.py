import datetime as dt

import pytest
from django.test import Client

from laget.accounts.actor import Actor
from laget.accounts.models import Membership
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.people.tests.factories import PersonFactory
from laget.records.services import case_open, team_member_add
from laget.sharing import services

pytestmark = pytest.mark.django_db


def actor_of(user):
    return Actor(user, Membership.objects.get(user=user))


def test_auditor_sees_overdue_emergency_reviews_without_case_content(make_member, login,
                                                                     rulebook):
    coordinator = actor_of(make_member("coordinator"))
    school = actor_of(make_member("caseworker", agency_type="skole"))
    police = actor_of(make_member("caseworker", agency_type="politi"))
    person = PersonFactory(birth_date=dt.date.today().replace(year=dt.date.today().year - 15))
    case = case_open(actor=coordinator, person=person)
    for member in (school, police):
        team_member_add(actor=coordinator, case=case, user=member.user, agency=member.agency)
    entry = services.entry_add(actor=school, case=case, category="skole",
                               text="Hemmelig innhold om eleven.")
    services.emergency_open_group(actor=police, case=case,
                                  source_agency_id=entry.source_agency_id, category="skole",
                                  reason="Trussel om selvskading meldt av foresatt.")
    client = login(Client(), make_member("auditor", agency_type="by", district=None))
    body = client.get("/nodtilgang/forfalte/").content.decode()
    assert "Ingen vurderinger er forfalt." in body
    with clock.frozen(clock.now() + dt.timedelta(days=10)):
        body = client.get("/nodtilgang/forfalte/").content.decode()
    assert school.agency.name in body and police.agency.name in body
    assert "Hemmelig innhold" not in body and person.family_name not in body
    assert AuditEvent.objects.filter(action="audit.search", details__view="emergency_overdue"
                                     ).exists()
