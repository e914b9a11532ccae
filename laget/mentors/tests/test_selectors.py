"""The reads of unge forbilder: who sees an application, a mentor and the programme's list
(NotFound for everyone else, the refusal audited), the submitter's own list, and the evaluation's
counts per programme and year."""

import datetime as dt

import pytest

from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import NotFound
from laget.mentors import selectors, services
from laget.mentors.models import Benefit
from laget.mentors.services import Decision
from laget.mentors.tests.conftest import consent

pytestmark = pytest.mark.django_db


def test_an_application_for_staff_and_submitter_only(scene):
    application = scene.apply()
    for actor in (scene.staff, scene.coordinator, scene.club_worker):
        assert selectors.application_get_for(actor=actor,
                                             application_id=application.pk) == application
    for actor in (scene.school_worker, scene.analyst):
        with pytest.raises(NotFound):
            selectors.application_get_for(actor=actor, application_id=application.pk)
    denied = AuditEvent.objects.filter(action="mentors.view", outcome="denied")
    assert denied.count() == 2
    assert not denied.filter(subjects__isnull=False).exists()  # the refusal names no one
    seen = AuditEvent.objects.filter(action="mentors.view", outcome="ok",
                                     actor=scene.club_worker.user).get()
    assert seen.details["as"] == "submitter"


def test_the_programme_list_and_mentors_are_the_staffs(scene):
    application = scene.apply()
    scene.assess_all(application)
    services.application_decide(actor=scene.staff, application=application,
                                decision=Decision.ENROL)
    desk = selectors.programme_desk_for(actor=scene.staff, programme=scene.programme)
    assert [m.person for m in desk.mentors] == [scene.youth]
    assert desk.decided_applications == [application]
    assert desk.free_places == 1
    for actor in (scene.club_worker, scene.school_worker):
        with pytest.raises(NotFound):
            selectors.programme_desk_for(actor=actor, programme=scene.programme)
        with pytest.raises(NotFound):
            selectors.mentor_get_for(actor=actor, mentor_id=application.mentor.pk)
        with pytest.raises(NotFound):
            selectors.referrals_for(actor=actor, programme=scene.programme)


def test_my_applications_are_those_sent_from_the_agency_i_act_in(scene):
    application = scene.apply()
    assert selectors.applications_mine_for(actor=scene.club_worker) == [application]
    assert selectors.applications_mine_for(actor=scene.staff) == []
    assert selectors.applications_mine_for(actor=scene.analyst) == []


def test_outcomes_count_per_year(scene):
    enrolled = scene.apply()
    scene.assess_all(enrolled)
    services.application_decide(actor=scene.staff, application=enrolled, decision=Decision.ENROL)
    rejected = scene.apply(person=scene.child.__class__.objects.create(
        birth_date=clock.today() - dt.timedelta(days=365 * 19), given_name="Eldre",
        family_name="Syntetisk", district_id="030111", registered_by_agency=scene.club))
    services.application_decide(actor=scene.staff, application=rejected,
                                decision=Decision.REJECT, reason="Ikke nå.")
    mentor = enrolled.mentor
    services.benefit_add(actor=scene.staff, mentor=mentor, kind="kurs", given_on=clock.today(),
                         description="Førstehjelpskurs")
    services.benefit_add(actor=scene.staff, mentor=mentor, kind="kurs", given_on=clock.today(),
                         description="Lederkurs")
    services.benefit_add(actor=scene.staff, mentor=mentor, kind="tur", given_on=clock.today(),
                         description="Tur")
    referral = services.mentee_refer(actor=scene.club_worker, programme=scene.programme,
                                     person=scene.child, consent=consent())
    # a referral is not yet a mentorship
    assert selectors.outcomes(programme=scene.programme,
                              year=clock.today().year).active_mentorships == 0
    services.mentorship_start(actor=scene.staff, mentorship=referral, mentor=mentor)
    figures = selectors.outcomes(programme=scene.programme, year=clock.today().year)
    assert (figures.applications, figures.enrolled, figures.rejected,
            figures.active_mentorships) == (2, 1, 1, 1)
    assert figures.benefits == {"kurs": 2, "tur": 1}
    assert dict(figures.benefit_rows)["Kurs"] == 2
    last_year = selectors.outcomes(programme=scene.programme, year=clock.today().year - 1)
    assert (last_year.applications, last_year.enrolled, last_year.active_mentorships,
            last_year.benefits) == (0, 0, 0, {})
    assert Benefit.objects.count() == 3
