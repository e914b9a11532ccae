"""Opening youth justice cases and recording milestones: who may, the age limit, the order of
milestones, and that every refusal writes nothing (no case, no milestone, no audit event)."""

import datetime as dt

import pytest

from laget.accounts.tests.factories import AgencyFactory
from laget.areas.models import Subdistrict
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.fasttrack import selectors, services
from laget.fasttrack.models import CaseStatus, Milestone, MilestoneKind, TargetSet, YouthCase
from laget.fasttrack.tests.conftest import OFFENCE, STOVNER, TODAY
from laget.people.tests.factories import PersonFactory
from laget.policing.models import FastTrackRequest, PoliceRegistration


def _counts():
    return (YouthCase.objects.count(), Milestone.objects.count(),
            AuditEvent.objects.filter(action__startswith="fasttrack.").count(),
            FastTrackRequest.objects.filter(taken_up_at__isnull=False).count())


@pytest.fixture
def nothing_written():
    """Call with a block that must be refused: asserts the refusal and that nothing was written."""
    def check(call, code: str):
        before = _counts()
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == code, refused.value.message
        assert _counts() == before
        return refused.value
    return check


@pytest.mark.django_db
def test_a_prosecutor_opens_a_case_with_its_offence_milestone_and_an_audit_event(scene):
    case = scene.open(offence_categories=["ran", "vold", "ran"], police_case_number="1234 5678")
    assert case.police_case_number == "12345678"
    assert case.offence_categories == ["ran", "vold"]
    assert case.age_at_offence == 16
    assert case.unit == scene.prosecutor.agency and case.district_id == STOVNER
    assert list(case.milestones.values_list("kind", "occurred_on")) == [("offence", OFFENCE)]
    event = AuditEvent.objects.get(action=Action.FASTTRACK_OPEN)
    assert event.purpose == "straffesak"
    assert list(event.subjects.values_list("person_id", flat=True)) == [scene.person.pk]


@pytest.mark.django_db
def test_bad_input_to_open_is_refused_with_nothing_written(scene, nothing_written, settings):
    adult = PersonFactory(birth_date=dt.date(2007, 1, 1), district_id=STOVNER)  # 19
    child = PersonFactory(birth_date=dt.date(2012, 1, 1), district_id=STOVNER)  # 14
    error = nothing_written(lambda: scene.open(person=adult), "age")
    assert "høyst 17 år" in error.message
    nothing_written(lambda: scene.open(person=child), "age")
    nothing_written(lambda: scene.open(police_case_number="01017012345"), "police_case_number")
    nothing_written(lambda: scene.open(police_case_number="abc"), "police_case_number")
    nothing_written(lambda: scene.open(offence_categories=["spionasje"]), "offence_categories")
    nothing_written(lambda: scene.open(offence_categories=[]), "offence_categories")
    nothing_written(lambda: scene.open(offence_on=TODAY + dt.timedelta(days=1)), "date_future")
    nothing_written(lambda: scene.open(target_set="turbo"), "target_set")
    nothing_written(lambda: scene.open(court=scene.konfliktraad.agency), "agency_type")
    nothing_written(lambda: services.youth_case_open(
        actor=scene.officer, person=scene.person, police_case_number="12345678",
        offence_on=OFFENCE, offence_categories=["vold"]), "role")
    scene.open()
    nothing_written(lambda: scene.open(), "duplicate")
    # 18–24 only when the city turns young adults on
    settings.LAGET_FASTTRACK_YOUNG_ADULTS = True
    assert scene.open(person=adult, police_case_number="87654321").age_at_offence == 19


@pytest.mark.django_db
def test_the_weapon_triggers_request_is_taken_up_once(scene, nothing_written):
    registration = PoliceRegistration.objects.create(
        kind="apprehension", person=scene.person, given_name="Ung", family_name="Syntetisk",
        birth_date=scene.person.birth_date, occurred_at=clock.now() - dt.timedelta(days=2),
        subdistrict=Subdistrict.objects.filter(district_id=STOVNER).first(),
        unit=scene.officer.agency, officer=scene.officer.user, offence_category="ran",
        weapon_type="kniv")
    request = FastTrackRequest.objects.create(
        registration=registration, person=scene.person, unit=scene.officer.agency,
        requested_by=scene.officer.user, requested_at=clock.now())
    pending = selectors.pending_requests_for(actor=scene.prosecutor)
    assert [row.request_id for row in pending] == [request.pk]
    assert selectors.pending_requests_for(actor=scene.other_prosecutor) == []
    assert selectors.pending_requests_for(actor=scene.officer) == []
    case = services.fasttrack_open_from_request(actor=scene.prosecutor, request=request,
                                                police_case_number="22223333",
                                                target_set=TargetSet.HURTIGLOP)
    request.refresh_from_db()
    assert request.taken_up_at == clock.now() and case.request == request
    assert case.weapon and case.offence_categories == ["ran"]
    assert set(case.milestones.values_list("kind", flat=True)) == {"offence", "apprehension"}
    nothing_written(lambda: services.fasttrack_open_from_request(
        actor=scene.prosecutor, request=request, police_case_number="22224444"),
        "request_taken")
    assert selectors.pending_requests_for(actor=scene.prosecutor) == []


@pytest.mark.django_db
def test_milestones_in_order_by_the_side_that_owns_them(scene):
    case = scene.open(court=scene.court.agency)
    day = OFFENCE
    for kind in ("reported", "charged", "investigated"):
        day += dt.timedelta(days=1)
        services.milestone_record(actor=scene.prosecutor, case=case, kind=kind, occurred_on=day)
    services.milestone_record(actor=scene.prosecutor, case=case, kind="charge_decision",
                              occurred_on=day, outcome="tiltale")
    services.milestone_record(actor=scene.court, case=case,
                              kind="court_received", occurred_on=TODAY)
    assert [m.kind for m in case.milestones.order_by("occurred_on", "recorded_at")] == [
        "offence", "reported", "charged", "investigated", "charge_decision", "court_received"]


@pytest.mark.django_db
def test_order_and_path_are_checked_and_a_refusal_writes_nothing(scene, nothing_written):
    case = scene.open(court=scene.court.agency)
    record = services.milestone_record
    error = nothing_written(lambda: record(actor=scene.prosecutor, case=case, kind="charged",
                                           occurred_on=OFFENCE - dt.timedelta(days=1)), "order")
    assert "Siktet kan ikke ha tidligere dato enn lovbrudd" in error.message
    record(actor=scene.prosecutor, case=case, kind="investigated", occurred_on=TODAY)
    # a skipped milestone recorded later must still fit between its neighbours
    record(actor=scene.prosecutor, case=case, kind="charged", occurred_on=OFFENCE)
    nothing_written(lambda: record(actor=scene.prosecutor, case=case, kind="reported",
                                   occurred_on=TODAY), "order")
    # a judgment needs a charge decision with tiltale
    nothing_written(lambda: record(actor=scene.court, case=case, kind="judgment",
                                   occurred_on=TODAY), "needs_tiltale")
    nothing_written(lambda: record(actor=scene.prosecutor, case=case, kind="charge_decision",
                                   occurred_on=TODAY), "outcome")
    nothing_written(lambda: record(actor=scene.prosecutor, case=case, kind="charged",
                                   occurred_on=OFFENCE), "duplicate")
    nothing_written(lambda: record(actor=scene.prosecutor, case=case, kind="dom",
                                   occurred_on=TODAY), "kind")
    nothing_written(lambda: record(actor=scene.prosecutor, case=case, kind="main_hearing",
                                   occurred_on=TODAY), "not_allowed")
    nothing_written(lambda: record(actor=scene.prosecutor, case=case, kind="charge_decision",
                                   occurred_on=TODAY + dt.timedelta(days=1),
                                   outcome="tiltale"), "date_future")
    # henleggelse ends the path: the case closes and takes nothing more
    record(actor=scene.prosecutor, case=case, kind="charge_decision", occurred_on=TODAY,
           outcome="henleggelse")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == TODAY
    nothing_written(lambda: record(actor=scene.court, case=case, kind="court_received",
                                   occurred_on=TODAY), "closed")


@pytest.mark.django_db
def test_the_path_check_itself():
    def m(kind, day, outcome=""):
        return Milestone(kind=kind, occurred_on=day, outcome=outcome)

    day = dt.date(2026, 3, 1)
    ended = [m("charge_decision", day, "pataleunnlatelse")]
    with pytest.raises(DomainError) as refused:
        services.milestone_order_check(ended, "reaction_started", day, "")
    assert refused.value.code == "path_ended"
    with pytest.raises(DomainError):
        services.milestone_order_check([m("charge_decision", day, "konfliktraad")],
                                       "court_received", day, "")
    with pytest.raises(DomainError):  # already in court: the decision was a tiltale
        services.milestone_order_check([m("court_received", day)], "charge_decision", day,
                                       "forelegg")
    services.milestone_order_check([m("charge_decision", day, "konfliktraad")],
                                   "reaction_started", day, "")


@pytest.mark.django_db
def test_only_responsible_or_named_agencies_see_a_case(scene):
    case = scene.open()
    with pytest.raises(NotFound):
        selectors.youth_case_get_for(actor=scene.court, case_id=case.pk)
    with pytest.raises(NotFound):
        selectors.youth_case_get_for(actor=scene.other_prosecutor, case_id=case.pk)
    with pytest.raises(DomainError):
        services.milestone_record(actor=scene.court, case=case, kind="court_received",
                                  occurred_on=TODAY)
    assert selectors.open_cases_for(actor=scene.court) == []
    services.youth_case_agencies_set(actor=scene.prosecutor, case=case, court=scene.court.agency,
                                     konfliktraad=None, kriminalomsorg=None)
    detail = selectors.youth_case_get_for(actor=scene.court, case_id=case.pk)
    assert detail.may_record == [MilestoneKind.COURT_RECEIVED, MilestoneKind.MAIN_HEARING,
                                 MilestoneKind.JUDGMENT, MilestoneKind.JUDGMENT_FINAL]
    assert AuditEvent.objects.filter(action=Action.FASTTRACK_VIEW,
                                     actor=scene.court.user).count() == 1
    # the unit's officer reads but records nothing; the prosecutor records the police stages
    officer_view = selectors.youth_case_get_for(actor=scene.officer, case_id=case.pk)
    assert officer_view.may_record == []
    assert MilestoneKind.CHARGED in selectors.youth_case_get_for(
        actor=scene.prosecutor, case_id=case.pk).may_record
    # the coordinator of the person's bydel is no agency of the case
    with pytest.raises(NotFound):
        selectors.youth_case_get_for(actor=scene.coordinator, case_id=case.pk)


@pytest.mark.django_db
def test_the_list_puts_overdue_first_then_fewest_days_left(scene):
    def opened(number, charged_days_ago):
        case = scene.open(police_case_number=number, offence_on=OFFENCE - dt.timedelta(days=90))
        services.milestone_record(actor=scene.prosecutor, case=case, kind="charged",
                                  occurred_on=TODAY - dt.timedelta(days=charged_days_ago))
        return case

    calm, no_target = opened("10000001", 1), scene.open(police_case_number="10000002")
    late, later = opened("10000003", 50), opened("10000004", 60)
    close = opened("10000005", 40)
    rows = selectors.open_cases_for(actor=scene.prosecutor)
    assert [row.case_id for row in rows] == [later.pk, late.pk, close.pk, calm.pk, no_target.pk]
    assert [row.days_left for row in rows] == [-18, -8, 2, 41, None]
    assert [row.overdue for row in rows] == [True, True, False, False, False]
    assert rows[0].urgent.stage.code == "charge_decision"
    event = AuditEvent.objects.filter(action=Action.FASTTRACK_LIST).latest("occurred_at")
    assert event.details["results"] == 5
    # another unit's prosecutor sees none of them
    assert selectors.open_cases_for(actor=scene.other_prosecutor) == []


@pytest.mark.django_db
def test_a_court_of_the_wrong_type_cannot_be_named(scene, nothing_written):
    case = scene.open()
    nothing_written(lambda: services.youth_case_agencies_set(
        actor=scene.prosecutor, case=case, court=AgencyFactory(type="skole"), konfliktraad=None,
        kriminalomsorg=None), "agency_type")


@pytest.mark.django_db
def test_the_list_reads_a_fixed_number_of_queries(scene):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.open_cases_for(actor=scene.prosecutor)
        return len(captured)

    first = scene.open(police_case_number="20000001")
    services.milestone_record(actor=scene.prosecutor, case=first, kind="charged",
                              occurred_on=TODAY)
    one = queries()
    for number in ("20000002", "20000003", "20000004"):
        case = scene.open(police_case_number=number)
        services.milestone_record(actor=scene.prosecutor, case=case, kind="charged",
                                  occurred_on=TODAY)
    assert queries() == one
