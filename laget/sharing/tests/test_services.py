"""Entries, consent and emergency access through the services: validation, audit, disclosures."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laget.accounts.actor import Actor
from laget.accounts.models import Membership
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.access import EntryAccessError, entries_opened
from laget.records.models import Entry
from laget.records.services import case_open, team_member_add, team_member_end
from laget.sharing import selectors, services
from laget.sharing.engine import explain
from laget.sharing.models import BasisKind, Consent, Disclosure, EmergencyAccess

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def actor_of(user) -> Actor:
    return Actor(user, Membership.objects.get(user=user))


@pytest.fixture
def world(make_member, rulebook):
    coordinator = actor_of(make_member("coordinator"))
    school = actor_of(make_member("caseworker", agency_type="skole"))
    police = actor_of(make_member("caseworker", agency_type="politi"))
    person = PersonFactory(birth_date=TODAY.replace(year=TODAY.year - 14) - dt.timedelta(days=40))
    mother = GuardianFactory(person=person)
    father = GuardianFactory(person=person, relation="far")
    case = case_open(actor=coordinator, person=person)
    team_member_add(actor=coordinator, case=case, user=school.user, agency=school.agency)
    team_member_add(actor=coordinator, case=case, user=police.user, agency=police.agency)
    return {"coordinator": coordinator, "school": school, "police": police, "case": case,
            "person": person, "guardians": [mother, father]}


def consent_for(world, **overrides):
    values = dict(
        actor=world["coordinator"], case=world["case"], given_by="guardian",
        guardian_ids=[g.pk for g in world["guardians"]], method="signed_form",
        categories=["skole"], recipients=["politi"], purposes=["forebygging"],
        valid_from=TODAY, valid_to=TODAY + dt.timedelta(days=90), youth_view="Enig i delingen.",
    )
    values.update(overrides)
    return services.consent_register(**values)


def test_entries_cannot_be_queried_outside_the_sharing_engine():
    with pytest.raises(EntryAccessError):
        Entry.objects.all()
    with entries_opened():
        assert Entry.objects.count() == 0


def test_entry_add_is_audited_and_needs_team_membership(world, make_member):
    entry = services.entry_add(actor=world["school"], case=world["case"], category="skole",
                               text="Mye fravær siste måned.")
    event = AuditEvent.objects.get(action="entry.create")
    assert event.object_id == str(entry.pk)
    outsider = actor_of(make_member("caseworker", agency_type="skole"))
    with pytest.raises(DomainError):
        services.entry_add(actor=outsider, case=world["case"], category="skole", text="x")
    with pytest.raises(DomainError):
        services.entry_add(actor=world["school"], case=world["case"], category="ukjent",
                           text="x")


def test_correction_supersedes_and_keeps_both(world):
    old = services.entry_add(actor=world["school"], case=world["case"], category="skole",
                             text="Fravær 20 %.")
    new = services.entry_correct(actor=world["school"], case=world["case"], entry_id=old.pk,
                                 text="Fravær 12 %.")
    _, current = selectors.case_entries_for(actor=world["school"], case=world["case"],
                                            purpose="forebygging")
    assert [s.entry.pk for s in current] == [new.pk]
    _, everything = selectors.case_entries_for(actor=world["school"], case=world["case"],
                                               purpose="forebygging", history=True)
    assert {s.entry.pk for s in everything} == {old.pk, new.pk}
    with pytest.raises(DomainError):  # only the newest version can be corrected
        services.entry_correct(actor=world["school"], case=world["case"], entry_id=old.pk,
                               text="Igjen.")
    with pytest.raises(NotFound):  # another agency's entry cannot be corrected
        services.entry_correct(actor=world["police"], case=world["case"], entry_id=new.pk,
                               text="Politiets versjon.")


def test_cross_agency_read_records_disclosure_with_the_audit_event(world):
    entry = services.entry_add(actor=world["school"], case=world["case"], category="skole",
                               text="Fravær.")
    consent = consent_for(world)
    shown = selectors.entry_get_for(actor=world["police"], case=world["case"], entry_id=entry.pk,
                                    purpose="forebygging")
    assert shown.decision.basis == BasisKind.CONSENT
    disclosure = Disclosure.objects.get(entry_id=entry.pk)
    assert disclosure.consent_id == consent.pk
    assert disclosure.audit_event.action == "entry.view"
    assert disclosure.user == world["police"].user
    # own agency reads are not disclosures
    selectors.entry_get_for(actor=world["school"], case=world["case"], entry_id=entry.pk,
                            purpose="forebygging")
    assert Disclosure.objects.count() == 1


def test_withdrawal_takes_effect_on_the_next_read(world):
    entry = services.entry_add(actor=world["school"], case=world["case"], category="skole",
                               text="Fravær.")
    consent = consent_for(world)
    selectors.entry_get_for(actor=world["police"], case=world["case"], entry_id=entry.pk,
                            purpose="forebygging")
    services.consent_withdraw(actor=world["coordinator"], consent=consent, withdrawn_by="guardian")
    with pytest.raises(NotFound):
        selectors.entry_get_for(actor=world["police"], case=world["case"], entry_id=entry.pk,
                                purpose="forebygging")
    assert AuditEvent.objects.filter(action="entry.access_denied").exists()
    with pytest.raises(DomainError):
        services.consent_withdraw(actor=world["coordinator"], consent=Consent.objects.get(),
                                  withdrawn_by="youth")


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"valid_to": TODAY - dt.timedelta(days=1), "valid_from": TODAY}, "period"),
        ({"categories": ["skole", "hemmelig"]}, "scope"),
        ({"recipients": ["naboen"]}, "scope"),
        ({"purposes": []}, "scope"),
        ({"given_by": "youth"}, "given_by"),  # 14 years old: guardians decide
        ({"guardian_ids": []}, "guardians"),
        ({"youth_view": ""}, "youth_view"),  # heard from 12
        ({"method": "telepati"}, "method"),
    ],
)
def test_invalid_consent_is_refused_and_nothing_is_written(world, overrides, code):
    before = (Consent.objects.count(), AuditEvent.objects.filter(action="consent.register").count())
    with entries_opened():
        entries_before = Entry.objects.count()
    with pytest.raises(DomainError) as error:
        consent_for(world, **overrides)
    assert error.value.code == code
    with entries_opened():
        assert Entry.objects.count() == entries_before
    assert (Consent.objects.count(),
            AuditEvent.objects.filter(action="consent.register").count()) == before


def test_joint_parental_responsibility_needs_every_guardian(world):
    with pytest.raises(DomainError) as error:
        consent_for(world, guardian_ids=[world["guardians"][0].pk])
    assert error.value.code == "guardians"


def test_consent_lapses_when_the_person_turns_16(world):
    person = world["person"]
    entry = services.entry_add(actor=world["school"], case=world["case"], category="skole",
                               text="Fravær.")
    consent_for(world, valid_to=TODAY + dt.timedelta(days=3 * 365))
    sixteenth = person.birth_date.replace(year=person.birth_date.year + 16)
    day_before = dt.datetime.combine(sixteenth - dt.timedelta(days=1), dt.time(12),
                                     tzinfo=clock.OSLO)
    birthday = dt.datetime.combine(sixteenth, dt.time(12), tzinfo=clock.OSLO)
    with entries_opened():
        loaded = Entry.objects.select_related("case__person", "source_agency").get(pk=entry.pk)
    with clock.frozen(day_before):
        assert explain(world["police"], loaded, "forebygging").allowed
    with clock.frozen(birthday):
        decision = explain(world["police"], loaded, "forebygging")
        assert not decision.allowed and decision.remedy == "consent"


def test_leaving_the_team_ends_access_but_not_to_own_entries(world):
    own = services.entry_add(actor=world["police"], case=world["case"], category="politi",
                             text="Bekymringssamtale.")
    school_entry = services.entry_add(actor=world["school"], case=world["case"],
                                      category="skole", text="Fravær.")
    consent_for(world)
    member = world["case"].team.get(user=world["police"].user)
    team_member_end(actor=world["coordinator"], member=member)
    _, shown = selectors.case_entries_for(actor=world["police"], case=world["case"],
                                          purpose="forebygging")
    assert [s.entry.pk for s in shown] == [own.pk]
    assert school_entry.pk not in {s.entry.pk for s in shown}


def test_emergency_access_is_flagged_and_reviewed_by_the_source_leader(world, make_member):
    entry = services.entry_add(actor=world["school"], case=world["case"], category="skole",
                               text="Eleven har uttalt trusler om å skade seg selv.")
    with pytest.raises(DomainError):
        services.emergency_open_group(actor=world["police"], case=world["case"],
                                      source_agency_id=entry.source_agency_id,
                                      category="skole", reason="kort")
    opened = services.emergency_open_group(
        actor=world["police"], case=world["case"], source_agency_id=entry.source_agency_id,
        category="skole", reason="Melding om at gutten er savnet og kan være i fare.")
    assert [e.pk for e in opened] == [entry.pk]
    access = EmergencyAccess.objects.get()
    assert access.review_due > TODAY
    disclosure = Disclosure.objects.get()
    assert disclosure.basis_kind == BasisKind.EMERGENCY
    assert disclosure.audit_event.action == "entry.emergency_access"
    leader = actor_of(make_member("leader", agency=world["school"].agency))
    assert list(selectors.emergency_reviews_for(actor=leader)) == [access]
    other_leader = actor_of(make_member("leader", agency_type="skole"))
    with pytest.raises(NotFound):
        services.emergency_review(actor=other_leader, access_id=access.pk, outcome="justified")
    with pytest.raises(DomainError):
        services.emergency_review(actor=leader, access_id=access.pk, outcome="not_justified")
    services.emergency_review(actor=leader, access_id=access.pk, outcome="justified")
    assert not selectors.emergency_reviews_for(actor=leader).exists()
    with clock.frozen(clock.now() + dt.timedelta(days=30)):
        assert not selectors.emergency_overdue().exists()


def test_overdue_emergency_reviews_are_listed_for_the_auditor(world):
    entry = services.entry_add(actor=world["school"], case=world["case"], category="skole",
                               text="Opplysning.")
    services.emergency_open_group(actor=world["police"], case=world["case"],
                                  source_agency_id=entry.source_agency_id, category="skole",
                                  reason="Fare for liv: trussel mot eleven.")
    assert not selectors.emergency_overdue().exists()
    with clock.frozen(clock.now() + dt.timedelta(days=10)):
        assert selectors.emergency_overdue().count() == 1


def test_emergency_needs_team_membership(world, make_member):
    entry = services.entry_add(actor=world["school"], case=world["case"], category="skole",
                               text="Opplysning.")
    outsider = actor_of(make_member("caseworker", agency_type="politi"))
    with pytest.raises(NotFound):
        services.emergency_open_group(actor=outsider, case=world["case"],
                                      source_agency_id=entry.source_agency_id,
                                      category="skole", reason="Fare for liv og helse.")


def test_case_list_query_count_does_not_grow_with_entries(world):
    for i in range(5):
        services.entry_add(actor=world["school"], case=world["case"], category="skole",
                           text=f"Opplysning {i}.")
    consent_for(world)
    with CaptureQueriesContext(connection) as few:
        selectors.case_entries_for(actor=world["police"], case=world["case"],
                                   purpose="forebygging")
    for i in range(10):
        services.entry_add(actor=world["school"], case=world["case"], category="skole",
                           text=f"Mer {i}.")
    with CaptureQueriesContext(connection) as many:
        selectors.case_entries_for(actor=world["police"], case=world["case"],
                                   purpose="forebygging")
    assert len(many) == len(few)


def test_guessing_another_case_is_not_found_and_audited(world, make_member):
    outsider = actor_of(make_member("caseworker", agency_type="skole"))
    with pytest.raises(NotFound):
        selectors.case_get_for(actor=outsider, case_id=world["case"].pk, purpose="forebygging")
    assert AuditEvent.objects.filter(action="case.access_denied", outcome="denied").exists()


def test_existence_confidential_categories_are_never_hinted_at(world, make_member):
    barnevern = actor_of(make_member("caseworker", agency_type="barnevern"))
    team_member_add(actor=world["coordinator"], case=world["case"], user=barnevern.user,
                    agency=barnevern.agency)
    services.entry_add(actor=barnevern, case=world["case"], category="barnevern",
                       text="Undersøkelsessak åpnet.")
    services.entry_add(actor=world["school"], case=world["case"], category="skole",
                       text="Fravær.")
    summary = selectors.hidden_summary_for(actor=world["police"], case=world["case"],
                                           purpose="forebygging")
    assert [(g.category, g.count, g.remedy) for g in summary] == [("skole", 1, "consent")]
    team = selectors.team_for(actor=world["police"], case=world["case"], purpose="forebygging")
    assert barnevern.agency not in {m.agency for m in team}
    # barnevern itself, and the coordinator once consent covers barnevern, see the member
    assert barnevern.agency in {m.agency for m in selectors.team_for(
        actor=barnevern, case=world["case"], purpose="forebygging")}
    consent_for(world, categories=["barnevern"], recipients=["bydel"])
    assert barnevern.agency in {m.agency for m in selectors.team_for(
        actor=world["coordinator"], case=world["case"], purpose="forebygging")}


def test_team_members_are_added_by_the_coordinator_or_their_own_leader(world, make_member):
    school_agency = world["school"].agency
    colleague = make_member("caseworker", agency=school_agency)
    with pytest.raises(DomainError):  # a caseworker cannot add people
        team_member_add(actor=world["school"], case=world["case"], user=colleague,
                        agency=school_agency)
    leader = actor_of(make_member("leader", agency=school_agency))
    team_member_add(actor=leader, case=world["case"], user=colleague, agency=school_agency)
    analyst = make_member("analyst", agency=school_agency)
    with pytest.raises(DomainError):  # no case role in the agency
        team_member_add(actor=leader, case=world["case"], user=analyst, agency=school_agency)
    with pytest.raises(DomainError):
        team_member_add(actor=leader, case=world["case"], user=colleague, agency=school_agency)


def test_case_open_rules(make_member, rulebook):
    coordinator = actor_of(make_member("coordinator"))
    too_young = PersonFactory(birth_date=TODAY.replace(year=TODAY.year - 8))
    with pytest.raises(DomainError):
        case_open(actor=coordinator, person=too_young)
    elsewhere = PersonFactory(district_id="030112",
                              birth_date=TODAY.replace(year=TODAY.year - 14))
    with pytest.raises(DomainError):
        case_open(actor=coordinator, person=elsewhere)
    person = PersonFactory(birth_date=TODAY.replace(year=TODAY.year - 14))
    case = case_open(actor=coordinator, person=person)
    assert case.team.get().user == coordinator.user
    with pytest.raises(DomainError):
        case_open(actor=coordinator, person=person)
