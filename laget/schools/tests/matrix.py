"""The objects behind the schools' placeholders in tests/test_authorization_matrix.py. A school
agency gets its School and owns the incident, the ambulant request and the proposed school
change; a city unit (type `by`) plays the ambulant team; for every other agency the objects
belong to another school."""

import datetime as dt

from django.conf import settings

from laget.accounts.models import AgencyType
from laget.core import clock
from laget.schools.models import AmbulantRequest, Incident, IncidentPupil, SchoolChange
from laget.schools.tests.factories import SchoolFactory


def schools_objects(person, memberships: dict) -> dict[str, object]:
    caseworker, leader = memberships["caseworker"], memberships["leader"]
    agency = caseworker.agency
    if agency.type == AgencyType.BY:
        agency.code = settings.LAGET_AMBULANT_TEAM_AGENCY
        agency.save(update_fields=["code"])
    own = SchoolFactory(agency=agency, name=agency.name, district_id="030111") if (
        agency.type == AgencyType.SKOLE) else SchoolFactory()
    other = SchoolFactory()
    incident = Incident.objects.create(
        school=own, reported_by=caseworker.user, occurred_at=clock.now() - dt.timedelta(hours=1),
        kind="vold", description="Hendelse.")
    IncidentPupil.objects.create(incident=incident, person=person, perpetrator=True)
    request = AmbulantRequest.objects.create(
        school=own, district_id=own.district_id, requested_by=leader.user, kind="hendelse",
        incident=incident, situation="Uro.")
    change = SchoolChange.objects.create(
        person=person, from_school=own, to_school=other, proposed_by=leader.user,
        grounds="Vold.", hearing_deadline=clock.today() + dt.timedelta(days=14))
    return {"INCIDENT": incident.pk, "AMBREQUEST": request.pk, "SCHOOLCHANGE": change.pk}
