"""Innsyn: the person's access report (its lines, log references and its own logging) and
withholdings (hidden from the person, counted for the auditor, ending on their date or early)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Membership
from laget.accounts.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from laget.audit import innsyn, log
from laget.audit.actions import Action, Purpose
from laget.audit.innsyn import RequestedBy
from laget.audit.models import AuditEvent, Withholding, WithholdingReason
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _actor(role: str, agency=None, **user) -> Actor:
    membership = MembershipFactory(user=UserFactory(password=None, **user), role=role,
                                   agency=agency or AgencyFactory())
    return Actor(membership.user, Membership.objects.select_related("agency").get(pk=membership.pk))


@pytest.fixture
def scene():
    person = PersonFactory(given_name="Sara")
    school = AgencyFactory(type=AgencyType.SKOLE, name="Haugen skole")
    police = AgencyFactory(type=AgencyType.POLITI, name="Oslo politidistrikt", district_id=None)
    teacher = _actor("caseworker", school, first_name="Tone", last_name="Lærer")
    officer = _actor("caseworker", police, first_name="Per", last_name="Politi")
    auditor = _actor("auditor", AgencyFactory(type=AgencyType.BY, name="Kommunerevisjonen"))
    leader = _actor("leader", police, first_name="Lise", last_name="Leder")
    audit_record(action=Action.ENTRY_CREATE, actor=teacher, persons=[person],
                 purpose=Purpose.FOREBYGGING, details={"category": "skole", "attachments": 0})
    audit_record(action=Action.CASE_VIEW, actor=officer, persons=[person],
                 purpose=Purpose.FOREBYGGING, basis="politi-forebygging,fvl-13a-samtykke")
    # not about the person: a login, and a read of someone else
    audit_record(action=Action.LOGIN, actor=teacher.user, purpose=Purpose.INNLOGGING)
    audit_record(action=Action.PERSON_VIEW, actor=teacher, persons=[PersonFactory()])
    return {"person": person, "school": school, "police": police, "teacher": teacher,
            "officer": officer, "auditor": auditor, "leader": leader}


def _report(scene, *, for_auditor=True, actor=None, **kwargs):
    return innsyn.innsyn_report(
        actor=actor or scene["auditor"], person=scene["person"], for_auditor=for_auditor,
        requested_by=kwargs.pop("requested_by", RequestedBy.AUDITOR if for_auditor
                                else RequestedBy.PERSON), **kwargs)


def test_lines_name_who_what_category_basis_and_purpose(scene):
    report = _report(scene)
    assert [line.action for line in report.lines] == [Action.CASE_VIEW, Action.ENTRY_CREATE]
    view, create = report.lines
    assert view.staff_name == "Per Politi" and view.role_label == "Saksbehandler"
    assert view.agency_name == "Oslo politidistrikt" and view.agency_type_label == "Politi"
    assert view.basis == ("politi-forebygging", "fvl-13a-samtykke")
    assert view.purpose_label == "Koordinert forebygging"
    assert create.action_label == "Opplysning registrert" and create.categories == ("skole",)
    assert create.staff_name == "Tone Lærer"
    # not yet in the log: no index, no proof reference
    assert report.checkpoint is None and all(line.proof_path == "" for line in report.lines)
    assert report.unproven == 2


def test_lines_refer_to_inclusion_proofs_against_the_latest_checkpoint(scene):
    checkpoint = log.checkpoint()
    assert checkpoint is not None
    audit_record(action=Action.PERSON_VIEW, actor=scene["teacher"], persons=[scene["person"]])
    report = _report(scene)
    assert report.checkpoint.size == checkpoint.size
    newest, *older = report.lines
    assert newest.log_index is None and newest.proof_path == ""
    for line in older:
        assert line.log_index is not None and line.log_index < checkpoint.size
        assert line.proof_path == (f"/api/v1/audit/proof/inclusion?leaf_index={line.log_index}"
                                   f"&tree_size={checkpoint.size}")


def test_making_the_report_is_logged_and_shows_in_the_next_one(scene):
    report = _report(scene, for_auditor=False, actor=scene["teacher"],
                     requested_by=RequestedBy.GUARDIAN)
    event = report.event
    assert event.action == Action.INNSYN_REPORT and event.purpose == Purpose.INNSYN
    assert list(event.subjects.values_list("person_id", flat=True)) == [scene["person"].pk]
    assert event.details["requested_by"] == "guardian" and event.details["version"] == "person"
    assert "withheld" not in event.details
    again = _report(scene)
    assert again.lines[0].action == Action.INNSYN_REPORT
    assert again.event.purpose == Purpose.TILSYN and again.event.details["withheld"] == 0


def test_auditor_version_and_own_control_are_for_auditors_only(scene):
    with pytest.raises(DomainError):
        _report(scene, for_auditor=True, actor=scene["teacher"])
    with pytest.raises(DomainError):
        _report(scene, for_auditor=False, actor=scene["teacher"],
                requested_by=RequestedBy.AUDITOR)
    with pytest.raises(DomainError):
        _report(scene, for_auditor=False, actor=scene["teacher"], requested_by="nabo")
    assert not AuditEvent.objects.filter(action=Action.INNSYN_REPORT).exists()


def test_hide_leaves_lines_out(scene):
    report = _report(scene, for_auditor=False, actor=scene["teacher"],
                     hide=lambda line: line.agency_type == AgencyType.POLITI)
    assert [line.action for line in report.lines] == [Action.ENTRY_CREATE]
    assert report.hidden == 1


def test_the_report_reads_in_a_fixed_number_of_queries(scene):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _report(scene)
        return len(queries)

    few = count()
    for _ in range(30):
        audit_record(action=Action.PERSON_VIEW, actor=scene["officer"], persons=[scene["person"]])
    assert count() == few


# --- withholdings --------------------------------------------------------------------------------

def _withhold(scene, days=30, **kwargs):
    return innsyn.withholding_create(
        actor=scene["leader"], person=scene["person"],
        legal_reason=kwargs.pop("legal_reason", WithholdingReason.CRIMINAL_INVESTIGATION),
        explanation=kwargs.pop("explanation", "Åpen etterforskning, sak 123."),
        ends_on=clock.today() + dt.timedelta(days=days), **kwargs)


def test_withheld_lines_are_gone_from_the_persons_version_and_counted_for_the_auditor(scene):
    withholding = _withhold(scene)
    created = AuditEvent.objects.get(action=Action.WITHHOLDING_CREATE)
    assert created.basis.startswith("personopplysningsloven § 16 første ledd bokstav b")
    assert created.purpose == Purpose.STRAFFESAK
    assert list(created.subjects.values_list("person_id", flat=True)) == [scene["person"].pk]

    person_version = _report(scene, for_auditor=False, actor=scene["teacher"])
    assert [line.agency_name for line in person_version.lines] == ["Haugen skole"]
    assert person_version.withheld == [] and person_version.withholdings == []

    auditor_version = _report(scene)
    (group,) = auditor_version.withheld
    # the officer's read and the leader's own withholding decision
    assert group.withholding == withholding and group.count == 2
    assert group.citation.verified
    withheld = [line for line in auditor_version.lines if line.withheld_by]
    assert {line.action for line in withheld} == {Action.CASE_VIEW, Action.WITHHOLDING_CREATE}
    assert auditor_version.withholdings == [withholding]


def test_withholding_expires_on_its_end_date(scene):
    _withhold(scene, days=10)
    later = clock.now() + dt.timedelta(days=11)
    with clock.frozen(later):
        report = _report(scene, for_auditor=False, actor=scene["teacher"])
    assert "Oslo politidistrikt" in {line.agency_name for line in report.lines}
    # while it runs, also accesses made after the decision stay out
    audit_record(action=Action.CASE_VIEW, actor=scene["officer"], persons=[scene["person"]])
    report = _report(scene, for_auditor=False, actor=scene["teacher"])
    assert "Oslo politidistrikt" not in {line.agency_name for line in report.lines}


def test_ending_early_shows_the_lines_and_is_logged(scene):
    withholding = _withhold(scene)
    ended = innsyn.withholding_end(actor=scene["leader"], withholding=withholding)
    assert ended.ended_at is not None and ended.ended_by == scene["leader"].user
    event = AuditEvent.objects.get(action=Action.WITHHOLDING_END)
    assert event.details["ends_on"] == withholding.ends_on.isoformat()
    report = _report(scene, for_auditor=False, actor=scene["teacher"])
    actions = {line.action for line in report.lines}
    assert {Action.CASE_VIEW, Action.WITHHOLDING_CREATE, Action.WITHHOLDING_END} <= actions
    with pytest.raises(DomainError):
        innsyn.withholding_end(actor=scene["leader"], withholding=withholding)
    expired = _withhold(scene, days=3)
    with clock.frozen(clock.now() + dt.timedelta(days=4)), pytest.raises(DomainError):
        innsyn.withholding_end(actor=scene["leader"], withholding=expired)
    other_leader = _actor("leader", scene["school"])
    with pytest.raises(NotFound):
        innsyn.withholding_end(actor=other_leader, withholding=withholding)


@pytest.mark.parametrize(("change", "code"), [
    ({"days": -1}, "ends_on"),
    ({"days": 0}, "ends_on"),
    ({"days": 181}, "ends_on"),
    ({"explanation": "   "}, "explanation"),
    ({"legal_reason": "fordi"}, "legal_reason"),
])
def test_bad_withholdings_are_refused(scene, change, code):
    with pytest.raises(DomainError) as refused:
        _withhold(scene, **change)
    assert refused.value.code == code
    assert not Withholding.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.WITHHOLDING_CREATE).exists()


def test_the_longest_withholding_is_a_setting(scene, settings):
    settings.LAGET_INNSYN_WITHHOLDING_MAX_DAYS = 400
    assert _withhold(scene, days=365).ends_on == clock.today() + dt.timedelta(days=365)


def test_only_a_leader_withholds_and_only_for_persons_the_agency_touched(scene):
    with pytest.raises(DomainError):
        innsyn.withholding_create(actor=scene["officer"], person=scene["person"],
                                  legal_reason=WithholdingReason.OTHER_LAW, explanation="x",
                                  ends_on=clock.today() + dt.timedelta(days=3))
    stranger = PersonFactory()
    with pytest.raises(NotFound):
        innsyn.withholding_create(actor=scene["leader"], person=stranger,
                                  legal_reason=WithholdingReason.OTHER_LAW, explanation="x",
                                  ends_on=clock.today() + dt.timedelta(days=3))
    assert innsyn.withholding_person_find(actor=scene["leader"],
                                          number=stranger.national_id) is None
    found = innsyn.withholding_person_find(actor=scene["leader"],
                                           number=scene["person"].national_id)
    assert found == scene["person"]


def test_leaders_see_their_own_agencys_withholdings_and_the_auditor_all(scene):
    mine = _withhold(scene)
    school_leader = _actor("leader", scene["school"])
    innsyn.withholding_create(actor=school_leader, person=scene["person"],
                              legal_reason=WithholdingReason.OTHER_LAW,
                              explanation="Annen hjemmel.",
                              ends_on=clock.today() + dt.timedelta(days=5))
    assert [r.withholding for r in innsyn.withholding_list_for(actor=scene["leader"])] == [mine]
    assert len(innsyn.withholding_list_for(actor=scene["auditor"])) == 2
    assert innsyn.withholding_list_for(actor=scene["teacher"]) == []
    listed = AuditEvent.objects.filter(action=Action.AUDIT_SEARCH).first()
    assert listed.details["view"] == "withholdings"
