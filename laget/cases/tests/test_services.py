"""The case lifecycle: every move allowed or refused, who may move it, reasons, history, audit,
and a closed case that can only be read."""

import threading

import pytest
from django.db import connection, connections

from laget.audit.models import AuditEvent
from laget.cases.lifecycle import TRANSITIONS
from laget.cases.models import CaseStatusChange
from laget.cases.services import case_open, case_transition
from laget.core.errors import DomainError
from laget.records.models import Case, CaseStatus
from laget.records.services import case_marker_add, team_member_add
from laget.sharing import services as sharing_services

pytestmark = pytest.mark.django_db

S = CaseStatus
ALLOWED = {
    (S.ASSESSMENT, S.ACTIVE), (S.ASSESSMENT, S.CLOSED),
    (S.ACTIVE, S.CLOSING), (S.ACTIVE, S.CLOSED),
    (S.CLOSING, S.ACTIVE), (S.CLOSING, S.CLOSED),
}
#: the shortest way from assessment to each status
PATH = {S.ASSESSMENT: [], S.ACTIVE: [S.ACTIVE], S.CLOSING: [S.ACTIVE, S.CLOSING],
        S.CLOSED: [S.CLOSED]}


def move_to(scene, status):
    for step in PATH[status]:
        case_transition(actor=scene.coordinator, case=scene.case, to=step, reason="Steg.")


def test_the_table_is_the_documented_lifecycle():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize("start", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_move_is_allowed_or_refused(scene, start, target):
    move_to(scene, start)
    before = CaseStatusChange.objects.count()
    if (start, target) in ALLOWED:
        change = case_transition(actor=scene.coordinator, case=scene.case, to=target,
                                 reason="Fordi.")
        assert (change.from_status, change.to_status) == (start, target)
        assert Case.objects.get(pk=scene.case.pk).status == target
        assert scene.case.status == target
    else:
        with pytest.raises(DomainError) as error:
            case_transition(actor=scene.coordinator, case=scene.case, to=target,
                            reason="Fordi.")
        assert error.value.code == "transition"
        assert str(start.label) in error.value.message
        assert Case.objects.get(pk=scene.case.pk).status == start
        assert CaseStatusChange.objects.count() == before


def test_opening_starts_in_assessment_with_a_first_history_row(scene):
    assert scene.case.status == S.ASSESSMENT
    first = CaseStatusChange.objects.get(case=scene.case)
    assert (first.from_status, first.to_status, first.reason) == ("", S.ASSESSMENT, "")
    assert first.changed_by == scene.coordinator.user


def test_the_bydel_coordinator_and_leader_may_move_it(scene):
    case_transition(actor=scene.coordinator, case=scene.case, to=S.ACTIVE, reason="Behov.")
    case_transition(actor=scene.leader, case=scene.case, to=S.CLOSING, reason="Mål nådd.")
    assert scene.case.status == S.CLOSING


@pytest.mark.parametrize("who", ["other_coordinator", "caseworker", "police"])
def test_others_may_not_move_it(scene, who):
    with pytest.raises(DomainError) as error:
        case_transition(actor=getattr(scene, who), case=scene.case, to=S.ACTIVE, reason="Ja.")
    assert error.value.code == "not_coordinator"
    assert Case.objects.get(pk=scene.case.pk).status == S.ASSESSMENT
    assert not AuditEvent.objects.filter(action="case.status").exists()


@pytest.mark.parametrize("reason", ["", "   \n ", None])
def test_a_reason_is_required(scene, reason):
    with pytest.raises(DomainError) as error:
        case_transition(actor=scene.coordinator, case=scene.case, to=S.CLOSED, reason=reason)
    assert error.value.code == "reason"
    assert Case.objects.get(pk=scene.case.pk).status == S.ASSESSMENT


def test_unknown_status_and_overlong_reason_are_refused(scene):
    with pytest.raises(DomainError) as error:
        case_transition(actor=scene.coordinator, case=scene.case, to="open", reason="x")
    assert error.value.code == "unknown_status"
    with pytest.raises(DomainError) as error:
        case_transition(actor=scene.coordinator, case=scene.case, to=S.ACTIVE,
                        reason="x" * 2001)
    assert error.value.code == "reason"


def test_history_audit_and_closed_at(scene):
    case_transition(actor=scene.coordinator, case=scene.case, to=S.ACTIVE,
                    reason="Kartlagt behov.")
    assert scene.case.closed_at is None
    change = case_transition(actor=scene.coordinator, case=scene.case, to=S.CLOSED,
                             reason="Flyttet fra Oslo.")
    stored = Case.objects.get(pk=scene.case.pk)
    assert stored.closed_at == change.changed_at and stored.status == S.CLOSED
    history = list(CaseStatusChange.objects.filter(case=scene.case)
                   .values_list("from_status", "to_status", "reason"))
    assert history == [("", S.ASSESSMENT, ""), (S.ASSESSMENT, S.ACTIVE, "Kartlagt behov."),
                       (S.ACTIVE, S.CLOSED, "Flyttet fra Oslo.")]
    events = AuditEvent.objects.filter(action="case.status").order_by("occurred_at")
    assert events.count() == 2
    last = events.last()
    assert last.object_id == str(scene.case.pk)
    assert last.details["from"] == "active" and last.details["to"] == "closed"
    assert "Flyttet" not in str(last.details)  # the free-text reason stays out of the log
    assert last.subjects.filter(person_id=scene.case.person_id).exists()


def test_reopening_a_closing_case_clears_nothing_and_keeps_it_open(scene):
    move_to(scene, S.CLOSING)
    case_transition(actor=scene.coordinator, case=scene.case, to=S.ACTIVE,
                    reason="Ny hendelse; innsatsen fortsetter.")
    assert scene.case.is_open and scene.case.closed_at is None


def test_a_closed_case_is_read_only(scene, make_member):
    case_transition(actor=scene.coordinator, case=scene.case, to=S.CLOSED,
                    reason="Ikke grunnlag for SaLTo-sak.")
    assert not scene.case.is_open
    newcomer = make_member("caseworker", agency_type="skole")
    from laget.accounts.models import Agency
    school = Agency.objects.get(memberships__user=newcomer)
    with pytest.raises(DomainError) as error:
        team_member_add(actor=scene.coordinator, case=scene.case, user=newcomer, agency=school)
    assert error.value.code == "closed"
    with pytest.raises(DomainError) as error:
        sharing_services.entry_add(actor=scene.police, case=scene.case, category="politi",
                                   text="Ny opplysning.")
    assert error.value.code == "closed"
    with pytest.raises(DomainError) as error:
        case_marker_add(actor=scene.coordinator, case=scene.case, kind="weapon_trigger")
    assert error.value.code == "closed"


def test_a_stale_case_object_cannot_write_or_move(scene):
    stale = Case.objects.get(pk=scene.case.pk)
    case_transition(actor=scene.coordinator, case=scene.case, to=S.CLOSED, reason="Avsluttet.")
    assert stale.status == S.ASSESSMENT
    with pytest.raises(DomainError) as error:
        case_transition(actor=scene.coordinator, case=stale, to=S.ACTIVE, reason="Aktiv.")
    assert error.value.code == "stale"
    with pytest.raises(DomainError) as error:
        sharing_services.entry_add(actor=scene.police, case=stale, category="politi",
                                   text="Ny opplysning.")
    assert error.value.code == "closed"


def test_after_closing_a_new_case_can_be_opened(scene):
    case_transition(actor=scene.coordinator, case=scene.case, to=S.CLOSED, reason="Avsluttet.")
    again = case_open(actor=scene.coordinator, person=scene.case.person)
    assert again.status == S.ASSESSMENT and again.pk != scene.case.pk
    with pytest.raises(DomainError) as error:
        case_open(actor=scene.coordinator, person=scene.case.person)
    assert error.value.code == "duplicate"


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_moving_at_once_one_wins(make_member, rulebook):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers")
    from laget.cases.tests.conftest import actor_of
    from laget.people.tests.factories import PersonFactory

    coordinator = actor_of(make_member("coordinator"))
    leader = actor_of(make_member("leader", agency=coordinator.agency))
    person = PersonFactory()
    case = case_open(actor=coordinator, person=person)
    case_transition(actor=coordinator, case=case, to=S.ACTIVE, reason="Start.")
    barrier = threading.Barrier(2)
    results: list[str] = []

    def move(actor, to):
        try:
            mine = Case.objects.get(pk=case.pk)
            barrier.wait()
            case_transition(actor=actor, case=mine, to=to, reason="Samtidig.")
            results.append("ok")
        except DomainError as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=move, args=(coordinator, S.CLOSED)),
               threading.Thread(target=move, args=(leader, S.CLOSING))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "stale"]
    assert CaseStatusChange.objects.filter(case=case).count() == 3
