"""The release flow from registration to the 12-month outcome, with the readiness alert."""

import datetime as dt

import pytest

from laget.audit.models import AuditEvent
from laget.cases.concerns import concern_case_open
from laget.cases.models import Concern
from laget.cases.services import case_open
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify.models import Message
from laget.reentry import alerts, selectors, services
from laget.reentry.models import Outcome, ReleaseKind, ReleaseStatus
from laget.reentry.tests.factories import person_aged


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)


def start() -> dt.datetime:
    """Tomorrow morning: after the memberships the fixtures made today began."""
    return at(clock.today() + dt.timedelta(days=1))


def register(scene, person, *, days_ahead=70, **kwargs):
    from laget.areas.models import District
    return services.release_register(
        actor=scene.ko, national_id=person.national_id, given_name="", family_name="",
        expected_date=clock.today() + dt.timedelta(days=days_ahead), kind=ReleaseKind.PAROLE,
        conditions="Meldeplikt hos friomsorgen", electronic_monitoring=True,
        district=District.objects.get(pk="030111"), **kwargs)


def test_release_flow_to_the_twelve_month_outcome(scene):
    with clock.frozen(start()):
        person = person_aged(19, today=clock.today())
        release = register(scene, person)
        expected = release.expected_date
        plan = services.release_handover(actor=scene.ko, release=release,
                                         nav_office=scene.nav.agency, owner=scene.nav.user)
        assert plan.youth_guarantee
        # in SaLTo's range without a case: a concern to the bydel's coordinator
        concern = Concern.objects.get(pk=plan.salto_concern_id)
        assert concern.district_id == "030111" and concern.person == person
        assert plan.linked_case_id is None
        # the coordinator opens the SaLTo case from it: the plan is linked to that case
        case = concern_case_open(actor=scene.coordinator, concern=concern, person=person)
        plan.refresh_from_db()
        assert plan.linked_case_id == case.pk
        assert Message.objects.filter(idempotency_key=f"reentry:handover:{plan.pk}").exists()
        services.plan_update(actor=scene.nav, plan=plan, data={
            "work": "Sommerjobb via NAV", "first_day_contact": "Veileder Hansen",
            "id_documents": True})

    # fourteen days before, three items open: one alert, and only one
    with clock.frozen(at(expected - dt.timedelta(days=10))):
        assert alerts.readiness_alerts_send() == 1
        assert alerts.readiness_alerts_send() == 0
        row = selectors.plans_for_nav(actor=scene.nav)[0]
        assert row.alert and len(row.missing) == 3
        message = Message.objects.get(idempotency_key=f"reentry:ready:{plan.pk}:14")
        assert person.family_name not in message.body and person.national_id not in message.body
        services.plan_update(actor=scene.nav, plan=plan, data={
            "bank_account": True, "housing_confirmed": True,
            "first_meeting_on": expected + dt.timedelta(days=1)})
    with clock.frozen(at(expected - dt.timedelta(days=5))):
        assert alerts.readiness_alerts_send() == 0
        assert not selectors.plans_for_nav(actor=scene.nav)[0].alert

    with clock.frozen(at(expected)):
        services.release_confirm(actor=scene.ko, release=release, actual_date=expected)
        with pytest.raises(DomainError) as error:
            services.outcome_record(actor=scene.nav, plan=plan, milestone=3,
                                    occupation="work", housing_stable=True,
                                    new_conviction=False)
        assert error.value.code == "not_due"

    for months, occupation in ((3, "work"), (6, "education"), (12, "none")):
        due = services.add_months(expected, months)
        with clock.frozen(at(due)):
            row = selectors.plan_get_for(actor=scene.nav, plan_id=plan.pk)
            assert [o.milestone for o in row.outcomes_open] == [months]
            services.outcome_record(actor=scene.nav, plan=plan, milestone=months,
                                    occupation=occupation, housing_stable=months != 12,
                                    new_conviction=months == 12)
    assert list(Outcome.objects.filter(plan=plan).values_list("milestone", flat=True)) == [
        3, 6, 12]
    release.refresh_from_db()
    assert release.status == ReleaseStatus.RELEASED
    with clock.frozen(at(services.add_months(expected, 12))):
        with pytest.raises(DomainError):
            services.outcome_record(actor=scene.nav, plan=plan, milestone=12,
                                    occupation="work", housing_stable=True,
                                    new_conviction=False)
        counts = selectors.outcome_counts(actor=scene.nav)
    assert counts[12] == {"recorded": 1, "occupied": 0, "housing_stable": 0,
                          "new_conviction": 1}
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"reentry.release", "reentry.handover", "reentry.plan", "reentry.outcome"} <= actions


def test_short_notice_needs_a_reason(scene):
    with clock.frozen(start()):
        person = person_aged(20, today=clock.today())
        with pytest.raises(DomainError) as error:
            register(scene, person, days_ahead=20)
        assert error.value.code == "short_notice"
        release = register(scene, person, days_ahead=20,
                           short_notice_reason="Dom avsagt i forrige uke")
        assert release.short_notice_reason
        with pytest.raises(DomainError) as error:
            register(scene, person, short_notice_reason="x")
        assert error.value.code == "duplicate"


def test_handover_links_an_open_salto_case_and_tells_its_team(scene):
    with clock.frozen(start()):
        person = person_aged(15, today=clock.today())
        case = case_open(actor=scene.coordinator, person=person)
        release = register(scene, person)
        plan = services.release_handover(actor=scene.ko, release=release,
                                         nav_office=scene.nav.agency, owner=scene.nav.user)
        assert plan.salto_case == case and plan.salto_concern is None
        assert not plan.youth_guarantee  # 15 on the release day; the guarantee is 16–30
        entry_events = AuditEvent.objects.filter(action="entry.create",
                                                 details__category="kriminalomsorg",
                                                 subjects__person_id=person.pk)
        assert entry_events.count() == 1


def test_over_the_reentry_age_no_salto_link(scene):
    with clock.frozen(start()):
        person = person_aged(27, today=clock.today())
        plan = services.release_handover(actor=scene.ko, release=register(scene, person),
                                         nav_office=scene.nav.agency, owner=scene.nav.user)
        assert plan.salto_case is None and plan.salto_concern is None
        assert plan.youth_guarantee


def test_only_the_unit_and_the_office(scene, make_member):
    from laget.core.errors import NotFound
    from laget.reentry.tests.conftest import actor_of
    with clock.frozen(start()):
        person = person_aged(19, today=clock.today())
        release = register(scene, person)
        with pytest.raises(DomainError):
            services.release_handover(actor=scene.ko_other, release=release,
                                      nav_office=scene.nav.agency, owner=scene.nav.user)
        with pytest.raises(DomainError) as error:
            services.release_handover(actor=scene.ko, release=release,
                                      nav_office=scene.nav.agency, owner=scene.ko.user)
        assert error.value.code == "owner"
        plan = services.release_handover(actor=scene.ko, release=release,
                                         nav_office=scene.nav.agency, owner=scene.nav.user)
        other_nav = actor_of(make_member("caseworker", agency_type="nav"))
        with pytest.raises(NotFound):
            selectors.plan_get_for(actor=other_nav, plan_id=plan.pk)
        with pytest.raises(NotFound):
            selectors.plan_get_for(actor=scene.ko, plan_id=plan.pk)
        with pytest.raises(NotFound):
            selectors.release_get_for(actor=scene.ko_other, release_id=release.pk)
        with pytest.raises(DomainError):
            services.plan_update(actor=other_nav, plan=plan, data={"work": "x"})


def test_the_scheduled_task_acts_from_the_reminder_hour(scene, settings):
    from laget.reentry.tasks import readiness_alerts
    settings.LAGET_NOTIFY_REMINDER_HOUR = 7
    with clock.frozen(start()):
        person = person_aged(19, today=clock.today())
        release = register(scene, person, days_ahead=5, short_notice_reason="Kort dom")
        services.release_handover(actor=scene.ko, release=release, nav_office=scene.nav.agency,
                                  owner=scene.nav.user)
        day = clock.today()
    with clock.frozen(dt.datetime.combine(day, dt.time(5), tzinfo=clock.OSLO)):
        assert readiness_alerts.call() == 0
    with clock.frozen(dt.datetime.combine(day, dt.time(8), tzinfo=clock.OSLO)):
        assert readiness_alerts.call() == 1
        assert readiness_alerts.call() == 0
