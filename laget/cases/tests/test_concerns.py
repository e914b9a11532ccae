"""Concerns: who may submit, the age range, landing on an open case, the assessment (open a case
or no basis), and that the submitter never learns whether a person or a case exists."""

import datetime as dt
import random

import pytest
from django.db import transaction

from laget.accounts.tests.factories import AgencyFactory
from laget.areas.models import District
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.cases import concerns
from laget.cases.models import CaseStatusChange, Concern, ConcernStatus
from laget.cases.services import case_open, case_transition
from laget.cases.tests.conftest import Scene, actor_of
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.people.identifiers import synthetic_national_id
from laget.people.tests.factories import PersonFactory
from laget.records.access import entries_opened
from laget.records.models import Case, CaseStatus, Entry
from laget.records.services import team_member_add
from laget.sharing.selectors import case_entries_for

pytestmark = pytest.mark.django_db

STOVNER = "030111"


def born(years: int, days: int = 30) -> dt.date:
    """A birth date that makes a person `years` old today (the birthday `days` ago)."""
    today = clock.today()
    try:
        birthday = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        birthday = today.replace(year=today.year - years, day=28)
    return birthday - dt.timedelta(days=days)


@pytest.fixture
def member(make_member):
    """make_member without a password (hashing one costs half a second; no test logs in)."""
    return lambda role, **kwargs: actor_of(make_member(role, password=None, **kwargs))


@pytest.fixture
def scene(member, rulebook) -> Scene:
    """The cases app's scene (conftest), with password-less users."""
    coordinator = member("coordinator")
    leader = member("leader", agency=coordinator.agency)
    caseworker = member("caseworker", agency=coordinator.agency)
    police = member("caseworker", agency_type="politi", district=None)
    other = member("coordinator", district="030112")
    case = case_open(actor=coordinator, person=PersonFactory(birth_date=born(15, days=20)))
    team_member_add(actor=coordinator, case=case, user=police.user, agency=police.agency)
    return Scene(case, coordinator, leader, caseworker, police, other)


@pytest.fixture
def school(member):
    return member("caseworker",
                  agency=AgencyFactory(type="skole", name="Haugen skole", district_id=STOVNER))


def submit(actor, *, district=STOVNER, **kwargs):
    data = {"given_name": "Sara", "family_name": "Syntetisk", "text": "Skulker og har "
            "fått nye, eldre venner.", "birth_date": born(14)}
    data.update(kwargs)
    return concerns.concern_submit(actor=actor, district=District.objects.get(pk=district),
                                   **data)


def events(action):
    return AuditEvent.objects.filter(action=action)


# --- submit --------------------------------------------------------------------------------------

def test_a_concern_about_an_unregistered_person_waits_for_the_bydel(scene, school):
    concern = submit(school, district=STOVNER)
    assert concern.status == ConcernStatus.NEW
    assert concern.person is None and concern.case is None and concern.national_id is None
    assert concern.submitting_agency == school.agency
    assert list(concerns.concern_new_for(actor=scene.coordinator)) == [concern]
    assert list(concerns.concern_new_for(actor=scene.leader)) == [concern]
    assert list(concerns.concern_new_for(actor=scene.other_coordinator)) == []
    assert list(concerns.concern_new_for(actor=scene.caseworker)) == []
    event = events(Action.CONCERN_SUBMIT).get()
    assert event.details == {"district": STOVNER}
    assert not event.subjects.exists()


def test_a_number_links_the_registered_person_and_routes_to_their_bydel(scene, school):
    elsewhere = scene.other_coordinator.agency.district_id
    person = PersonFactory(district_id=elsewhere, birth_date=born(13))
    concern = submit(school, district=STOVNER, national_id=person.national_id, birth_date=None)
    assert concern.person == person and concern.status == ConcernStatus.NEW
    assert concern.district_id == STOVNER  # what the submitter chose, and is shown
    assert concern.birth_date == person.birth_date
    # the coordinator of the person's own bydel assesses it, not the one the submitter chose
    assert list(concerns.concern_new_for(actor=scene.other_coordinator)) == [concern]
    assert list(concerns.concern_new_for(actor=scene.coordinator)) == []
    assert list(events(Action.CONCERN_SUBMIT).get().subjects.values_list(
        "person_id", flat=True)) == [person.pk]


def test_a_concern_about_a_person_with_an_open_case_lands_on_it(scene, school, rulebook):
    person = scene.case.person
    concern = submit(school, national_id=person.national_id, birth_date=None,
                     text="Sett med kniv ved skolen.")
    assert concern.status == ConcernStatus.ON_CASE and concern.case == scene.case
    with entries_opened():
        entry = Entry.objects.get(pk=concern.entry_id)
    assert entry.case == scene.case and entry.source_agency == school.agency
    assert entry.category == "skole" and entry.author == school.user
    assert entry.text == "Sett med kniv ved skolen."
    created = events(Action.ENTRY_CREATE).get()
    assert created.details["from_concern"] is True and created.actor == school.user
    # it is the case's now: not on anyone's desk as a new concern, nor openable as a concern
    assert list(concerns.concern_new_for(actor=scene.coordinator)) == []
    with pytest.raises(NotFound):
        concerns.concern_get_for(actor=scene.coordinator, concern_id=concern.pk)
    # the sharing rules decide who on the team reads it: the police officer needs a consent
    _page, shown = case_entries_for(actor=scene.police, case=scene.case, purpose="forebygging")
    assert entry.pk not in {s.entry.pk for s in shown}


def test_the_category_follows_the_submitting_agency(scene, member):
    police = member("caseworker", agency_type="politi", district=None)
    club = member("caseworker", agency_type="fritid")
    person = scene.case.person
    for actor, category in ((police, "politi"), (club, "aktivitet"), (scene.caseworker,
                                                                       "familie")):
        concern = submit(actor, national_id=person.national_id, birth_date=None)
        with entries_opened():
            assert Entry.objects.get(pk=concern.entry_id).category == category


def test_a_closed_case_does_not_take_concerns(scene, school):
    case_transition(actor=scene.coordinator, case=scene.case, to=CaseStatus.CLOSED,
                    reason="Flyttet.")
    concern = submit(school, national_id=scene.case.person.national_id, birth_date=None)
    assert concern.status == ConcernStatus.NEW and concern.case is None
    assert concern.person == scene.case.person


def test_the_submitter_learns_the_same_whatever_happens(scene, school, member):
    """With and without a registered person, with and without an open case: the service returns
    the same receipt, and the submitter's list is the same."""
    unregistered = submit(school, birth_date=born(14))
    landed = submit(school, national_id=scene.case.person.national_id, birth_date=None)
    assert (unregistered.status, landed.status) == (ConcernStatus.NEW, ConcernStatus.ON_CASE)
    receipts = list(concerns.concern_receipts_for(actor=school))
    assert len(receipts) == 2
    assert {type(r) for r in receipts} == {concerns.Receipt}
    assert [r.district for r in receipts] == [unregistered.district.name] * 2
    assert set(vars(receipts[0])) == {"submitted_at", "district"}
    # someone else's concerns are not in my list
    other = member("caseworker", agency=school.agency)
    assert list(concerns.concern_receipts_for(actor=other)) == []


@pytest.mark.parametrize("years", [9, 23, 40])
def test_outside_the_age_range_is_refused_with_the_reason(scene, school, years):
    with pytest.raises(DomainError) as error:
        submit(school, birth_date=born(years))
    assert error.value.code == "age"
    assert f"{years} år" in error.value.message and "10 til 22" in error.value.message
    assert not Concern.objects.exists()


@pytest.mark.parametrize("years", [10, 22])
def test_the_age_limits_themselves_are_inside(scene, school, years):
    assert submit(school, birth_date=born(years)).status == ConcernStatus.NEW


def test_the_age_limits_are_settings(scene, school, settings):
    settings.LAGET_SALTO_MIN_AGE = 12
    with pytest.raises(DomainError, match="12 til 22"):
        submit(school, birth_date=born(11))


@pytest.mark.parametrize("kwargs, code", [
    ({"national_id": "12345678901"}, "national_id"),
    ({"birth_date": None}, "birth_date"),
    ({"given_name": "  "}, "required"),
    ({"text": ""}, "required"),
    ({"text": "x" * 10_001}, "length"),
])
def test_bad_input_is_a_clear_refusal(scene, school, kwargs, code):
    with pytest.raises(DomainError) as error:
        submit(school, **kwargs)
    assert error.value.code == code and error.value.message
    assert not Concern.objects.exists()


def test_a_birth_date_that_contradicts_the_number_is_refused(scene, school):
    number = synthetic_national_id(birth_date=born(14), rng=random.Random(1))
    with pytest.raises(DomainError) as error:
        submit(school, national_id=number, birth_date=born(15))
    assert error.value.code == "birth_date"


def test_only_case_roles_submit(scene, member):
    analyst = member("analyst")
    with pytest.raises(DomainError) as error:
        submit(analyst)
    assert error.value.code == "role"


def test_a_district_without_administration_is_refused(scene, school):
    marka = District.objects.filter(has_administration=False).first()
    with pytest.raises(DomainError):
        submit(school, district=marka.pk)


# --- the assessment ------------------------------------------------------------------------------

def test_viewing_a_concern_is_for_its_assessor_and_audited(scene, school):
    concern = submit(school)
    shown = concerns.concern_get_for(actor=scene.coordinator, concern_id=concern.pk)
    assert shown == concern
    assert events(Action.CONCERN_VIEW).filter(outcome="ok").count() == 1
    for outsider in (scene.caseworker, scene.police, scene.other_coordinator, school):
        with pytest.raises(NotFound):
            concerns.concern_get_for(actor=outsider, concern_id=concern.pk)
    assert events(Action.CONCERN_VIEW).filter(outcome="denied").count() == 4


def test_no_basis_keeps_the_written_assessment(scene, school):
    concern = submit(school)
    dismissed = concerns.concern_dismiss(actor=scene.coordinator, concern_id=concern.pk,
                                         assessment="Skolen følger opp; ikke behov for SaLTo.")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.DISMISSED == dismissed.status
    assert concern.assessed_by == scene.coordinator.user and concern.assessed_at is not None
    assert concern.assessment == "Skolen følger opp; ikke behov for SaLTo."
    event = events(Action.CONCERN_ASSESS).get()
    assert event.details == {"outcome": "dismissed"}
    assert "Skolen" not in str(event.details)
    assert list(concerns.concern_new_for(actor=scene.coordinator)) == []
    with pytest.raises(DomainError) as error:
        concerns.concern_dismiss(actor=scene.leader, concern_id=concern.pk, assessment="Igjen.")
    assert error.value.code == "assessed"


def test_no_basis_needs_a_reason_and_the_right_coordinator(scene, school):
    concern = submit(school)
    with pytest.raises(DomainError) as error:
        concerns.concern_dismiss(actor=scene.coordinator, concern_id=concern.pk, assessment=" ")
    assert error.value.code == "assessment"
    for outsider in (scene.caseworker, scene.other_coordinator, school):
        with pytest.raises(NotFound):
            concerns.concern_dismiss(actor=outsider, concern_id=concern.pk, assessment="Nei.")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW and not events(Action.CONCERN_ASSESS).exists()


def _open(actor, concern, person):
    with transaction.atomic():
        locked = concerns.concern_lock_for_assessment(actor=actor, concern_id=concern.pk)
        return concerns.concern_case_open(actor=actor, concern=locked, person=person)


def test_a_case_opened_from_a_concern_carries_it_as_an_entry(scene, school):
    person = PersonFactory(district_id=STOVNER, birth_date=born(12))
    concern = submit(school, national_id=person.national_id, birth_date=None,
                     text="Ble ranet og vil hevne seg.")
    case = _open(scene.coordinator, concern, concerns.concern_person_match(concern=concern))
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CASE_OPENED and concern.case == case
    assert case.status == CaseStatus.ASSESSMENT and case.person == person
    assert CaseStatusChange.objects.filter(case=case).count() == 1
    with entries_opened():
        entry = Entry.objects.get(pk=concern.entry_id)
    assert (entry.case, entry.source_agency, entry.author, entry.category) == (
        case, school.agency, school.user, "skole")
    assert entry.text == "Ble ranet og vil hevne seg."
    assessed = events(Action.CONCERN_ASSESS).get()
    assert assessed.details["outcome"] == "case_opened" and assessed.actor == scene.coordinator.user
    # the entry was delivered by the coordinator, written by the school
    assert events(Action.ENTRY_CREATE).get().actor == scene.coordinator.user


def test_a_case_opened_meanwhile_receives_the_concern(scene, school):
    person = PersonFactory(district_id=STOVNER, birth_date=born(12))
    concern = submit(school, national_id=person.national_id, birth_date=None)
    case = case_open(actor=scene.coordinator, person=person)  # from another concern, a moment ago
    assert _open(scene.leader, concern, person) == case
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ON_CASE and concern.case == case
    assert concern.entry_id is not None
    assert Case.objects.filter(person=person).count() == 1


def test_an_open_case_in_another_bydel_is_a_clear_message(scene, school):
    person = PersonFactory(district_id=STOVNER, birth_date=born(12))
    concern = submit(school, national_id=person.national_id, birth_date=None)
    case = case_open(actor=scene.coordinator, person=person)
    Case.objects.filter(pk=case.pk).update(district_id="030112")
    with pytest.raises(DomainError) as error:
        _open(scene.leader, concern, person)
    assert error.value.code == "duplicate"
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW and concern.entry_id is None


def test_a_person_who_aged_out_meanwhile_is_a_clear_message(scene, school):
    person = PersonFactory(district_id=STOVNER, birth_date=born(22, days=1))
    concern = submit(school, national_id=person.national_id, birth_date=None)
    later = clock.now() + dt.timedelta(days=400)
    with clock.frozen(later), pytest.raises(DomainError) as error:
        _open(scene.coordinator, concern, person)
    assert error.value.code == "age" and "23 år" in error.value.message
    assert not Case.objects.filter(person=person).exists()


def test_only_a_new_concern_can_be_locked(scene, school):
    concern = submit(school)
    concerns.concern_dismiss(actor=scene.coordinator, concern_id=concern.pk, assessment="Nei.")
    with transaction.atomic(), pytest.raises(DomainError):
        concerns.concern_lock_for_assessment(actor=scene.coordinator, concern_id=concern.pk)


def test_the_person_data_for_registration(scene, school):
    concern = submit(school, given_name="Ali", family_name="Test", birth_date=born(15))
    data = concerns.concern_person_data(concern=concern)
    assert data == {"national_id": "", "birth_date": concern.birth_date, "given_name": "Ali",
                    "family_name": "Test", "district": concern.district}
