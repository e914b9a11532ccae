"""Forced school change: proposal and parties, the hearing deadline rule, decision, appeal, what
the receiving school sees, and the handover to its contact on the pupil's SaLTo team."""

import datetime as dt

import pytest

from laget.accounts.models import AgencyType, Role
from laget.accounts.tests.factories import AgencyFactory
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.records.models import TeamMember
from laget.records.services import case_open
from laget.schools import selectors, services
from laget.schools.models import ChangeStatus, PartyKind
from laget.schools.services import Involvement, hearing_open
from laget.schools.tests.conftest import member

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _propose(schools):
    incident = services.incident_report(
        actor=schools.teacher_a, occurred_at=clock.now() - dt.timedelta(days=1), kind="vold",
        description="Alvorlig vold mot medelev, fortalt i detalj.",
        pupils=[Involvement(schools.pupil, perpetrator=True)])
    return services.change_propose(actor=schools.principal_a, person=schools.pupil,
                                   to_school=schools.school_b, grounds="Gjentatt vold.",
                                   incidents=[incident])


def _decide(schools, change, **kwargs):
    return services.change_decide(actor=schools.principal_a, change=change, change_school=True,
                                  reasons="Tryggheten til medelever.",
                                  effective_on=clock.today() + dt.timedelta(days=7),
                                  measures_for_receiving="Fast kontaktlærer første uke.",
                                  **kwargs)


def test_proposal_makes_pupil_and_guardians_parties_with_deadline(schools, settings):
    settings.LAGET_SCHOOL_HEARING_DAYS = 14
    with clock.frozen(T0):
        change = _propose(schools)
    assert change.hearing_deadline == dt.date(2026, 3, 16)
    kinds = sorted(change.parties.values_list("kind", flat=True))
    assert kinds == [PartyKind.PUPIL, PartyKind.GUARDIAN, PartyKind.GUARDIAN]


def test_proposal_refusals(schools):
    incident = services.incident_report(
        actor=schools.teacher_a, occurred_at=clock.now() - dt.timedelta(days=1), kind="vold",
        description="x", pupils=[Involvement(schools.pupil, victim=True)])
    with pytest.raises(DomainError, match="rektor"):
        services.change_propose(actor=schools.teacher_a, person=schools.pupil,
                                to_school=schools.school_b, grounds="x", incidents=[incident])
    with pytest.raises(DomainError, match="utøver"):
        services.change_propose(actor=schools.principal_a, person=schools.pupil,
                                to_school=schools.school_b, grounds="x", incidents=[incident])
    with pytest.raises(DomainError, match="annen skole"):
        services.change_propose(actor=schools.principal_a, person=schools.pupil,
                                to_school=schools.school_a, grounds="x", incidents=[incident])


def test_decision_blocked_until_deadline_passed(schools):
    with clock.frozen(T0):
        change = _propose(schools)
    deadline = change.hearing_deadline
    on_deadline = dt.datetime.combine(deadline, dt.time(12), tzinfo=clock.OSLO)
    with clock.frozen(on_deadline), pytest.raises(DomainError) as error:
        _decide(schools, change)
    assert error.value.code == "hearing"
    with clock.frozen(on_deadline + dt.timedelta(days=1)):
        decided = _decide(schools, change)
    assert decided.status == ChangeStatus.DECIDED


def test_decision_allowed_early_when_everyone_is_heard(schools):
    with clock.frozen(T0):
        change = _propose(schools)
        parties = list(change.parties.all())
        for party in parties[:-1]:
            services.hearing_register(actor=schools.principal_a, change=change, party=party,
                                      statement="Uenig.")
        with pytest.raises(DomainError, match="fristen"):
            _decide(schools, change)
        with pytest.raises(DomainError, match="rektor"):
            services.hearing_register(actor=schools.principal_b, change=change,
                                      party=parties[-1], statement="x")
        services.hearing_register(actor=schools.principal_a, change=change, party=parties[-1],
                                  statement="Ønsker ikke å uttale seg.")
        with pytest.raises(DomainError, match="allerede"):
            services.hearing_register(actor=schools.principal_a, change=change,
                                      party=parties[-1], statement="igjen")
        assert not hearing_open(change)
        assert _decide(schools, change).status == ChangeStatus.DECIDED


@pytest.mark.parametrize("offset", [-3, -1, 0, 1, 5])
@pytest.mark.parametrize("heard", [0, 1, 2, 3])
def test_hearing_rule_edges(schools, offset, heard):
    """Open exactly when the day is on or before the deadline and someone is unheard."""
    with clock.frozen(T0):
        change = _propose(schools)
        for party in list(change.parties.all())[:heard]:
            services.hearing_register(actor=schools.principal_a, change=change, party=party,
                                      statement="Hørt.")
    day = change.hearing_deadline + dt.timedelta(days=offset)
    assert hearing_open(change, day) == (offset <= 0 and heard < 3)


def test_appeal_and_outcome(schools):
    with clock.frozen(T0):
        change = _propose(schools)
    later = T0 + dt.timedelta(days=20)
    with clock.frozen(later):
        _decide(schools, change)
        with pytest.raises(DomainError, match="etter vedtaket"):
            services.change_appeal(actor=schools.principal_a, change=change,
                                   received_on=dt.date(2026, 3, 1))
        services.change_appeal(actor=schools.principal_a, change=change,
                               received_on=clock.today())
        done = services.change_appeal_outcome(actor=schools.principal_a, change=change,
                                              upheld=False, decided_on=clock.today())
    assert done.status == ChangeStatus.REVERSED


def test_receiving_school_gets_only_the_decision_parts(schools):
    with clock.frozen(T0):
        change = _propose(schools)
        # before the decision the receiving school knows nothing
        with pytest.raises(NotFound):
            selectors.change_get_for(actor=schools.principal_b, change_id=change.pk)
    with clock.frozen(T0 + dt.timedelta(days=20)):
        _decide(schools, change)
        full = selectors.change_get_for(actor=schools.principal_a, change_id=change.pk)
        receiving = selectors.change_get_for(actor=schools.teacher_b, change_id=change.pk)
    assert full.full and len(full.incidents) == 1
    assert not receiving.full and receiving.incidents == [] and receiving.narrative_rule == ""
    # and the receiving school still cannot open the incident itself
    with pytest.raises(NotFound):
        selectors.incident_get_for(actor=schools.principal_b, incident_id=full.incidents[0].pk)
    third = member(AgencyFactory(type=AgencyType.SKOLE), Role.LEADER)
    with pytest.raises(NotFound):
        selectors.change_get_for(actor=third, change_id=change.pk)
    assert selectors.changes_received_for(actor=schools.principal_b,
                                          school=schools.school_b) == [change]


def test_handover_adds_receiving_contact_to_the_team(schools):
    coordinator = member(AgencyFactory(type=AgencyType.BYDEL, district_id="030111"),
                         Role.COORDINATOR)
    other_bydel = member(AgencyFactory(type=AgencyType.BYDEL, district_id="030105"),
                         Role.COORDINATOR)
    start = clock.now()
    with clock.frozen(start):
        case = case_open(actor=coordinator, person=schools.pupil)
        change = _propose(schools)
        with pytest.raises(DomainError, match="ikke vedtatt"):
            services.handover_add_contact(actor=coordinator, change=change,
                                          contact=schools.teacher_b.user)
    with clock.frozen(start + dt.timedelta(days=20)):
        _decide(schools, change)
        assert selectors.handovers_waiting_for(actor=coordinator) == [(change, case)]
        assert selectors.handovers_waiting_for(actor=other_bydel) == []
        with pytest.raises(DomainError, match="koordinatoren"):
            services.handover_add_contact(actor=other_bydel, change=change,
                                          contact=schools.teacher_b.user)
        with pytest.raises(DomainError, match="arbeider ikke"):
            services.handover_add_contact(actor=coordinator, change=change,
                                          contact=schools.teacher_a.user)
        added = services.handover_add_contact(actor=coordinator, change=change,
                                              contact=schools.teacher_b.user)
        assert added.is_contact and added.agency_id == schools.school_b.agency_id
        assert TeamMember.objects.active().filter(case=case, user=schools.teacher_b.user).exists()
        assert selectors.handovers_waiting_for(actor=coordinator) == []
        with pytest.raises(DomainError, match="allerede"):
            services.handover_add_contact(actor=coordinator, change=change,
                                          contact=schools.principal_b.user)
