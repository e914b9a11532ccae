"""The demo's schools: the register, the pilot schools, requests with arrival (a median in
Stovner), two on the board, a change in hearing and a decided one with a handover waiting; a
second run changes nothing."""

import datetime as dt

import pytest
from django.conf import settings

from laget.accounts.models import AgencyType, Membership, Role
from laget.accounts.tests.factories import AgencyFactory, UserFactory
from laget.demo.schools import build_schools
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.services import case_open
from laget.schools.models import AmbulantRequest, ChangeStatus, Incident, School, SchoolChange
from laget.schools.selectors import ambulant_board, handovers_waiting_for, response_stats
from laget.schools.tests.conftest import actor_of

pytestmark = pytest.mark.django_db


def _member(agency, role):
    user = UserFactory()
    Membership.objects.create(user=user, agency=agency, role=role,
                              valid_from=dt.date(2026, 1, 1))
    return user


def test_demo_schools(rulebook):
    for suffix in ("1", "2"):
        AgencyFactory(code=f"skole-stovner-{suffix}", type=AgencyType.SKOLE, district_id="030111")
    school = AgencyFactory._meta.model.objects.get(code="skole-stovner-2")
    _member(school, Role.CASEWORKER)
    _member(school, Role.LEADER)
    team = AgencyFactory(code=settings.LAGET_AMBULANT_TEAM_AGENCY, type=AgencyType.BY,
                         district_id=None)
    _member(team, Role.LEADER)
    _member(team, Role.CASEWORKER)
    bydel = AgencyFactory(code="bydel-stovner", type=AgencyType.BYDEL, district_id="030111")
    coordinator = _member(bydel, Role.COORDINATOR)
    persons = [PersonFactory(birth_date=dt.date(2011, 3, 1) + dt.timedelta(days=40 * i))
               for i in range(4)]
    for person in persons:
        GuardianFactory(person=person)
    case = case_open(actor=actor_of(coordinator), person=persons[0])
    build_schools(districts={"030111": "stovner"})
    assert School.objects.filter(source="syntetisk").count() >= 30 + 2
    assert AmbulantRequest.objects.filter(arrived_at__isnull=False).count() == 12
    assert len(ambulant_board()) == 2
    stovner = [c for m in response_stats() for c in m.cells if c.district == "030111"]
    assert sum(c.count or 0 for c in stovner) <= 12
    statuses = sorted(SchoolChange.objects.values_list("status", flat=True))
    assert statuses == sorted([ChangeStatus.DECIDED, ChangeStatus.PROPOSED])
    assert [c.person_id for c, _ in handovers_waiting_for(actor=actor_of(coordinator))] == [
        case.person_id]
    incidents = Incident.objects.count()
    build_schools(districts={"030111": "stovner"})
    assert Incident.objects.count() == incidents
