"""Retention and erasure: the periodic task finds what is due (once), the owning bydel's leader
confirms, a legal hold stops it, and the erasure removes every trace of the erased person's
number and name from the whole database (hypothesis: random small worlds) while `audit verify`
stays green."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Membership, Role
from laget.accounts.tests.factories import AgencyFactory
from laget.audit import log
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.cases import services as case_services
from laget.cases.models import (
    Concern,
    ConcernStatus,
    Goal,
    Meeting,
    MeetingParticipant,
    MeetingStatus,
    Plan,
    Task,
)
from laget.core import clock
from laget.core.errors import DomainError
from laget.family.models import FamilyMessage
from laget.lifecycle import erasure
from laget.lifecycle.models import (
    ArchivedItem,
    ArchiveExtract,
    CandidateStatus,
    ErasureCandidate,
    ErasureKind,
    ItemKind,
    LegalHold,
    Tombstone,
)
from laget.notify.models import Message
from laget.people.models import Person
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.records.access import entries_opened
from laget.records.models import Case, Entry, EntryAttachment
from laget.records.tests.factories import TeamMemberFactory
from laget.sharing import services as sharing_services

pytestmark = pytest.mark.django_db

STOVNER = "030111"
GAMLE_OSLO = "030101"
LONG_AGO = dt.datetime(2021, 2, 1, 10, 0, tzinfo=dt.UTC)
CLOSED = dt.datetime(2021, 6, 1, 10, 0, tzinfo=dt.UTC)

_DB = settings(max_examples=12, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def actor_of(user) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


@dataclass
class Staff:
    bydel: object
    coordinator: Actor
    leader: Actor
    other_leader: Actor
    police: Actor


@pytest.fixture
def staff(make_member, rulebook, settings, tmp_path) -> Staff:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    bydel = AgencyFactory(type=AgencyType.BYDEL, district_id=STOVNER, name="Bydel Stovner")
    other = AgencyFactory(type=AgencyType.BYDEL, district_id=GAMLE_OSLO, name="Bydel Gamle Oslo")
    coordinator = make_member(Role.COORDINATOR, agency=bydel)
    leader = make_member(Role.LEADER, agency=bydel)
    other_leader = make_member(Role.LEADER, agency=other)
    police = make_member(Role.CASEWORKER, agency_type=AgencyType.POLITI)
    Membership.objects.filter(user__in=[coordinator, leader, other_leader, police]).update(
        valid_from=dt.date(2020, 1, 1))
    return Staff(bydel=bydel, coordinator=actor_of(coordinator), leader=actor_of(leader),
                 other_leader=actor_of(other_leader), police=actor_of(police))


@dataclass
class Someone:
    person: Person
    number: str
    names: list[str]
    cases: list[Case] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    due: bool = False


def _token() -> str:
    return uuid.uuid4().hex[:12]


def _someone(staff: Staff, *, cases: int, open_case: bool, dismissed_concern: bool,
             extract: ArchiveExtract) -> Someone:
    """A synthetic person with a distinctive name, guardians, and `cases` closed cases (plus an
    open one) full of their name and number: entries with attachments, a correction, a concern,
    a plan, a meeting with minutes and the guardian as participant, a consent, a family message,
    and a message to the guardian; each closed case in the archive extract."""
    given, family = f"Fornavn{_token()}", f"Etternavn{_token()}"
    guardian_name = f"Foresatt{_token()}"
    with clock.frozen(LONG_AGO):
        born = dt.date(2007, 1, 1) + dt.timedelta(days=int(uuid.uuid4().int % 300))
        person = PersonFactory(district_id=STOVNER, given_name=given, family_name=family,
                               birth_date=born)
        guardian = GuardianFactory(person=person, given_name=guardian_name,
                                   family_name=family, phone="+4799999999",
                                   email=f"{guardian_name.lower()}@example.org")
    who = Someone(person=person, number=person.national_id, names=[given, family, guardian_name],
                  due=cases > 0 or dismissed_concern)
    mention = f"{given} {family} ({person.national_id})"
    coordinator = staff.coordinator
    for index in range(cases + (1 if open_case else 0)):
        closing = index < cases
        with clock.frozen(LONG_AGO + dt.timedelta(days=index)):
            case = case_services.case_open(actor=coordinator, person=person)
            TeamMemberFactory(case=case, user=coordinator.user, agency=staff.bydel,
                              is_contact=True)
            TeamMemberFactory(case=case, user=staff.police.user,
                              agency=staff.police.membership.agency)
            entry = sharing_services.entry_add(
                actor=coordinator, case=case, category="skole", text=f"Om {mention}.",
                attachments=[sharing_services.NewAttachment(
                    "notat.txt", "text/plain", f"Vedlegg om {mention}".encode())])
            sharing_services.entry_correct(actor=coordinator, case=case, entry_id=entry.pk,
                                           text=f"Rettet: {mention}.")
            sharing_services.entry_add(actor=staff.police, case=case, category="politi",
                                       text=f"Politiet om {mention}.")
            Concern.objects.create(
                district_id=STOVNER, person=person, national_id=person.national_id,
                given_name=given, family_name=family, birth_date=person.birth_date,
                text=f"Bekymring for {mention}.", submitted_by=coordinator.user,
                submitting_agency=staff.bydel, status=ConcernStatus.CASE_OPENED, case=case)
            plan = Plan.objects.create(case=case, changed_by=coordinator.user)
            goal = Goal.objects.create(plan=plan, title=f"Mål for {given}",
                                       created_by=coordinator.user)
            Task.objects.create(plan=plan, goal=goal, title=f"Oppgave for {given}",
                                agency=staff.bydel, created_by=coordinator.user)
            meeting = Meeting.objects.create(
                case=case, starts_at=clock.now(), status=MeetingStatus.HELD,
                agenda=f"Møte om {given}", minutes=f"Referat: {mention}",
                minutes_by=coordinator.user, minutes_at=clock.now(),
                created_by=coordinator.user)
            MeetingParticipant.objects.create(meeting=meeting, kind="guardian",
                                              guardian=guardian, name=guardian_name)
            today = clock.today()
            sharing_services.consent_register(
                actor=coordinator, case=case, given_by="both", guardian_ids=[guardian.pk],
                method="signed_form", categories=["skole"], recipients=["politi"],
                purposes=["forebygging"], valid_from=today,
                valid_to=today + dt.timedelta(days=30), youth_view=f"{given} er enig.")
            FamilyMessage.objects.create(case=case, author_kind="family",
                                         details={"guardian": str(guardian.pk)},
                                         text=f"Hilsen {guardian_name}")
            Message.objects.create(
                channel="sms", to_address=guardian.phone, subject="",
                body=f"Til {guardian_name} om {given}", person_id=person.pk,
                idempotency_key=f"test-{uuid.uuid4()}")
        if closing:
            with clock.frozen(CLOSED + dt.timedelta(days=index)):
                case_services.case_transition(actor=coordinator, case=case, to="closed",
                                              reason="Avsluttet.")
            ArchivedItem.objects.create(extract=extract, case=case, kind=ItemKind.CASE,
                                        object_id=case.pk)
        case.refresh_from_db()
        who.cases.append(case)
        with entries_opened():
            who.files += [a.file.name for a in EntryAttachment.objects.filter(entry__case=case)]
    if dismissed_concern:
        with clock.frozen(LONG_AGO):
            Concern.objects.create(
                district_id=STOVNER, person=person, national_id=person.national_id,
                given_name=given, family_name=family, birth_date=person.birth_date,
                text=f"Uten grunnlag: {mention}.", submitted_by=coordinator.user,
                submitting_agency=staff.bydel, status=ConcernStatus.DISMISSED,
                assessed_by=coordinator.user, assessed_at=clock.now(),
                assessment=f"Ikke grunnlag for {given}.")
    return who


def _extract(staff: Staff) -> ArchiveExtract:
    return ArchiveExtract.objects.create(
        district_id=STOVNER, agency=staff.bydel, created_by=staff.leader.user, directory="",
        zip_name="x.zip", zip_sha256="0" * 64, zip_size=0, case_count=0, document_count=0)


def database_text() -> dict[str, str]:
    """Every row of every table, as text (bytes decoded, and in hex), by table: what a dump would
    hold. (Through the test's own connection, so that it sees the rows of the running
    transaction; on SQLite also the `iterdump()` of the whole database.)"""
    tables: dict[str, str] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts: list[str] = []
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        raw = bytes(value)
                        parts += [raw.decode("utf-8", "ignore"), raw.hex()]
                    else:
                        parts.append(str(value))
            tables[table] = "\n".join(parts)
    if connection.vendor == "sqlite":
        tables["(iterdump)"] = "\n".join(connection.connection.iterdump())
    return tables


def _traces(who: Someone, tables: dict[str, str]) -> list[str]:
    found = []
    for table, text in tables.items():
        for needle in [who.number, *who.names]:
            if needle in text or needle.encode().hex() in text:
                found.append(f"{needle} in {table}")
    return found


def _confirm_all(staff: Staff) -> list[Tombstone]:
    stones = []
    for candidate in ErasureCandidate.objects.filter(status=CandidateStatus.DUE):
        stones += erasure.erasure_confirm(actor=staff.leader, candidate_id=candidate.pk)
    return stones


class _Rollback(Exception):
    pass


@_DB
@given(worlds=st.lists(
    st.tuples(st.integers(0, 2), st.booleans(), st.booleans()), min_size=1, max_size=3))
def test_erasure_removes_every_trace_of_the_person_and_the_log_verifies(staff, worlds):
    """Persons with 0–2 closed cases (an open one or not, a dismissed concern or not): after the
    leader confirms everything found due, a person with no open case is gone without a trace of
    number or name anywhere in the database, and their attachment files are gone; a person with
    an open case is still there; `audit verify` (with payloads) is green."""
    try:
        with transaction.atomic():
            extract = _extract(staff)
            people = [_someone(staff, cases=cases, open_case=open_case,
                               dismissed_concern=dismissed, extract=extract)
                      for cases, open_case, dismissed in worlds]
            log.checkpoint()
            erasure.find_due()
            _confirm_all(staff)
            log.checkpoint()
            text = database_text()
            for who in people:
                # due under a rule (a closed case, a dismissed concern) and nothing open
                erased = who.due and not any(c.status != "closed" for c in who.cases)
                if erased:
                    assert _traces(who, text) == [], who.names
                    assert not Person.objects.filter(pk=who.person.pk).exists()
                    assert Tombstone.objects.filter(kind=ErasureKind.PERSON,
                                                    original_id=who.person.pk).exists()
                else:
                    everything = "\n".join(text.values())
                    assert who.number in everything and who.names[0] in everything
                    assert Person.objects.filter(pk=who.person.pk).exists()
            report = log.verify(payloads=True)
            assert report.ok, report.problem or report.payload_problem
            # every closed case was archived, found and erased: its items are marked
            assert not ArchivedItem.objects.filter(extract=extract,
                                                   erased_at__isnull=True).exists()
            assert erasure.find_due() == 0  # nothing is found twice
            raise _Rollback
    except _Rollback:
        pass


def test_files_are_removed_after_the_commit(staff, django_capture_on_commit_callbacks):
    who = _someone(staff, cases=1, open_case=False, dismissed_concern=False,
                   extract=_extract(staff))
    assert who.files and all(default_storage.exists(name) for name in who.files)
    with entries_opened():
        entries = Entry.objects.filter(case=who.cases[0]).count()
    assert erasure.find_due() == 1
    candidate = ErasureCandidate.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        stones = erasure.erasure_confirm(actor=staff.leader, candidate_id=candidate.pk)
    assert {s.kind for s in stones} == {ErasureKind.CASE, ErasureKind.PERSON}
    assert not any(default_storage.exists(name) for name in who.files)
    case_stone = next(s for s in stones if s.kind == ErasureKind.CASE)
    assert case_stone.counts["records.Entry"] == entries >= 3
    assert case_stone.counts["records.EntryAttachment"] == 1
    assert case_stone.counts["files"] == 1
    assert case_stone.confirmed_by == staff.leader.user
    assert case_stone.rule == "case:avsluttet"
    assert ArchivedItem.objects.get(object_id=who.cases[0].pk).erased_at is not None
    event = AuditEvent.objects.filter(action=Action.LIFECYCLE_ERASE).first()
    assert event is not None and event.details["id"] in {str(s.original_id) for s in stones}
    assert who.names[0] not in str(event.details) and who.number not in str(event.details)


def test_the_periodic_task_is_idempotent_and_waits_for_the_archive(staff):
    extract = _extract(staff)
    who = _someone(staff, cases=1, open_case=False, dismissed_concern=True, extract=extract)
    ArchivedItem.objects.filter(case=who.cases[0]).delete()
    assert erasure.find_due() == 1  # only the dismissed concern: the case is not archived yet
    assert erasure.find_due() == 0
    ArchivedItem.objects.create(extract=extract, case=who.cases[0], kind=ItemKind.CASE,
                                object_id=who.cases[0].pk)
    assert erasure.find_due() == 1
    assert erasure.find_due() == 0
    # the bydel's leader is told (once a day, no personal data); another bydel's is not
    told = Message.objects.filter(recipient_user=staff.leader.user)
    assert told.count() == 1 and "venter på at du bekrefter" in told.get().body
    assert who.names[0] not in told.get().body
    assert not Message.objects.filter(recipient_user=staff.other_leader.user).exists()
    # Not yet due: the schedule's months have not run since closing.
    ErasureCandidate.objects.all().delete()
    assert erasure.find_due(now=CLOSED + dt.timedelta(days=30)) == 0
    from django.conf import settings as django_settings
    assert "find_due_erasures" in django_settings.LAGET_PERIODIC_TASKS


def test_a_legal_hold_blocks_erasure_until_lifted(staff):
    who = _someone(staff, cases=1, open_case=False, dismissed_concern=False,
                   extract=_extract(staff))
    with entries_opened():
        entries = Entry.objects.filter(case=who.cases[0]).count()
    erasure.find_due()
    candidate = ErasureCandidate.objects.get()
    hold = erasure.hold_place(actor=staff.leader, kind=ErasureKind.PERSON,
                              object_id=who.person.pk, reason="complaint",
                              note="Klage til Statsforvalteren, ref. 2026/1",
                              ends_on=clock.today() + dt.timedelta(days=30))
    with pytest.raises(DomainError) as error:
        erasure.erasure_confirm(actor=staff.leader, candidate_id=candidate.pk)
    assert error.value.code == "legal_hold"
    assert Case.objects.filter(pk=who.cases[0].pk).exists()
    with entries_opened():
        assert Entry.objects.filter(case=who.cases[0]).count() == entries
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.DUE
    # A hold on the case itself blocks too.
    erasure.hold_lift(actor=staff.leader, hold_id=hold.pk)
    case_hold = erasure.hold_place(actor=staff.leader, kind=ErasureKind.CASE,
                                   object_id=who.cases[0].pk, reason="investigation",
                                   note=f"Tilsynssak om {who.names[0]}",
                                   ends_on=clock.today())
    with pytest.raises(DomainError, match="sletteforbud"):
        erasure.erasure_confirm(actor=staff.leader, candidate_id=candidate.pk)
    # Past its end date a hold stops nothing.
    LegalHold.objects.filter(pk=case_hold.pk).update(
        starts_on=clock.today() - dt.timedelta(days=10),
        ends_on=clock.today() - dt.timedelta(days=1))
    erasure.erasure_confirm(actor=staff.leader, candidate_id=candidate.pk)
    assert not Case.objects.filter(pk=who.cases[0].pk).exists()
    assert AuditEvent.objects.filter(action=Action.LIFECYCLE_LEGAL_HOLD).count() == 3
    # the holds stay (ids, reasons, dates), but not what a leader typed about the person
    assert LegalHold.objects.count() == 2
    assert _traces(who, database_text()) == []


def test_only_the_owning_bydel_leader_decides_and_nothing_is_erased_twice(staff):
    who = _someone(staff, cases=1, open_case=False, dismissed_concern=False,
                   extract=_extract(staff))
    erasure.find_due()
    candidate = ErasureCandidate.objects.get()
    for actor in (staff.other_leader, staff.coordinator, staff.police):
        with pytest.raises(DomainError) as error:
            erasure.erasure_confirm(actor=actor, candidate_id=candidate.pk)
        assert error.value.code == "not_owning_leader"
        with pytest.raises(DomainError):
            erasure.hold_place(actor=actor, kind=ErasureKind.CASE, object_id=who.cases[0].pk,
                               reason="complaint", note="Klage", ends_on=clock.today())
    assert Case.objects.filter(pk=who.cases[0].pk).exists()
    erasure.erasure_confirm(actor=staff.leader, candidate_id=candidate.pk)
    with pytest.raises(DomainError) as error:
        erasure.erasure_confirm(actor=staff.leader, candidate_id=candidate.pk)
    assert error.value.code == "already_decided"
    assert erasure.find_due() == 0
    assert Tombstone.objects.filter(kind=ErasureKind.CASE).count() == 1


def test_a_rejection_needs_a_reason_and_keeps_everything(staff):
    who = _someone(staff, cases=1, open_case=False, dismissed_concern=False,
                   extract=_extract(staff))
    erasure.find_due()
    candidate = ErasureCandidate.objects.get()
    with pytest.raises(DomainError):
        erasure.erasure_reject(actor=staff.leader, candidate_id=candidate.pk, note=" ")
    erasure.erasure_reject(actor=staff.leader, candidate_id=candidate.pk,
                           note="Saken er nevnt i en pågående klage.")
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.REJECTED
    assert Case.objects.filter(pk=who.cases[0].pk).exists()
    assert erasure.find_due() == 0  # not again until RECONSIDER_AFTER
    assert erasure.find_due(now=clock.now() + erasure.RECONSIDER_AFTER
                            + dt.timedelta(days=1)) == 1


def test_a_person_with_other_records_stays(staff):
    """The erased case goes; the person stays while a police registration still refers to them,
    and that registration loses nothing but its link to the erased case's rows."""
    from laget.areas.models import Subdistrict
    from laget.policing.models import PoliceRegistration

    who = _someone(staff, cases=1, open_case=False, dismissed_concern=False,
                   extract=_extract(staff))
    PoliceRegistration.objects.create(
        kind="stop_search", given_name=who.names[0], family_name=who.names[1],
        birth_date=who.person.birth_date, occurred_at=clock.now(),
        subdistrict=Subdistrict.objects.filter(district_id=STOVNER).first(),
        unit=staff.police.membership.agency, officer=staff.police.user, person=who.person)
    erasure.find_due()
    stones = _confirm_all(staff)
    assert [s.kind for s in stones] == [ErasureKind.CASE]
    assert Person.objects.filter(pk=who.person.pk).exists()
    assert PoliceRegistration.objects.filter(person=who.person).exists()


def test_the_retention_command(staff, capsys):
    _someone(staff, cases=1, open_case=False, dismissed_concern=True, extract=_extract(staff))
    call_command("retention", "find")
    assert "2" in capsys.readouterr().out
    call_command("retention", "report", "--bydel", STOVNER)
    out = capsys.readouterr().out
    assert "case" in out and "concern" in out
    with pytest.raises(SystemExit) as exit_:
        call_command("retention", "report", "--bydel", "999999")
    assert exit_.value.code == 2
    assert capsys.readouterr().err.strip() == "retention: no bydel '999999'"
    with pytest.raises(CommandError):
        call_command("retention", "nonsense")


def test_months_are_calendar_months():
    moment = dt.datetime(2024, 3, 31, 12, tzinfo=dt.UTC)
    assert erasure.months_before(moment, 1) == dt.datetime(2024, 2, 29, 12, tzinfo=dt.UTC)
    assert erasure.months_after(moment, 11) == dt.datetime(2025, 2, 28, 12, tzinfo=dt.UTC)
    assert erasure.months_after(moment, 36) == dt.datetime(2027, 3, 31, 12, tzinfo=dt.UTC)


# --- the page and the demo wipe -------------------------------------------------------------------

def test_the_leader_confirms_rejects_and_holds_on_the_page(client, login, staff, staff_member):
    from django.urls import reverse

    first = _someone(staff, cases=1, open_case=False, dismissed_concern=False,
                     extract=_extract(staff))
    second = _someone(staff, cases=1, open_case=False, dismissed_concern=False,
                      extract=_extract(staff))
    erasure.find_due()
    page_url = reverse("web:lifecycle_erasure")
    # another bydel's leader sees nothing of Stovner's and may not decide
    login(client, staff.other_leader.user)
    page = client.get(page_url).content.decode()
    assert str(first.cases[0].pk) not in page
    candidate = ErasureCandidate.objects.get(object_id=first.cases[0].pk)
    decide = reverse("web:lifecycle_erasure_decide", kwargs={"candidate_id": candidate.pk})
    assert client.post(decide, {"decision": "confirm"}).status_code == 403
    # the coordinator has no page
    login(client, staff.coordinator.user)
    assert client.get(page_url).status_code == 403
    login(client, staff.leader.user)
    page = client.get(page_url).content.decode()
    assert str(first.cases[0].pk) in page and first.names[0] not in page
    assert "Bekreft sletting" in page
    # a hold on the second person: bad input is a form error, nothing written
    held = reverse("web:lifecycle_hold_place")
    bad = client.post(held, {"kind": "person", "object_id": "ikke-en-id", "reason": "complaint",
                             "note": "Klage", "ends_on": "2099-01-01"})
    assert bad.status_code == 400 and "Oppgi en gyldig id." in bad.content.decode()
    assert not LegalHold.objects.exists()
    response = client.post(held, {"kind": "person", "object_id": str(second.person.pk),
                                  "reason": "complaint", "note": "Klage, ref. 2026/7",
                                  "ends_on": (clock.today() + dt.timedelta(days=5)).isoformat()})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    blocked = ErasureCandidate.objects.get(object_id=second.cases[0].pk)
    page = client.get(page_url).content.decode()
    assert "sletteforbud" in page
    client.post(reverse("web:lifecycle_erasure_decide", kwargs={"candidate_id": blocked.pk}),
                {"decision": "confirm"})
    assert Case.objects.filter(pk=second.cases[0].pk).exists()
    # confirm the first; reject the second once the hold is lifted
    assert client.post(decide, {"decision": "confirm"}).status_code == 302
    assert not Case.objects.filter(pk=first.cases[0].pk).exists()
    assert client.post(reverse("web:lifecycle_hold_lift", kwargs={"hold_id": hold.pk}))\
        .status_code == 302
    client.post(reverse("web:lifecycle_erasure_decide", kwargs={"candidate_id": blocked.pk}),
                {"decision": "reject", "note": "Trengs i klagesaken."})
    blocked.refresh_from_db()
    assert blocked.status == CandidateStatus.REJECTED
    page = client.get(page_url).content.decode()
    assert str(first.cases[0].pk) in page  # the tombstone
    assert first.names[0] not in page and first.number not in page
    assert client.post(decide, {"decision": "nonsense"}).status_code == 400
    # the auditor reads it all, decides nothing
    auditor = staff_member(Role.AUDITOR)
    login(client, auditor)
    page = client.get(page_url).content.decode()
    assert str(first.cases[0].pk) in page and "Bekreft sletting" not in page


@pytest.fixture
def staff_member(make_member):
    def make(role):
        return make_member(role, agency_type=AgencyType.BY, district=None)
    return make


def test_demo_wipe_is_refused_outside_demo_mode_and_with_real_people(settings, capsys):
    from laget.demo.wipe import wipe, wiped_tables

    settings.LAGET_DEMO = False
    with pytest.raises(SystemExit) as exit_:
        call_command("demo_wipe")
    assert exit_.value.code == 2
    assert capsys.readouterr().err.strip().startswith("demo_wipe: only in demo mode")
    settings.LAGET_DEMO = settings.DEBUG = settings.LAGET_ALLOW_SYNTHETIC_IDS = True
    real = PersonFactory(is_synthetic=False)
    with pytest.raises(SystemExit) as exit_:
        call_command("demo_wipe")
    assert exit_.value.code == 2
    assert "not synthetic" in capsys.readouterr().err
    assert Person.objects.filter(pk=real.pk).exists()
    real.delete()
    PersonFactory()
    assert "areas_district" not in wiped_tables() and "people_person" in wiped_tables()
    wipe()
    assert not Person.objects.exists()
    from laget.areas.models import District
    assert District.objects.filter(code=STOVNER).exists()
