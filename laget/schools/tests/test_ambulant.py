"""The ambulant team: request → triage → dispatch → arrival → visits → closing report, the board,
and the response-time statistics with small-number suppression."""

import datetime as dt

import pytest

from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.schools import selectors, services
from laget.schools.models import AmbulantRequest, RequestStatus
from laget.schools.selectors import percentile, response_stats
from laget.schools.tests.factories import SchoolFactory

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _incident(actor):
    return services.incident_report(actor=actor, occurred_at=clock.now() - dt.timedelta(hours=1),
                                    kind="vold", description="Slåsskamp.")


def test_full_flow_and_response_time(schools):
    with clock.frozen(T0):
        incident = _incident(schools.teacher_a)
        with pytest.raises(DomainError, match="rektor"):
            services.ambulant_request_create(actor=schools.teacher_a, kind="hendelse",
                                             situation="Uro.", incident=incident)
        with pytest.raises(DomainError, match="Velg hendelsen"):
            services.ambulant_request_create(actor=schools.principal_a, kind="hendelse",
                                             situation="Uro.")
        with pytest.raises(DomainError, match="skolen din"):
            services.ambulant_request_create(actor=schools.principal_b, kind="hendelse",
                                             situation="Uro.", incident=incident)
        request = services.ambulant_request_create(actor=schools.principal_a, kind="hendelse",
                                                   situation="Uro i 9. trinn.",
                                                   incident=incident)
    with clock.frozen(T0 + dt.timedelta(minutes=20)):
        with pytest.raises(DomainError, match="ambulante teamet"):
            services.ambulant_triage(actor=schools.team_member, request=request, urgency="akutt")
        with pytest.raises(DomainError, match="vurderes"):
            services.ambulant_dispatch(actor=schools.team_leader, request=request)
        services.ambulant_triage(actor=schools.team_leader, request=request, urgency="akutt")
        services.ambulant_dispatch(actor=schools.team_leader, request=request)
    with clock.frozen(T0 + dt.timedelta(minutes=95)):
        with pytest.raises(DomainError, match="etter ankomst"):
            services.ambulant_visit_add(actor=schools.team_member, request=request,
                                        visited_on=clock.today(), note="Samtaler.")
        services.ambulant_arrive(actor=schools.team_member, request=request)
        services.ambulant_visit_add(actor=schools.team_member, request=request,
                                    visited_on=clock.today(), note="Samtaler med klassen.")
        with pytest.raises(DomainError, match="sluttrapporten"):
            services.ambulant_close(actor=schools.team_member, request=request,
                                    measures="Klassemøter.", report=" ")
        closed = services.ambulant_close(actor=schools.team_member, request=request,
                                         measures="Klassemøter.", report="Roligere nå.")
    assert closed.status == RequestStatus.CLOSED
    assert closed.response_minutes == 95
    # the school's staff and the team see it; another school does not
    assert selectors.ambulant_request_get_for(actor=schools.teacher_a, request_id=request.pk)
    assert selectors.ambulant_request_get_for(actor=schools.team_member, request_id=request.pk)
    with pytest.raises(NotFound):
        selectors.ambulant_request_get_for(actor=schools.teacher_b, request_id=request.pk)


def test_decline_needs_reason(schools):
    request = services.ambulant_request_create(actor=schools.principal_a, kind="langsiktig",
                                               situation="Mye mobbing over tid.")
    with pytest.raises(DomainError, match="hvorfor"):
        services.ambulant_triage(actor=schools.team_leader, request=request, urgency="",
                                 decline=True)
    declined = services.ambulant_triage(actor=schools.team_leader, request=request, urgency="",
                                        decline=True, note="Skolens miljøteam tar det.")
    assert declined.status == RequestStatus.DECLINED and declined.closed_at is not None


def test_board_orders_untriaged_then_urgency_then_waiting(schools):
    with clock.frozen(T0):
        old_normal = services.ambulant_request_create(actor=schools.principal_a,
                                                      kind="langsiktig", situation="a")
    with clock.frozen(T0 + dt.timedelta(hours=1)):
        acute = services.ambulant_request_create(actor=schools.principal_b, kind="langsiktig",
                                                 situation="b")
        fresh = services.ambulant_request_create(actor=schools.principal_a, kind="langsiktig",
                                                 situation="c")
        services.ambulant_triage(actor=schools.team_leader, request=old_normal,
                                 urgency="normal")
        services.ambulant_triage(actor=schools.team_leader, request=acute, urgency="akutt")
    with clock.frozen(T0 + dt.timedelta(hours=2)):
        board = selectors.ambulant_board()
    assert [row.request.pk for row in board] == [fresh.pk, acute.pk, old_normal.pk]
    assert board[2].waiting_minutes == 120


def test_percentile_nearest_rank():
    assert percentile([5], 0.9) == 5
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile(list(range(1, 21)), 0.9) == 18


def _arrived(school, user, requested_at, minutes):
    return AmbulantRequest.objects.create(
        school=school, district_id=school.district_id, requested_by=user,
        requested_at=requested_at, kind="langsiktig", situation="x",
        status=RequestStatus.CLOSED, arrived_at=requested_at + dt.timedelta(minutes=minutes))


def test_statistics_median_p90_only_for_ten_and_suppression(schools):
    user = schools.principal_a.user
    frogner = SchoolFactory(district_id="030105", agency__district_id="030105")
    alna = SchoolFactory(district_id="030112", agency__district_id="030112")
    for i in range(12):  # Stovner: 12 requests, 10..120 minutes
        _arrived(schools.school_a, user, T0 + dt.timedelta(days=i % 20), 10 * (i + 1))
    for i in range(6):  # Frogner: 6 requests
        _arrived(frogner, user, T0 + dt.timedelta(days=i), 30)
    for i in range(2):  # Alna: 2 requests — suppressed
        _arrived(alna, user, T0 + dt.timedelta(days=i), 45)
    _arrived(schools.school_a, user, T0 + dt.timedelta(days=40), 15)  # April: one request
    months = {m.month: m for m in response_stats()}
    march = {c.district: c for c in months["2026-03"].cells}
    assert march["030111"].count == 12
    assert (march["030111"].median, march["030111"].p90) == (65, 110)
    assert march["030112"].suppressed and march["030112"].count is None
    assert march["030112"].median is None
    # one suppressed cell: the smallest published one is withheld as well
    assert march["030105"].count is None and not march["030105"].suppressed
    assert march["030105"].median is None  # fewer than ten
    total = months["2026-03"].total
    assert total.count == 20 and total.median is not None
    april = months["2026-04"]
    assert april.cells[0].suppressed and april.total.count is None
