"""The writes of unge forbilder: applying (consent, age, open programme, one open application),
assessing the criteria, deciding (criteria met, capacity, reasons), benefits, and mentees referred
and paired — every refusal writes nothing, every write leaves its audit event."""

import datetime as dt

import pytest

from laget.accounts.models import AgencyType
from laget.accounts.tests.factories import AgencyFactory
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import DomainError
from laget.mentors import services
from laget.mentors.models import (
    Application,
    ApplicationStatus,
    Assessment,
    Benefit,
    Mentor,
    Mentorship,
    MentorshipStatus,
)
from laget.mentors.services import Decision
from laget.mentors.tests.conftest import born, consent
from laget.pathways.models import Offer, OfferKind
from laget.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def writes() -> tuple[int, ...]:
    return (Application.objects.count(), Assessment.objects.count(), Mentor.objects.count(),
            Benefit.objects.count(), Mentorship.objects.count(),
            AuditEvent.objects.filter(action__startswith="mentors.")
            .exclude(action="mentors.view").count())


def refused(code: str, call, *args, **kwargs) -> None:
    before = writes()
    with pytest.raises(DomainError) as error:
        call(*args, **kwargs)
    assert error.value.code == code
    assert writes() == before


def event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("occurred_at")


def offer(kind: str = OfferKind.PART_TIME_JOB, active: bool = True) -> Offer:
    return Offer.objects.create(provider=AgencyFactory(type=AgencyType.FRITID), kind=kind,
                                name="Deltidsjobb på Stovner senter", age_min=15, age_max=24,
                                active=active)


# --- programmes -----------------------------------------------------------------------------------

def test_programme_needs_a_running_agency_and_criteria(scene):
    school = AgencyFactory(type=AgencyType.SKOLE)
    with pytest.raises(DomainError, match="bydel eller et fritidstilbud"):
        services.programme_create(agency=school, name="X", capacity=1, criteria=[("K", True)])
    with pytest.raises(DomainError, match="minst ett kriterium"):
        services.programme_create(agency=scene.club, name="X", capacity=1, criteria=[])
    programme = services.programme_create(agency=scene.club, name="Klubbens forbilder",
                                          capacity=3, criteria=[("A", True), ("B", False)])
    assert [(c.position, c.text, c.required) for c in programme.criteria.all()] == [
        (1, "A", True), (2, "B", False)]


# --- applying -------------------------------------------------------------------------------------

def test_apply_records_the_consent_and_audits(scene):
    application = scene.apply(consent=consent(guardians=False, method="mote"))
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_by == scene.club_worker.user
    assert application.submitting_agency == scene.club
    assert (application.consent_method, application.consent_youth,
            application.consent_guardians) == ("mote", True, False)
    recorded = event("mentors.apply")
    assert recorded.actor == scene.club_worker.user
    assert list(recorded.subjects.values_list("person_id", flat=True)) == [scene.youth.pk]


def test_the_young_person_must_consent(scene):
    refused("consent_youth", scene.apply, consent=consent(youth=False))


def test_guardians_must_consent_under_the_setting_age(scene, settings):
    fifteen = PersonFactory(birth_date=born(15), registered_by_agency=scene.club)
    refused("consent_guardians", scene.apply, person=fifteen, consent=consent(guardians=False))
    settings.LAGET_MENTORS_GUARDIAN_CONSENT_UNDER = 15
    assert scene.apply(person=fifteen, consent=consent(guardians=False)).consent_guardians is False


def test_consent_needs_a_method_and_a_date_not_in_the_future(scene):
    refused("consent_method", scene.apply, consent=consent(method="epost"))
    refused("consent_on", scene.apply, consent=consent(given_on=None))
    refused("consent_on", scene.apply,
            consent=consent(given_on=clock.today() + dt.timedelta(days=1)))


def test_apply_checks_age_open_programme_motivation_and_duplicates(scene):
    refused("age", scene.apply, person=scene.child)
    refused("required", scene.apply, motivation="  ")
    scene.apply()
    refused("duplicate", scene.apply)
    scene.programme.open_for_applications = False
    scene.programme.save()
    other = PersonFactory(birth_date=born(18), registered_by_agency=scene.club)
    refused("closed", scene.apply, person=other)


def test_only_case_roles_apply(scene):
    refused("role", services.application_submit, actor=scene.analyst, programme=scene.programme,
            person=scene.youth, motivation="X", consent=consent())


# --- assessing and deciding ----------------------------------------------------------------------

def test_assessment_by_the_programme_staff_only(scene):
    application = scene.apply()
    criterion = scene.programme.criteria.first()
    refused("role", services.application_assess, actor=scene.club_worker,
            application=application, results={str(criterion.pk): ("oppfylt", "")})
    refused("criterion", services.application_assess, actor=scene.staff,
            application=application,
            results={str(criterion.pk): ("oppfylt", ""), "nope": ("oppfylt", "")})
    refused("result", services.application_assess, actor=scene.staff, application=application,
            results={str(criterion.pk): ("kanskje", "")})
    services.application_assess(actor=scene.staff, application=application,
                                results={str(criterion.pk): ("ikke_oppfylt", "Slutta i mai.")})
    services.application_assess(actor=scene.staff, application=application,
                                results={str(criterion.pk): ("oppfylt", "Begynt igjen.")})
    row = application.assessments.get()
    assert (row.result, row.note, row.assessed_by) == ("oppfylt", "Begynt igjen.",
                                                       scene.staff.user)
    assert event("mentors.assess").details == {"criteria": 1, "met": 1}


def test_enrolment_needs_every_criterion_assessed_and_the_required_met(scene):
    application = scene.apply()
    criteria = list(scene.programme.criteria.all())
    services.application_assess(actor=scene.staff, application=application,
                                results={str(criteria[0].pk): ("oppfylt", "")})
    refused("criteria", services.application_decide, actor=scene.staff,
            application=application, decision=Decision.ENROL)
    services.application_assess(actor=scene.staff, application=application, results={
        str(criteria[1].pk): ("ikke_oppfylt", ""), str(criteria[2].pk): ("oppfylt", "")})
    refused("criteria", services.application_decide, actor=scene.staff,
            application=application, decision=Decision.ENROL)
    # the criterion that only counts need not be met
    services.application_assess(actor=scene.staff, application=application, results={
        str(criteria[1].pk): ("oppfylt", ""), str(criteria[2].pk): ("ikke_oppfylt", "")})
    services.application_decide(actor=scene.staff, application=application,
                                decision=Decision.ENROL)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ENROLLED
    mentor = Mentor.objects.get(application=application)
    assert (mentor.person, mentor.enrolled_on) == (scene.youth, clock.today())
    recorded = event("mentors.decide")
    assert recorded.details["decision"] == "enrol"
    assert recorded.details["mentor"] == str(mentor.pk)


def test_capacity_is_respected_and_the_waitlist_waits_for_a_place(scene):
    scene.programme.capacity = 1
    scene.programme.save()
    first = scene.apply()
    second = scene.apply(person=PersonFactory(birth_date=born(16),
                                              registered_by_agency=scene.club))
    for application in (first, second):
        scene.assess_all(application)
    services.application_decide(actor=scene.staff, application=first, decision=Decision.ENROL)
    refused("capacity", services.application_decide, actor=scene.staff, application=second,
            decision=Decision.ENROL)
    services.application_decide(actor=scene.staff, application=second,
                                decision=Decision.WAITLIST)
    refused("decided", services.application_decide, actor=scene.staff, application=second,
            decision=Decision.WAITLIST)
    services.mentor_end(actor=scene.staff, mentor=first.mentor)
    services.application_decide(actor=scene.coordinator, application=second,
                                decision=Decision.ENROL)
    second.refresh_from_db()
    assert second.status == ApplicationStatus.ENROLLED


def test_rejection_needs_a_reason_and_ends_the_application(scene):
    application = scene.apply()
    refused("required", services.application_decide, actor=scene.staff,
            application=application, decision=Decision.REJECT, reason=" ")
    refused("decision", services.application_decide, actor=scene.staff,
            application=application, decision="maybe")
    refused("role", services.application_decide, actor=scene.club_worker,
            application=application, decision=Decision.REJECT, reason="Nei.")
    services.application_decide(actor=scene.staff, application=application,
                                decision=Decision.REJECT, reason="Ikke i skole eller jobb nå.")
    application.refresh_from_db()
    assert (application.status, application.decided_by) == (ApplicationStatus.REJECTED,
                                                             scene.staff.user)
    refused("decided", services.application_decide, actor=scene.staff,
            application=application, decision=Decision.ENROL)
    refused("decided", services.application_assess, actor=scene.staff,
            application=application,
            results={str(scene.programme.criteria.first().pk): ("oppfylt", "")})
    # a new application may follow a rejection
    assert scene.apply().status == ApplicationStatus.SUBMITTED


@pytest.fixture
def mentor(scene) -> Mentor:
    application = scene.apply()
    scene.assess_all(application)
    services.application_decide(actor=scene.staff, application=application,
                                decision=Decision.ENROL)
    return application.mentor


# --- benefits -------------------------------------------------------------------------------------

def test_benefits_with_and_without_a_catalogue_offer(scene, mentor):
    job = offer()
    benefit = services.benefit_add(actor=scene.staff, mentor=mentor, kind="deltidsjobb",
                                   given_on=clock.today(), description="Butikkjobb", offer=job)
    assert benefit.offer == job
    assert event("mentors.benefit").details == {"kind": "deltidsjobb", "offer": str(job.pk)}
    services.benefit_add(actor=scene.staff, mentor=mentor, kind="tur", given_on=clock.today(),
                         description="Fjelltur")
    refused("offer", services.benefit_add, actor=scene.staff, mentor=mentor,
            kind="deltidsjobb", given_on=clock.today(), description="Klubb",
            offer=offer(kind=OfferKind.CLUB))
    refused("offer", services.benefit_add, actor=scene.staff, mentor=mentor, kind="kurs",
            given_on=clock.today(), description="Kurs", offer=offer(active=False))
    refused("given_on", services.benefit_add, actor=scene.staff, mentor=mentor, kind="kurs",
            given_on=clock.today() - dt.timedelta(days=1), description="Før opptaket")
    refused("kind", services.benefit_add, actor=scene.staff, mentor=mentor, kind="penger",
            given_on=clock.today(), description="X")
    refused("role", services.benefit_add, actor=scene.club_worker, mentor=mentor, kind="tur",
            given_on=clock.today(), description="X")
    services.mentor_end(actor=scene.staff, mentor=mentor)
    refused("ended", services.benefit_add, actor=scene.staff, mentor=mentor, kind="tur",
            given_on=clock.today(), description="Etter slutt")


# --- mentees --------------------------------------------------------------------------------------

def test_a_mentee_is_referred_with_consent_then_paired(scene, mentor):
    refused("consent_guardians", services.mentee_refer, actor=scene.club_worker,
            programme=scene.programme, person=scene.child, consent=consent(guardians=False))
    mentorship = services.mentee_refer(actor=scene.club_worker, programme=scene.programme,
                                       person=scene.child, consent=consent())
    assert (mentorship.status, mentorship.mentor, mentorship.referring_agency) == (
        MentorshipStatus.REFERRED, None, scene.club)
    refused("duplicate", services.mentee_refer, actor=scene.club_worker,
            programme=scene.programme, person=scene.child, consent=consent())
    refused("role", services.mentorship_start, actor=scene.club_worker, mentorship=mentorship,
            mentor=mentor)
    services.mentorship_start(actor=scene.staff, mentorship=mentorship, mentor=mentor)
    mentorship.refresh_from_db()
    assert (mentorship.status, mentorship.mentor, mentorship.started_on) == (
        MentorshipStatus.ACTIVE, mentor, clock.today())
    recorded = event("mentors.mentorship")
    assert set(recorded.subjects.values_list("person_id", flat=True)) == {scene.child.pk,
                                                                          scene.youth.pk}
    services.mentorship_update(actor=scene.staff, mentorship=mentorship, meetings=3,
                               notes="Møtes i klubben på tirsdager.")
    refused("meetings", services.mentorship_update, actor=scene.staff, mentorship=mentorship,
            meetings=2, notes="")
    services.mentorship_end(actor=scene.staff, mentorship=mentorship)
    mentorship.refresh_from_db()
    assert (mentorship.status, mentorship.meetings) == (MentorshipStatus.ENDED, 3)
    refused("status", services.mentorship_end, actor=scene.staff, mentorship=mentorship)


def test_a_mentor_cannot_mentor_themselves_nor_in_another_programme(scene, mentor):
    refused("mentor", services.mentee_refer, actor=scene.club_worker,
            programme=scene.programme, person=scene.youth, consent=consent())
    other = services.programme_create(agency=scene.bydel, name="Annet", capacity=1,
                                      criteria=[("K", True)])
    elsewhere = services.mentee_refer(actor=scene.club_worker, programme=other,
                                      person=scene.child, consent=consent())
    refused("programme", services.mentorship_start, actor=scene.staff, mentorship=elsewhere,
            mentor=mentor)


def test_ending_a_mentor_ends_their_mentorships(scene, mentor):
    mentorship = services.mentee_refer(actor=scene.club_worker, programme=scene.programme,
                                       person=scene.child, consent=consent())
    services.mentorship_start(actor=scene.staff, mentorship=mentorship, mentor=mentor)
    services.mentor_end(actor=scene.staff, mentor=mentor)
    mentorship.refresh_from_db()
    assert (mentorship.status, mentorship.ended_on) == (MentorshipStatus.ENDED, clock.today())
    assert services.active_mentor_count(scene.programme) == 0
