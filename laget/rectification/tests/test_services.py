"""Registering and deciding requests for rectification and objections: who may, the one-month
deadline, reasons, and that a correction supersedes an entry and keeps the history."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from laget.audit.innsyn import innsyn_report
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import DomainError
from laget.family.tests.scene import SCHOOL_TEXT, actor_of
from laget.notify.models import Message
from laget.people.tests.factories import GuardianFactory
from laget.rectification import selectors, services
from laget.rectification.models import Decision, RectificationRequest
from laget.sharing.selectors import case_entries_for, entry_get_for, entry_history_for
from laget.sharing.services import entry_add

pytestmark = pytest.mark.django_db
NEW_TEXT = "Fravær 3 prosent siste måned."
OSLO = clock.OSLO


def _register(scene, actor=None, **kwargs):
    values = {"entry_ids": [scene.entry.pk], "kind": "correction",
              "what_is_wrong": "Fraværet er feil regnet.", "should_say": NEW_TEXT}
    return services.request_register(actor=actor or scene.barnevern, case=scene.case,
                                     **{**values, **kwargs})


@pytest.mark.parametrize(("received", "deadline"), [
    (dt.datetime(2026, 1, 31, 12, tzinfo=OSLO), dt.date(2026, 2, 28)),
    (dt.datetime(2028, 1, 31, 12, tzinfo=OSLO), dt.date(2028, 2, 29)),
    (dt.datetime(2026, 12, 15, 9, tzinfo=OSLO), dt.date(2027, 1, 15)),
    # 23:30 UTC on 30 April is 1 May in Oslo
    (dt.datetime(2026, 4, 30, 23, 30, tzinfo=dt.UTC), dt.date(2026, 6, 1)),
])
def test_the_deadline_is_one_month_from_receipt_in_oslo(received, deadline):
    assert services.deadline_for(received) == deadline


def test_a_team_member_registers_on_the_persons_behalf_and_the_owner_is_told(scene):
    request = _register(scene, requested_by="guardian", guardian_id=scene.mother.pk)
    assert request.agency == scene.school.agency  # the entry's source agency decides
    assert request.deadline == services.deadline_for(request.received_at) > clock.today()
    assert request.guardian == scene.mother and request.channel == "staff"
    assert request.registered_by == scene.barnevern.user
    assert list(request.entries.values_list("entry_id", flat=True)) == [scene.entry.pk]
    event = AuditEvent.objects.get(action="rectification.request")
    assert event.actor == scene.barnevern.user
    assert event.details["entries"] == [str(scene.entry.pk)]
    assert event.details["guardian"] == str(scene.mother.pk)
    told = Message.objects.filter(idempotency_key__startswith=f"rectification-request:{request.pk}")
    assert {m.recipient_user_id for m in told} == {scene.school.user.pk}
    for message in told:
        assert "Sara" not in message.body and SCHOOL_TEXT not in message.body


def test_only_team_members_register_and_only_about_entries_they_see(scene, make_member):
    stranger = actor_of(make_member("caseworker", agency_type="nav"))
    with pytest.raises(DomainError) as refused:
        _register(scene, actor=stranger)
    assert refused.value.code == "not_on_team"
    own = entry_add(actor=scene.coordinator, case=scene.case, category="plan", text="Plan.")
    with pytest.raises(DomainError) as mixed:  # one request, one deciding agency
        _register(scene, entry_ids=[scene.entry.pk, own.pk])
    assert mixed.value.code in ("agencies", "entries")
    # the coordinator has no basis for the school's entry: it cannot be named
    with pytest.raises(DomainError) as unseen:
        _register(scene, actor=scene.coordinator)
    assert unseen.value.code == "entries"
    with pytest.raises(DomainError):
        _register(scene, what_is_wrong="   ")
    with pytest.raises(DomainError):
        _register(scene, entry_ids=[])
    with pytest.raises(DomainError) as other_child:
        _register(scene, requested_by="guardian", guardian_id=GuardianFactory().pk)
    assert other_child.value.code == "guardian"
    assert not RectificationRequest.objects.exists()


def test_only_the_owning_agency_decides_and_a_reason_is_required(scene):
    request = _register(scene)
    with pytest.raises(DomainError) as other:
        services.request_decide(actor=scene.barnevern, request=request,
                                decision=Decision.REJECTED, reason="Nei.")
    assert other.value.code == "forbidden"
    with pytest.raises(DomainError) as no_reason:
        services.request_decide(actor=scene.school, request=request,
                                decision=Decision.REJECTED, reason="  ")
    assert no_reason.value.code == "reason"
    with pytest.raises(DomainError) as no_text:
        services.request_decide(actor=scene.school, request=request,
                                decision=Decision.CORRECTED, reason="Feil tall.")
    assert no_text.value.code == "corrected_text"
    with pytest.raises(DomainError) as wrong_kind:
        services.request_decide(actor=scene.school, request=request,
                                decision=Decision.OBJECTION_UPHELD, reason="Ja.",
                                corrected_text="x")
    assert wrong_kind.value.code == "decision"
    assert RectificationRequest.objects.get(pk=request.pk).is_open
    assert not AuditEvent.objects.filter(action="rectification.decide").exists()


def test_a_rejection_keeps_the_entry_and_is_final(scene):
    request = _register(scene)
    decided = services.request_decide(actor=scene.school, request=request,
                                      decision=Decision.REJECTED,
                                      reason="Fraværet er hentet fra skolens protokoll.",
                                      corrected_text="ignored")
    assert decided.decision == "rejected" and decided.corrected_text == ""
    assert decided.decided_by == scene.school.user and decided.decided_at is not None
    assert decided.entries.get().correction_id is None
    _page, shown = case_entries_for(actor=scene.school, case=scene.case, purpose="forebygging")
    assert [s.entry.text for s in shown] == [SCHOOL_TEXT]
    with pytest.raises(DomainError) as again:
        services.request_decide(actor=scene.school, request=decided,
                                decision=Decision.CORRECTED, reason="Likevel.",
                                corrected_text=NEW_TEXT)
    assert again.value.code == "decided"
    # the registrar is told the request is decided, without personal data
    told = Message.objects.get(idempotency_key=f"rectification-decided:{request.pk}")
    assert told.recipient_user_id == scene.barnevern.user.pk and "Sara" not in told.body


def test_rectification_keeps_history(scene):
    """A correction supersedes the entry: normal views show the new text, the history and the
    audit log keep the old one, and the person's innsyn report still holds its events."""
    request = _register(scene)
    decided = services.request_decide(actor=scene.school, request=request,
                                      decision=Decision.CORRECTED,
                                      reason="Fraværet var feil regnet.",
                                      corrected_text=NEW_TEXT)
    row = decided.entries.get()
    assert row.entry_id == scene.entry.pk and row.correction_id is not None
    # the normal view: the new text only, for the owner and for barnevern (by consent)
    for actor in (scene.school, scene.barnevern):
        _page, shown = case_entries_for(actor=actor, case=scene.case, purpose="forebygging")
        assert [s.entry.text for s in shown] == [NEW_TEXT]
        assert [s.entry.supersedes_id for s in shown] == [scene.entry.pk]
    # kept: the history has both versions, the old one can still be opened
    _page, everything = case_entries_for(actor=scene.school, case=scene.case,
                                         purpose="forebygging", history=True)
    assert {s.entry.text for s in everything} == {SCHOOL_TEXT, NEW_TEXT}
    new = entry_get_for(actor=scene.school, case=scene.case, entry_id=row.correction_id,
                        purpose="forebygging")
    history = entry_history_for(actor=scene.school, shown=new, purpose="forebygging")
    assert [h.entry.text for h in history] == [SCHOOL_TEXT]
    # the audit log references the old entry: its creation, the correction and the decision
    old_id = str(scene.entry.pk)
    created = AuditEvent.objects.get(action="entry.create", object_id=old_id)
    corrected = AuditEvent.objects.get(action="entry.correct",
                                       object_id=str(row.correction_id))
    assert corrected.details["supersedes"] == old_id
    decision = AuditEvent.objects.get(action="rectification.decide")
    assert decision.details["entries"] == [old_id]
    assert decision.details["corrections"] == [str(row.correction_id)]
    report = innsyn_report(actor=None, person=scene.person, for_auditor=False,
                           requested_by="guardian")
    lines = {line.event_id: line for line in report.lines}
    assert {created.pk, corrected.pk, decision.pk} <= set(lines)
    assert lines[decision.pk].action == "rectification.decide"
    # and the request and its decision are kept
    kept = RectificationRequest.objects.get(pk=request.pk)
    assert kept.decision == "corrected" and kept.reason == "Fraværet var feil regnet."


def test_an_upheld_objection_replaces_the_text_and_keeps_the_old(scene):
    request = _register(scene, kind="objection",
                        what_is_wrong="Skolen skulle ikke dele dette.", should_say="")
    with pytest.raises(DomainError):
        services.request_decide(actor=scene.school, request=request,
                                decision=Decision.OBJECTION_UPHELD, reason="Tas til følge.")
    services.request_decide(actor=scene.school, request=request,
                            decision=Decision.OBJECTION_UPHELD, reason="Tas til følge.",
                            corrected_text="Opplysningen er fjernet etter innsigelse.")
    _page, shown = case_entries_for(actor=scene.school, case=scene.case, purpose="forebygging")
    assert [s.entry.text for s in shown] == ["Opplysningen er fjernet etter innsigelse."]


def test_a_decided_request_needs_a_reason_in_the_database_too(scene):
    request = _register(scene)
    with pytest.raises(IntegrityError), transaction.atomic():
        RectificationRequest.objects.filter(pk=request.pk).update(
            decision="rejected", decided_by=scene.school.user, decided_at=clock.now(), reason="")


def test_a_request_from_the_family_pages_goes_to_the_task_agency_or_the_bydel(scene):
    details = {"via": "familie", "citizen": "guardian", "guardian": str(scene.mother.pk)}
    to_school = services.request_register_family(
        case=scene.case, kind="correction", what_is_wrong="Samtalen er ikke ukentlig.",
        should_say="", requested_by="guardian", guardian=scene.mother,
        task=scene.school_task, goal=None, details=details)
    assert to_school.agency == scene.school.agency
    assert to_school.plan_item == scene.school_task.title and to_school.channel == "family"
    to_bydel = services.request_register_family(
        case=scene.case, kind="objection", what_is_wrong="Vi vil ikke at dette brukes.",
        should_say="", requested_by="guardian", guardian=scene.mother, task=None,
        goal=scene.goal, details=details)
    assert to_bydel.agency == scene.coordinator.agency
    event = AuditEvent.objects.filter(action="rectification.request").first()
    assert event is not None and event.actor is None and event.details["via"] == "familie"
    with pytest.raises(DomainError):
        services.request_register_family(
            case=scene.case, kind="correction", what_is_wrong="x", should_say="",
            requested_by="guardian", guardian=None, task=None, goal=None, details=details)
    # the bydel's coordinator decides the bydel's: a plan matter, changed on the plan page
    services.request_decide(actor=scene.coordinator, request=to_bydel,
                            decision=Decision.OBJECTION_REJECTED,
                            reason="Planen er avtalt i møtet.")
    assert selectors.family_requests_for(person=scene.person, details=details)[0].reason


def test_the_list_shows_my_agencys_requests_and_the_ones_i_registered(scene, make_member):
    request = _register(scene)
    assert [r.pk for r in selectors.requests_for(actor=scene.school).open] == [request.pk]
    assert [r.pk for r in selectors.requests_for(actor=scene.barnevern).open] == [request.pk]
    assert selectors.requests_for(actor=scene.coordinator).open == []
    colleague = actor_of(make_member("caseworker", agency=scene.school.agency))
    assert selectors.requests_for(actor=colleague).open == []  # not on the team
    assert not selectors.may_see(colleague, request)
    assert selectors.may_decide(scene.school, request)
    assert not selectors.may_decide(scene.barnevern, request)
    assert AuditEvent.objects.filter(action="rectification.view").count() == 4
