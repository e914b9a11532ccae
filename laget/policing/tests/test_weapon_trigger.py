"""The weapon trigger's acts besides the case marker: a report to barnevern in the child's bydel
on the sharing engine's basis (straffeprosessloven § 232 a, barnevernsloven § 13-2), read and
acknowledged by barnevern, which meets the case's «barnevern informed» checkpoint; and a recorded
request for the fast track."""

import datetime as dt

import pytest

from laget.audit.actions import Action, Outcome
from laget.audit.models import AuditEvent
from laget.cases import barnevern
from laget.cases.models import BarnevernReport
from laget.cases.weapon import BARNEVERN, weapon_followup_for
from laget.core import clock
from laget.core.errors import NotFound
from laget.notify.models import Message
from laget.policing.models import FastTrackRequest, PoliceRegistration
from laget.policing.services import registration_create

from .conftest import actor_of

pytestmark = pytest.mark.django_db


def _weapon(world, person, **kwargs):
    return registration_create(
        actor=world.police, kind="apprehension", subdistrict=world.place,
        occurred_at=clock.now() - dt.timedelta(minutes=5), given_name=person.given_name,
        family_name=person.family_name, national_id=person.national_id,
        offence_category="vapenloven", weapon_type="kniv", grounds="Kniv i sekken.",
        **kwargs).registration


@pytest.fixture
def barnevern_worker(make_member):
    return actor_of(make_member("caseworker", agency_type="barnevern", district="030111",
                                password=None))


def test_a_child_with_a_weapon_is_reported_to_barnevern_in_the_bydel(
        world, draft_rules_in_force, barnevern_worker):
    person, case = world.young(15, case=True)
    registration = _weapon(world, person)
    report = BarnevernReport.objects.get()
    assert registration.barnevern_report_id == report.pk
    assert registration.barnevern_manual_reason == ""
    assert (report.person, report.case, report.district_id) == (person, case, "030111")
    # the narrowest rule that gives the basis: the police's own duty to notify barnevern
    assert report.basis_rule == "strpl-232a-politi-barnevern"
    assert report.basis_citation == "straffeprosessloven § 232 a"
    assert "Kniv" in report.text and report.received_at is None
    sent = AuditEvent.objects.get(action=Action.BARNEVERN_REPORT_SEND)
    assert sent.basis == "strpl-232a-politi-barnevern" and sent.purpose == "melding_barnevern"
    # barnevern is told by a staff notification that names no one
    [note] = Message.objects.filter(recipient_user=barnevern_worker.user)
    assert person.given_name not in note.body and person.national_id not in note.body
    assert str(report.pk) in note.body


def test_barnevern_reads_and_acknowledges_and_the_checkpoint_is_met(
        world, draft_rules_in_force, barnevern_worker):
    person, case = world.young(15, case=True)
    _weapon(world, person)
    followup = weapon_followup_for(actor=world.coordinator, case=case)
    [check] = [c for c in followup.checkpoints if c.key == BARNEVERN]
    assert not check.met
    assert barnevern.unreceived_count_for(actor=barnevern_worker) == 1
    [listed] = barnevern.reports_for(actor=barnevern_worker)
    report = barnevern.report_get_for(actor=barnevern_worker, report_id=listed.pk)
    read = AuditEvent.objects.filter(action=Action.BARNEVERN_REPORT_VIEW,
                                     object_id=str(report.pk)).get()
    assert read.basis == "strpl-232a-politi-barnevern"
    barnevern.barnevern_report_receive(actor=barnevern_worker, report_id=report.pk)
    barnevern.barnevern_report_receive(actor=barnevern_worker, report_id=report.pk)
    assert AuditEvent.objects.filter(action=Action.BARNEVERN_REPORT_RECEIVE).count() == 1
    assert barnevern.unreceived_count_for(actor=barnevern_worker) == 0
    followup = weapon_followup_for(actor=world.coordinator, case=case)
    [check] = [c for c in followup.checkpoints if c.key == BARNEVERN]
    assert check.met and not check.overdue


def test_only_barnevern_of_that_bydel_reads_the_report(world, draft_rules_in_force, make_member,
                                                      barnevern_worker):
    person, _case = world.young(15, case=True)
    _weapon(world, person)
    report = BarnevernReport.objects.get()
    elsewhere = actor_of(make_member("caseworker", agency_type="barnevern", district="030115",
                                     password=None))
    for outsider in (elsewhere, world.coordinator, world.police):
        assert barnevern.reports_for(actor=outsider) == []
        with pytest.raises(NotFound):
            barnevern.report_get_for(actor=outsider, report_id=report.pk)
        with pytest.raises(NotFound):
            barnevern.barnevern_report_receive(actor=outsider, report_id=report.pk)
    assert AuditEvent.objects.filter(action=Action.BARNEVERN_REPORT_VIEW,
                                     outcome=Outcome.DENIED).count() == 3
    assert BarnevernReport.objects.get().received_at is None


def test_without_a_reviewed_rule_nothing_is_sent_and_the_officer_is_told(world,
                                                                         barnevern_worker):
    """Production before a lawyer has reviewed the rulebook: the duty stays the officer's."""
    person, _case = world.young(15, case=True)
    registration = _weapon(world, person)
    assert not BarnevernReport.objects.exists()
    assert registration.barnevern_report_id is None
    assert "Meld til barnevernet på vanlig måte" in registration.barnevern_manual_reason
    assert FastTrackRequest.objects.filter(registration=registration).exists()


def test_no_report_for_an_adult_or_without_a_weapon(world, draft_rules_in_force,
                                                    barnevern_worker):
    adult, _ = world.young(19)
    _weapon(world, adult)
    child, _ = world.young(15, case=True)
    registration_create(actor=world.police, kind="stop_search", subdistrict=world.place,
                        occurred_at=clock.now(), given_name=child.given_name,
                        family_name=child.family_name, national_id=child.national_id)
    assert not BarnevernReport.objects.exists()
    assert not FastTrackRequest.objects.exists()


def test_a_child_without_a_case_is_reported_too_and_the_bydel_without_barnevern_is_flagged(
        world, draft_rules_in_force):
    person, _ = world.young(14)
    registration = _weapon(world, person)
    report = BarnevernReport.objects.get()
    assert report.case is None and report.person == person
    assert "ring barnevernet også" in registration.barnevern_manual_reason


def test_the_fast_track_request_is_recorded_once_per_weapon_registration(
        world, draft_rules_in_force):
    person, _case = world.young(16, case=True)
    first = _weapon(world, person)
    second = _weapon(world, person)
    requests = FastTrackRequest.objects.order_by("requested_at")
    assert [r.registration_id for r in requests] == [first.pk, second.pk]
    assert all(r.person == person and r.taken_up_at is None for r in requests)
    assert requests[0].unit == world.police.membership.agency


def test_a_failing_report_leaves_nothing_behind(world, draft_rules_in_force, monkeypatch):
    person, _case = world.young(15, case=True)

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("laget.policing.services.barnevern_report_send", broken)
    with pytest.raises(RuntimeError):
        _weapon(world, person)
    assert not PoliceRegistration.objects.exists()
    assert not Message.objects.exists() and not FastTrackRequest.objects.exists()
