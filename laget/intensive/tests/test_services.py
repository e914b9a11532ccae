"""Enrolment and its end, the follow-up team, slots and check-ins: who may, the limits, and that
every refusal writes nothing."""

import datetime as dt

import pytest

from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.cases.measures import describe
from laget.cases.models import PlanMeasure
from laget.core import clock
from laget.core.errors import DomainError
from laget.intensive import services
from laget.intensive.models import CheckIn, Enrolment, FollowUpMember, Slot
from laget.intensive.tests.conftest import NOW, TODAY, new_case
from laget.people.tests.factories import PersonFactory
from laget.records.models import CaseMarker, CaseStatus
from laget.records.tests.factories import CaseFactory
from laget.sharing.models import Consent


def _counts():
    return (Enrolment.objects.count(), CaseMarker.objects.count(), Consent.objects.count(),
            FollowUpMember.objects.count(), Slot.objects.filter(removed_at__isnull=True).count(),
            CheckIn.objects.count(),
            AuditEvent.objects.filter(action__startswith="intensive.").count())


@pytest.fixture
def nothing_written():
    def check(call, code: str):
        before = _counts()
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == code, refused.value.message
        assert _counts() == before
        return refused.value
    return check


def _slot(enrolment, weekday=0, start=15, end=17, kind="trening", **kwargs):
    return services.SlotInput(weekday=weekday, start_hour=start, end_hour=end, kind=kind,
                              **kwargs)


@pytest.mark.django_db
def test_enrolment_sets_the_marker_registers_the_programme_consent_and_is_audited(scene):
    enrolment = scene.enrol()
    assert enrolment.marker.programme == "intensiv_oppfolging"
    assert enrolment.marker.valid_from == TODAY and enrolment.marker.valid_to is None
    consent = enrolment.consent
    # the scope is the rulebook's programme rule: plan and activities, for follow-up
    assert sorted(consent.categories) == ["aktivitet", "plan"]
    assert sorted(consent.recipients) == ["bydel", "fritid", "kriminalomsorg", "nav", "politi",
                                          "skole"]
    assert consent.purposes == ["oppfolging"]
    assert (consent.valid_from, consent.valid_to) == (TODAY, TODAY + dt.timedelta(days=180))
    assert {m.team_member.user for m in enrolment.members.all()} == {scene.club.user,
                                                                      scene.school.user}
    event = AuditEvent.objects.get(action=Action.INTENSIVE_ENROL)
    assert event.purpose == "oppfolging"
    assert list(event.subjects.values_list("person_id", flat=True)) == [scene.case.person_id]
    assert AuditEvent.objects.filter(action=Action.CONSENT_REGISTER).exists()
    assert AuditEvent.objects.filter(action=Action.CASE_MARKER_ADD).exists()
    # and it is a measure in the case's plan, named by its period, never the person
    measure = PlanMeasure.objects.get(plan__case=scene.case)
    assert (measure.kind, measure.ref) == ("intensiv", enrolment.pk)
    shown = describe(measure)
    assert shown.known and shown.name == "Ukeplan fra 09.03.2026"
    assert shown.url == f"/intensiv/{enrolment.pk}/"


@pytest.mark.django_db
def test_enrolment_refusals_write_nothing(scene, nothing_written, settings):
    # not the coordinator
    nothing_written(lambda: services.enrolment_create(
        actor=scene.school, case=scene.case, decided_on=TODAY, starts_on=TODAY,
        consent=scene.consent()), "not_allowed")
    # a decision in the future, a start in the past
    nothing_written(lambda: scene.enrol(decided_on=TODAY + dt.timedelta(days=1)), "decided_on")
    nothing_written(lambda: scene.enrol(starts_on=TODAY - dt.timedelta(days=1)), "starts_on")
    # a follow-up member who is not on the case's team
    other = new_case(scene)
    nothing_written(lambda: scene.enrol(members=[other.team.get()]), "not_on_team")
    # the consent's own checks: a 15-year-old's guardians must give it
    nothing_written(lambda: scene.enrol(consent=scene.consent(given_by="youth",
                                                              guardian_ids=[])), "given_by")
    # outside the SaLTo age range (a case that predates the range, say)
    old = CaseFactory(person=PersonFactory(birth_date=dt.date(2000, 1, 1), district_id="030111"))
    nothing_written(lambda: scene.enrol(case=old), "age")
    # a closed case
    closed = new_case(scene)
    closed.status = CaseStatus.CLOSED
    closed.save()
    nothing_written(lambda: scene.enrol(case=closed), "closed")
    scene.enrol()
    nothing_written(lambda: scene.enrol(), "duplicate")


@pytest.mark.django_db
def test_capacity_per_bydel_is_a_setting_and_refused_with_a_clear_message(scene, settings,
                                                                          nothing_written):
    settings.LAGET_INTENSIVE_CAPACITY = 2
    first = scene.enrol()
    scene.enrol(case=new_case(scene))
    third = new_case(scene)
    error = nothing_written(lambda: scene.enrol(case=third), "capacity")
    assert "allerede 2 unge" in error.message
    # ending one (from tomorrow) frees its place from then
    services.enrolment_end(actor=scene.coordinator, enrolment=first,
                           ends_on=TODAY + dt.timedelta(days=1), reason="goals_met")
    nothing_written(lambda: scene.enrol(case=third), "capacity")
    with clock.frozen(NOW + dt.timedelta(days=1)):
        assert scene.enrol(case=third, decided_on=TODAY + dt.timedelta(days=1),
                           starts_on=TODAY + dt.timedelta(days=1))


@pytest.mark.django_db
def test_ending_ends_the_marker_and_the_consent_the_same_day(scene, nothing_written):
    enrolment = scene.enrol()
    nothing_written(lambda: services.enrolment_end(
        actor=scene.coordinator, enrolment=enrolment, ends_on=TODAY, reason="goals_met"),
        "ends_on")
    nothing_written(lambda: services.enrolment_end(
        actor=scene.coordinator, enrolment=enrolment, ends_on=TODAY + dt.timedelta(days=1),
        reason="bad"), "reason")
    nothing_written(lambda: services.enrolment_end(
        actor=scene.school, enrolment=enrolment, ends_on=TODAY + dt.timedelta(days=1),
        reason="goals_met"), "not_allowed")
    ends = TODAY + dt.timedelta(days=14)
    services.enrolment_end(actor=scene.coordinator, enrolment=enrolment, ends_on=ends,
                           reason="step_down")
    enrolment.refresh_from_db()
    assert (enrolment.ended_on, enrolment.end_reason) == (ends, "step_down")
    assert enrolment.marker.valid_to == ends
    enrolment.consent.refresh_from_db()
    assert enrolment.consent.valid_to == ends - dt.timedelta(days=1)
    assert enrolment.consent.withdrawn_at is None  # not a withdrawal by the family
    assert AuditEvent.objects.filter(action=Action.INTENSIVE_END).count() == 1
    assert AuditEvent.objects.filter(action=Action.CONSENT_END).count() == 1
    nothing_written(lambda: services.enrolment_end(
        actor=scene.coordinator, enrolment=enrolment, ends_on=ends, reason="goals_met"),
        "ended")


@pytest.mark.django_db
def test_slots_within_hours_never_overlapping(scene, nothing_written):
    enrolment = scene.enrol()
    club = enrolment.members.get(team_member__user=scene.club.user)
    slot = services.slot_add(actor=scene.coordinator, enrolment=enrolment,
                             slot=_slot(enrolment, responsible=club, description="Fotball"))
    assert (slot.weekday, slot.start_hour, slot.end_hour) == (0, 15, 17)
    for start, end in ((14, 16), (16, 18), (15, 17), (14, 18)):
        nothing_written(lambda s=start, e=end: services.slot_add(
            actor=scene.coordinator, enrolment=enrolment, slot=_slot(enrolment, start=s, end=e)),
            "overlap")
    # touching is not overlapping
    services.slot_add(actor=scene.coordinator, enrolment=enrolment,
                      slot=_slot(enrolment, start=17, end=19, kind="hjemme"))
    for start, end in ((6, 8), (22, 24), (10, 10), (12, 11)):
        nothing_written(lambda s=start, e=end: services.slot_add(
            actor=scene.coordinator, enrolment=enrolment,
            slot=_slot(enrolment, weekday=1, start=s, end=e)), "hours")
    nothing_written(lambda: services.slot_add(
        actor=scene.coordinator, enrolment=enrolment, slot=_slot(enrolment, weekday=7)),
        "weekday")
    nothing_written(lambda: services.slot_add(
        actor=scene.coordinator, enrolment=enrolment, slot=_slot(enrolment, weekday=2,
                                                                 kind="fest")), "kind")
    event = AuditEvent.objects.filter(action=Action.INTENSIVE_SLOT).first()
    assert "Fotball" not in str(event.details)


@pytest.mark.django_db
def test_a_follow_up_member_adds_and_removes_only_their_own_slots(scene, nothing_written):
    enrolment = scene.enrol()
    club = enrolment.members.get(team_member__user=scene.club.user)
    school = enrolment.members.get(team_member__user=scene.school.user)
    own = services.slot_add(actor=scene.club, enrolment=enrolment,
                            slot=_slot(enrolment, weekday=2, responsible=club))
    nothing_written(lambda: services.slot_add(
        actor=scene.club, enrolment=enrolment, slot=_slot(enrolment, weekday=3,
                                                          responsible=school)), "not_allowed")
    nothing_written(lambda: services.slot_add(
        actor=scene.police, enrolment=enrolment, slot=_slot(enrolment, weekday=3)),
        "not_allowed")
    theirs = services.slot_add(actor=scene.coordinator, enrolment=enrolment,
                               slot=_slot(enrolment, weekday=4, responsible=school))
    nothing_written(lambda: services.slot_remove(actor=scene.club, slot=theirs), "not_allowed")
    services.slot_remove(actor=scene.club, slot=own)
    assert Slot.objects.get(pk=own.pk).removed_at is not None


@pytest.mark.django_db
def test_check_in_once_by_the_responsible_on_the_day(scene, nothing_written):
    enrolment = scene.enrol()
    club = enrolment.members.get(team_member__user=scene.club.user)
    monday = services.slot_add(actor=scene.coordinator, enrolment=enrolment,
                               slot=_slot(enrolment, weekday=0, responsible=club))
    tuesday = services.slot_add(actor=scene.coordinator, enrolment=enrolment,
                                slot=_slot(enrolment, weekday=1, responsible=club))
    nothing_written(lambda: services.checkin_record(actor=scene.school, slot=monday,
                                                    attended=True), "not_allowed")
    nothing_written(lambda: services.checkin_record(actor=scene.club, slot=tuesday,
                                                    attended=True), "day")
    checkin = services.checkin_record(actor=scene.club, slot=monday, attended=True)
    assert (checkin.on, checkin.attended, checkin.recorded_by) == (TODAY, True, scene.club.user)
    nothing_written(lambda: services.checkin_record(actor=scene.club, slot=monday,
                                                    attended=False), "duplicate")
    assert AuditEvent.objects.filter(action=Action.INTENSIVE_CHECKIN).count() == 1


@pytest.mark.django_db
def test_the_follow_up_team_is_the_case_team_and_removal_hands_slots_to_the_agency(
        scene, nothing_written):
    enrolment = scene.enrol(members=[])
    nothing_written(lambda: services.member_add(
        actor=scene.coordinator, enrolment=enrolment, team_member=new_case(scene).team.get()),
        "not_on_team")
    member = services.member_add(actor=scene.coordinator, enrolment=enrolment,
                                 team_member=scene.member(scene.club))
    nothing_written(lambda: services.member_add(
        actor=scene.coordinator, enrolment=enrolment, team_member=scene.member(scene.club)),
        "duplicate")
    slot = services.slot_add(actor=scene.coordinator, enrolment=enrolment,
                             slot=_slot(enrolment, responsible=member))
    services.member_remove(actor=scene.coordinator, member=member)
    slot.refresh_from_db()
    assert slot.responsible is None and slot.responsible_agency == scene.club.agency
    # no longer a member: no check-in
    nothing_written(lambda: services.checkin_record(actor=scene.club, slot=slot,
                                                    attended=True), "not_allowed")


@pytest.mark.django_db
def test_an_ended_enrolment_is_read_only(scene, nothing_written):
    enrolment = scene.enrol()
    services.enrolment_end(actor=scene.coordinator, enrolment=enrolment,
                           ends_on=TODAY + dt.timedelta(days=1), reason="moved")
    with clock.frozen(NOW + dt.timedelta(days=1)):
        nothing_written(lambda: services.slot_add(
            actor=scene.coordinator, enrolment=enrolment, slot=_slot(enrolment)), "ended")
