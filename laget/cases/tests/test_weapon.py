"""The weapon trigger's follow-up: checkpoints with due dates from settings, met and overdue, the
barnevern checkpoint only for the coordinator and barnevern, the repeat count, and the panel on
the case page."""

import datetime as dt

import pytest
from django.urls import reverse

from laget.cases.models import Meeting, MeetingStatus
from laget.cases.tests.conftest import actor_of
from laget.cases.weapon import BARNEVERN, MEETING, weapon_followup_for
from laget.core import clock
from laget.records.models import MarkerKind
from laget.records.services import case_marker_add, case_marker_end, team_member_add

pytestmark = pytest.mark.django_db


def trigger(scene, days_ago=0):
    return case_marker_add(actor=scene.police, case=scene.case, kind=MarkerKind.WEAPON_TRIGGER,
                           valid_from=clock.today() - dt.timedelta(days=days_ago))


def points(followup):
    return {c.key: c for c in followup.checkpoints}


def meeting(scene, *, in_days, status=MeetingStatus.PLANNED):
    start = dt.datetime.combine(clock.today() + dt.timedelta(days=in_days), dt.time(10),
                                tzinfo=clock.OSLO)
    return Meeting.objects.create(case=scene.case, starts_at=start, status=status,
                                  created_by=scene.coordinator.user)


def barnevern_on_team(scene, make_member):
    worker = actor_of(make_member("caseworker", agency_type="barnevern"))
    team_member_add(actor=scene.coordinator, case=scene.case, user=worker.user,
                    agency=worker.agency)
    return worker


def test_no_trigger_is_none(scene):
    assert weapon_followup_for(actor=scene.coordinator, case=scene.case) is None


def test_an_ended_trigger_is_none(scene):
    marker = trigger(scene, days_ago=3)
    case_marker_end(actor=scene.coordinator, marker=marker, valid_to=clock.today())
    assert weapon_followup_for(actor=scene.coordinator, case=scene.case) is None


def test_not_on_the_team_sees_nothing(scene):
    trigger(scene)
    assert weapon_followup_for(actor=scene.other_coordinator, case=scene.case) is None
    assert weapon_followup_for(actor=scene.caseworker, case=scene.case) is None


def test_fresh_trigger_is_due_not_overdue(scene):
    trigger(scene)
    followup = weapon_followup_for(actor=scene.coordinator, case=scene.case)
    today = clock.today()
    got = points(followup)
    assert got[BARNEVERN].due_on == today and not got[BARNEVERN].met
    assert got[MEETING].due_on == today + dt.timedelta(days=7) and not got[MEETING].met
    assert not followup.overdue and not followup.repeated and followup.triggers == 1


def test_missed_deadlines_are_overdue(scene):
    trigger(scene, days_ago=8)
    followup = weapon_followup_for(actor=scene.coordinator, case=scene.case)
    got = points(followup)
    assert got[BARNEVERN].overdue and got[MEETING].overdue and followup.overdue


def test_checkpoints_met(scene, make_member):
    trigger(scene, days_ago=2)
    barnevern_on_team(scene, make_member)
    meeting(scene, in_days=3)
    got = points(weapon_followup_for(actor=scene.coordinator, case=scene.case))
    assert got[BARNEVERN].met and not got[BARNEVERN].overdue
    assert got[MEETING].met and not got[MEETING].overdue


def test_meeting_after_the_due_date_or_cancelled_does_not_count(scene):
    trigger(scene, days_ago=2)
    meeting(scene, in_days=6)
    meeting(scene, in_days=1, status=MeetingStatus.CANCELLED)
    assert not points(weapon_followup_for(actor=scene.coordinator, case=scene.case))[MEETING].met


def test_settings_change_the_due_dates(scene, settings):
    settings.LAGET_WEAPON_BARNEVERN_DAYS = 2
    settings.LAGET_WEAPON_MEETING_DAYS = 14
    trigger(scene, days_ago=1)
    got = points(weapon_followup_for(actor=scene.coordinator, case=scene.case))
    today = clock.today()
    assert got[BARNEVERN].due_on == today + dt.timedelta(days=1) and not got[BARNEVERN].overdue
    assert got[MEETING].due_on == today + dt.timedelta(days=13)


def test_barnevern_checkpoint_only_for_coordinator_and_barnevern(scene, make_member):
    trigger(scene)
    worker = barnevern_on_team(scene, make_member)
    assert BARNEVERN in points(weapon_followup_for(actor=scene.coordinator, case=scene.case))
    assert BARNEVERN in points(weapon_followup_for(actor=worker, case=scene.case))
    police = points(weapon_followup_for(actor=scene.police, case=scene.case))
    assert set(police) == {MEETING}


def test_repeated_triggers_are_counted(scene):
    first = trigger(scene, days_ago=30)
    case_marker_end(actor=scene.coordinator, marker=first, valid_to=clock.today()
                    - dt.timedelta(days=20))
    trigger(scene, days_ago=1)
    followup = weapon_followup_for(actor=scene.police, case=scene.case)
    assert followup.triggers == 2 and followup.repeated
    assert followup.since == clock.today() - dt.timedelta(days=1)


def test_case_page_shows_the_panel(client, login, scene):
    trigger(scene, days_ago=8)
    login(client, scene.coordinator.user)
    html = client.get(reverse("web:case_detail", kwargs={"case_id": scene.case.pk})
                      ).content.decode()
    assert 'pkt-alert--error laget-section" data-testid="weapon-panel"' in html
    assert 'data-testid="weapon-barnevern"' in html and "Oppfølgingsmøte" in html
    login(client, scene.police.user)
    html = client.get(reverse("web:case_detail", kwargs={"case_id": scene.case.pk})
                      ).content.decode()
    assert 'data-testid="weapon-panel"' in html
    assert 'data-testid="weapon-barnevern"' not in html


def test_missed_checkpoints_alert_the_coordinator_and_barnevern_once(scene, make_member):
    from laget.cases.reminders import weapon_checkpoint_alerts_send
    from laget.notify.models import Message

    bv = actor_of(make_member("caseworker", agency_type="barnevern", district="030111"))
    trigger(scene, days_ago=8)  # both the same-day barnevern check and the 7-day meeting missed
    assert weapon_checkpoint_alerts_send() == 3  # coordinator ×2, barnevern ×1
    to_coordinator = Message.objects.filter(recipient_user=scene.coordinator.user)
    assert to_coordinator.count() == 2
    [to_bv] = Message.objects.filter(recipient_user=bv.user)
    assert "barnevernet" in to_bv.body and str(scene.case.pk) in to_bv.body
    person = scene.case.person
    for message in Message.objects.all():
        assert person.given_name not in message.body and person.family_name not in message.body
    assert weapon_checkpoint_alerts_send() == 0  # once per checkpoint
    # on the trigger day itself nothing is overdue yet
    assert weapon_checkpoint_alerts_send(today=clock.today() - dt.timedelta(days=8)) == 0
