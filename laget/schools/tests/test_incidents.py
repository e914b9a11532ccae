"""Incident reports: validation, roles, audit, and the serious incident on a SaLTo case."""

import datetime as dt

import pytest

from laget.accounts.models import AgencyType, Role
from laget.accounts.tests.factories import AgencyFactory
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.people.tests.factories import PersonFactory
from laget.records.services import case_open, team_member_add
from laget.schools import selectors, services
from laget.schools.services import Involvement
from laget.schools.tests.conftest import member
from laget.sharing.selectors import case_entries_for


def _report(actor, pupils=(), kind="vold", **kwargs):
    return services.incident_report(
        actor=actor, occurred_at=clock.now() - dt.timedelta(hours=2), kind=kind,
        description="Slag i skolegården.", pupils=pupils, **kwargs)


def test_teacher_reports_with_roles_and_audit(schools):
    other = PersonFactory()
    incident = _report(schools.teacher_a, [
        Involvement(schools.pupil, perpetrator=True, witness=True),
        Involvement(other, victim=True)], staff_affected=1, police_informed=True)
    rows = {r.person_id: r for r in incident.pupils.all()}
    assert rows[schools.pupil.pk].roles == ["utøver", "vitne"]
    assert rows[other.pk].roles == ["utsatt"]
    event = AuditEvent.objects.get(action="schools.incident_report")
    assert event.details["pupils"] == 2 and event.details["case_entries"] == 0


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"kind": "ukjent"}, "kind"),
    ({"activity_plan_started": True}, "plan_due"),
    ({"activity_plan_due": dt.date(2030, 1, 1)}, "plan_due"),
    ({"staff_affected": 900}, "staff"),
])
def test_refusals(schools, kwargs, code):
    with pytest.raises(DomainError) as error:
        _report(schools.teacher_a, **kwargs)
    assert error.value.code == code


def test_pupil_needs_a_role_and_appears_once(schools):
    with pytest.raises(DomainError, match="minst én rolle"):
        _report(schools.teacher_a, [Involvement(schools.pupil)])
    with pytest.raises(DomainError, match="to ganger"):
        _report(schools.teacher_a, [Involvement(schools.pupil, victim=True),
                                    Involvement(schools.pupil, witness=True)])


def test_future_time_and_non_school_actor_refused(schools):
    with pytest.raises(DomainError, match="fram i tid"):
        services.incident_report(actor=schools.teacher_a,
                                 occurred_at=clock.now() + dt.timedelta(hours=1), kind="vold",
                                 description="x")
    with pytest.raises(DomainError, match="ved en skole"):
        _report(schools.team_member)


def test_school_b_cannot_see_school_a_incident(schools):
    incident = _report(schools.teacher_a, [Involvement(schools.pupil, perpetrator=True)])
    assert selectors.incident_get_for(actor=schools.principal_a, incident_id=incident.pk)
    for outsider in (schools.teacher_b, schools.principal_b, schools.team_leader):
        with pytest.raises(NotFound):
            selectors.incident_get_for(actor=outsider, incident_id=incident.pk)
    overview = selectors.overview_for(actor=schools.principal_b, school=schools.school_b)
    assert overview.open_incidents == []


def _visible(actor, case):
    _page, shown = case_entries_for(actor=actor, case=case, purpose="forebygging")
    return {s.entry.pk for s in shown}


def _case_with_teacher_on_team(schools):
    coordinator = member(AgencyFactory(type=AgencyType.BYDEL, district_id="030111"),
                         Role.COORDINATOR)
    case = case_open(actor=coordinator, person=schools.pupil)
    team_member_add(actor=coordinator, case=case, user=schools.teacher_a.user,
                    agency=schools.school_a.agency)
    return coordinator, case


def test_serious_incident_becomes_a_case_entry_without_other_pupils(schools):
    coordinator, case = _case_with_teacher_on_team(schools)
    other = PersonFactory(given_name="Annenelev")
    incident = _report(schools.teacher_a, [Involvement(schools.pupil, perpetrator=True),
                                           Involvement(other, victim=True)],
                       actions_taken="Samtale med foresatte.")
    row = incident.pupils.get(person=schools.pupil)
    _page, shown = case_entries_for(actor=schools.teacher_a, case=case, purpose="forebygging")
    entry = next(s.entry for s in shown if s.entry.pk == row.salto_entry_id)
    assert entry.case_id == case.pk and entry.category == "skole"
    assert entry.source_agency_id == schools.school_a.agency_id
    assert "utøver" in entry.text and "Annenelev" not in entry.text
    assert "Slag i skolegården" not in entry.text  # the narrative stays with the school
    # the sharing engine decides who sees it: the coordinator (bydel) has no basis without consent
    assert entry.pk not in _visible(coordinator, case)
    assert entry.pk in _visible(schools.teacher_a, case)


def test_mobbing_is_not_entered_and_a_colleague_off_team_writes_nothing(schools):
    _coordinator, _case = _case_with_teacher_on_team(schools)
    incident = _report(schools.teacher_a, [Involvement(schools.pupil, perpetrator=True)],
                       kind="mobbing")
    assert incident.pupils.get().salto_entry_id is None
    colleague = member(schools.school_a.agency, Role.CASEWORKER)
    serious = _report(colleague, [Involvement(schools.pupil, perpetrator=True)])
    row = serious.pupils.get()
    assert row.salto_entry_id is None
    # the colleague is not on the team: nothing pending for them, and adding is refused
    assert selectors.incident_case_pending_for(actor=colleague, incident=serious) == []
    with pytest.raises(DomainError, match="teamet"):
        services.incident_case_entry_add(actor=colleague, incident=serious, row=row)
    # the teacher on the team adds it
    assert selectors.incident_case_pending_for(actor=schools.teacher_a, incident=serious) == [row]
    services.incident_case_entry_add(actor=schools.teacher_a, incident=serious, row=row)
    row.refresh_from_db()
    assert row.salto_entry_id is not None
    with pytest.raises(DomainError, match="allerede"):
        services.incident_case_entry_add(actor=schools.teacher_a, incident=serious, row=row)


def test_principal_closes(schools):
    incident = _report(schools.teacher_a)
    with pytest.raises(DomainError, match="rektor"):
        services.incident_close(actor=schools.teacher_a, incident=incident)
    with pytest.raises(DomainError, match="rektor"):
        services.incident_close(actor=schools.principal_b, incident=incident)
    services.incident_close(actor=schools.principal_a, incident=incident)
    overview = selectors.overview_for(actor=schools.principal_a, school=schools.school_a)
    assert overview.open_incidents == []
