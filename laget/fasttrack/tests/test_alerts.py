"""Deadline alerts with a stopped clock: a warning LAGET_FASTTRACK_WARN_DAYS before a running
stage's due date and an alert on the day, to the stage's responsible agency only (the unit's
prosecutors, the named court's case roles), once each (idempotency keys), with no personal data.
The hourly task acts only from LAGET_NOTIFY_REMINDER_HOUR."""

import datetime as dt

import pytest

from laget.accounts.models import Role
from laget.core import clock
from laget.fasttrack import alerts, services
from laget.fasttrack.tasks import deadline_alerts
from laget.fasttrack.tests.conftest import TODAY
from laget.notify.models import Message

CHARGED = dt.date(2026, 3, 2)  # the charge decision is due 13 April (42 days, strpl. § 249)
DUE = dt.date(2026, 4, 13)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=clock.OSLO)


def _messages(user) -> list[Message]:
    return list(Message.objects.filter(recipient_user=user).order_by("created_at"))


@pytest.fixture
def case(scene):
    case = scene.open(court=scene.court.agency)
    services.milestone_record(actor=scene.prosecutor, case=case, kind="charged",
                              occurred_on=CHARGED)
    return case


@pytest.mark.django_db
def test_warning_before_and_alert_on_the_deadline_to_the_prosecutors_once(scene, case, settings,
                                                                          make_member):
    settings.LAGET_FASTTRACK_WARN_DAYS = 7
    second = make_member(Role.PROSECUTOR, agency=scene.prosecutor.agency)
    with clock.frozen(_at(DUE - dt.timedelta(days=8))):
        assert alerts.deadline_alerts_send() == 0
    with clock.frozen(_at(DUE - dt.timedelta(days=7))):
        assert alerts.deadline_alerts_send() == 2
        assert alerts.deadline_alerts_send() == 0  # the same day again: nothing more
    with clock.frozen(_at(DUE - dt.timedelta(days=3))):
        assert alerts.deadline_alerts_send() == 0  # warned once per deadline
    with clock.frozen(_at(DUE)):
        assert alerts.deadline_alerts_send() == 2
    with clock.frozen(_at(DUE + dt.timedelta(days=1))):
        assert alerts.deadline_alerts_send() == 0
    warning, due = _messages(scene.prosecutor.user)
    assert warning.subject == "Frist i hurtigsporet nærmer seg"
    assert "påtaleavgjørelse om 7 dager" in warning.body and "strpl. § 249" in warning.body
    assert due.subject == "Frist i hurtigsporet er nådd"
    assert f"/hurtigspor/{case.pk}/" in due.body
    assert len(_messages(second)) == 2
    # the unit's officer, the court and the others get nothing about a police stage
    for other in (scene.officer, scene.court, scene.konfliktraad, scene.other_prosecutor):
        assert _messages(other.user) == []
    person = scene.person
    for message in Message.objects.all():
        for secret in (person.given_name, person.family_name, person.national_id,
                       case.police_case_number, person.birth_date.isoformat()):
            assert secret not in message.subject and secret not in message.body


@pytest.mark.django_db
def test_a_missed_warning_window_catches_up_and_a_finished_stage_is_quiet(scene, case):
    with clock.frozen(_at(DUE - dt.timedelta(days=2))):
        assert alerts.deadline_alerts_send() == 1
    with clock.frozen(_at(DUE - dt.timedelta(days=1))):
        services.milestone_record(actor=scene.prosecutor, case=case, kind="charge_decision",
                                  occurred_on=clock.today(), outcome="tiltale")
    with clock.frozen(_at(DUE)):
        assert alerts.deadline_alerts_send() == 0


@pytest.mark.django_db
def test_court_stages_alert_the_named_court(scene, case):
    services.milestone_record(actor=scene.prosecutor, case=case, kind="charge_decision",
                              occurred_on=TODAY, outcome="tiltale")
    services.milestone_record(actor=scene.court, case=case, kind="court_received",
                              occurred_on=TODAY)
    # main hearing within 14 days of 10 March (strpl. § 275 (1)): due 24 March
    with clock.frozen(_at(dt.date(2026, 3, 24))):
        alerts.deadline_alerts_send()
    subjects = [m.body for m in _messages(scene.court.user)]
    assert any("hovedforhandling" in body for body in subjects)
    assert not any("hovedforhandling" in m.body for m in _messages(scene.prosecutor.user))


@pytest.mark.django_db
def test_a_closed_case_sends_nothing(scene, case):
    services.youth_case_close(actor=scene.prosecutor, case=case)
    with clock.frozen(_at(DUE)):
        assert alerts.deadline_alerts_send() == 0


@pytest.mark.django_db
def test_the_hourly_task_waits_for_the_reminder_hour(scene, case, settings):
    settings.LAGET_NOTIFY_REMINDER_HOUR = 7
    with clock.frozen(_at(DUE, hour=6)):
        assert deadline_alerts.call() == 0
    with clock.frozen(_at(DUE, hour=7)):
        assert deadline_alerts.call() == 1
