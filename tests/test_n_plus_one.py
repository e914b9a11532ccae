"""No N+1 on any list: every page or API operation that lists rows which grow with the data makes
the same number of queries with 1 row as with 20 (issue 14); and every index says which query it
serves.

Each list has a `Lister`: who looks (a user and the URL, made from the shared `Scene`) and how one
more row is added. The test adds one row, warms the session with a first request, counts the
queries of a second, adds 19 rows and counts again; the counts must be equal (a difference prints
the statements). 20 rows fit in every list's first page (the smallest page is 25). The family's
pages, which a citizen's session reads, have their own test. `LISTS`, `FAMILY_LISTS` and
`NOT_LISTS` together must name every URL whose name says it lists (see `_list_like`), so that a
new list cannot be forgotten here.
"""

import ast
import datetime as dt
import io
import itertools
import tokenize
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType, Membership, User
from laget.accounts.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from laget.analytics.models import AreaProgramme, Commitment, DevelopmentPlan
from laget.analytics.programmes import programmes_load
from laget.areas.models import Subdistrict
from laget.audit.actions import Action, Purpose
from laget.audit.models import Withholding
from laget.audit.services import audit_record
from laget.cases.models import BarnevernReport, Concern, Meeting
from laget.cases.plan import task_create
from laget.cases.tests.factories import PlanFactory, TaskFactory
from laget.core import clock
from laget.family.citizen import SESSION_KEY as CITIZEN_SESSION_KEY
from laget.family.models import FamilyMessage
from laget.family.tests.scene import FamilyScene, family_scene
from laget.familysupport.models import (
    InterpreterBooking,
    ParentSupportReferral,
    ParentSupportSession,
    RelocationApplication,
)
from laget.fasttrack.models import YouthCase
from laget.intensive.models import Enrolment, FollowUpMember, Slot, SlotKind
from laget.lifecycle.models import (
    ArchivedItem,
    ArchiveExtract,
    ErasureCandidate,
    ErasureKind,
    LegalHold,
)
from laget.mentors.models import Application, Mentor, Mentorship, Programme
from laget.notify.models import Message
from laget.pathways.models import Attendance, Offer, OfferKind, Referral
from laget.people.models import Person
from laget.people.tests.factories import GuardianFactory, PersonFactory
from laget.policing.models import PoliceRegistration
from laget.records.models import Case, CaseMarker
from laget.records.services import case_open, team_member_add
from laget.rectification.models import RectificationRequest, RequestedEntry
from laget.rectification.services import deadline_for
from laget.reentry.models import (
    ExchangeMessage,
    NetworkAffiliation,
    Placement,
    ReentryPlan,
    Release,
    ReleaseStatus,
)
from laget.schools.models import (
    AmbulantRequest,
    AmbulantVisit,
    ChangeStatus,
    HearingParty,
    Incident,
    IncidentPupil,
    School,
    SchoolChange,
)
from laget.schools.tests.factories import SchoolFactory
from laget.sharing import services as sharing_services
from laget.sharing.models import EmergencyAccess, RulebookVersion
from tests.test_authorization_matrix import _url_names

STOVNER = "030111"
DISTRICT_TYPES = {AgencyType.BYDEL, AgencyType.SKOLE, AgencyType.BARNEVERN, AgencyType.NAV,
                  AgencyType.FRITID}
_serial = itertools.count(1)


@dataclass
class Scene:
    """A bydel in Stovner with its staff, a school, the police and barnevern, one case on a
    person of the bydel whose team holds the bydel's coordinator, the teacher, the officer and the
    social worker; `login` gives a verified session."""

    login: Callable[[Client, User], Client]
    bydel: Agency
    school: Agency
    police: Agency
    barnevern: Agency
    coordinator: User
    leader: User
    caseworker: User
    teacher: User
    officer: User
    social_worker: User
    auditor: User
    case: Case
    extra: dict[str, Any] = field(default_factory=dict)

    def actor(self, user: User) -> Actor:
        return Actor(user, Membership.objects.select_related("agency").get(user=user))

    def client(self, user: User) -> Client:
        return self.login(Client(), user)

    def staff(self, agency_type: str, role: str = "caseworker") -> User:
        """A user in `role` at the scene's one agency of `agency_type` (made on first use)."""
        key = f"agency:{agency_type}"
        if key not in self.extra:
            self.extra[key] = AgencyFactory(type=agency_type, district_id=(
                STOVNER if agency_type in DISTRICT_TYPES else None))
        agency = self.extra[key]
        user = Membership.objects.filter(agency=agency, role=role).values_list("user", flat=True)
        if user:
            return User.objects.get(pk=user[0])
        return MembershipFactory(user=UserFactory(password=None), agency=agency, role=role).user

    def agency(self, agency_type: str) -> Agency:
        self.staff(agency_type)
        return self.extra[f"agency:{agency_type}"]

    def new_case(self) -> Case:
        """A case on a new person of the bydel (14 years old), the coordinator on its team."""
        return case_open(actor=self.actor(self.coordinator), person=_person(
            birth_date=clock.today() - dt.timedelta(days=14 * 365)))


@pytest.fixture
def scene(rulebook, make_member, login) -> Scene:
    bydel = AgencyFactory(type=AgencyType.BYDEL, name="Bydel Stovner", district_id=STOVNER)
    school = AgencyFactory(type=AgencyType.SKOLE, name="Haugen skole", district_id=STOVNER)
    police = AgencyFactory(type=AgencyType.POLITI, name="Oslo politidistrikt", district_id=None)
    barnevern = AgencyFactory(type=AgencyType.BARNEVERN, name="Barneverntjenesten Stovner",
                              district_id=STOVNER)

    def member(role: str, agency: Agency) -> User:
        return make_member(role, agency=agency, password=None)

    coordinator = member("coordinator", bydel)
    scene = Scene(login=login, bydel=bydel, school=school, police=police, barnevern=barnevern,
                  coordinator=coordinator, leader=member("leader", bydel),
                  caseworker=member("caseworker", bydel), teacher=member("caseworker", school),
                  officer=member("caseworker", police),
                  social_worker=member("caseworker", barnevern),
                  auditor=member("auditor", bydel), case=None)  # type: ignore[arg-type]
    scene.case = case_open(actor=scene.actor(coordinator), person=PersonFactory(
        district_id=STOVNER, birth_date=clock.today() - dt.timedelta(days=14 * 365)))
    lead = scene.actor(coordinator)
    for user, agency in ((scene.teacher, school), (scene.officer, police),
                         (scene.social_worker, barnevern)):
        team_member_add(actor=lead, case=scene.case, user=user, agency=agency)
    return scene


@dataclass(frozen=True)
class Lister:
    """`view(scene) -> (user, url)` says who looks where (it may set up what the list hangs
    on); `add(scene)` adds one row to that list."""

    view: Callable[[Scene], tuple[User, str]]
    add: Callable[[Scene], object]
    #: a POST body, for a list that answers a POST (a search by name, never in the URL)
    post: dict[str, str] | None = None
    #: the page changes its rows (marks messages read): warm up before the first row, so that
    #: both counted requests find rows to change
    warm_first: bool = False


# --- the rows ------------------------------------------------------------------------------------

def _entry(scene: Scene, *, by: User | None = None, category: str = "plan") -> object:
    by = by or scene.coordinator
    return sharing_services.entry_add(actor=scene.actor(by), case=scene.case, category=category,
                                      text=f"Fravær, uke {next(_serial)}.")


def _task(scene: Scene) -> object:
    return TaskFactory(plan=PlanFactory(case=scene.new_case()), agency=scene.bydel,
                       created_by=scene.coordinator, assignee=scene.caseworker,
                       due_on=clock.today() - dt.timedelta(days=1))


def _own_task(scene: Scene) -> object:
    return TaskFactory(plan=PlanFactory(case=scene.case), agency=scene.bydel,
                       created_by=scene.coordinator, assignee=scene.caseworker,
                       due_on=clock.today() + dt.timedelta(days=3))


def _concern(scene: Scene, *, by: User | None = None) -> Concern:
    by = by or scene.teacher
    return Concern.objects.create(
        district_id=STOVNER, given_name="Ung", family_name=f"Bekymret{next(_serial)}",
        birth_date=dt.date(clock.today().year - 14, 1, 1), text="Bekymring.",
        submitted_by=by, submitting_agency=scene.actor(by).agency)


def _meeting(scene: Scene) -> Meeting:
    return Meeting.objects.create(case=scene.case, starts_at=clock.now() + dt.timedelta(
        days=next(_serial)), place="Bydelshuset", created_by=scene.coordinator)


def _consent(scene: Scene) -> object:
    guardian = (scene.case.person.guardians.first()
                or GuardianFactory(person=scene.case.person))
    today = clock.today()
    return sharing_services.consent_register(
        actor=scene.actor(scene.coordinator), case=scene.case, given_by="guardian",
        guardian_ids=[guardian.pk], method="signed_form", categories=["skole"],
        recipients=["politi"], purposes=["forebygging"], valid_from=today,
        valid_to=today + dt.timedelta(days=180), youth_view="Greit.")


def _failed_message(scene: Scene) -> Message:
    person = PersonFactory(district_id=STOVNER)
    return Message.objects.create(
        channel="sms", to_address="+4799999999", body="Hei.", status="failed",
        idempotency_key=f"nplus1-{next(_serial)}", person_id=person.pk,
        follow_up_agency=scene.bydel, failed_at=clock.now(), last_error="avvist")


def _emergency(scene: Scene, *, overdue: bool = False) -> EmergencyAccess:
    entry = _entry(scene, by=scene.social_worker)
    due = clock.today() - dt.timedelta(days=3 if overdue else -3)
    return EmergencyAccess.objects.create(
        user=UserFactory(password=None), agency=AgencyFactory(type=AgencyType.SKOLE), entry=entry,
        case=scene.case, source_agency=scene.barnevern, reason="Fare for liv.", review_due=due)


def _withholding(scene: Scene) -> Withholding:
    return Withholding.objects.create(
        person_id=PersonFactory(district_id=STOVNER).pk, agency=scene.bydel,
        legal_reason="criminal_investigation", explanation="Etterforskning.",
        ends_on=clock.today() + dt.timedelta(days=10), created_by=scene.leader)


def _member(scene: Scene) -> Membership:
    return MembershipFactory(user=UserFactory(password=None), agency=scene.bydel, role="caseworker")


def _person(**kwargs: Any) -> Person:
    return PersonFactory(district_id=STOVNER, family_name=f"Rad{next(_serial)}", **kwargs)


def _registration(scene: Scene) -> PoliceRegistration:
    return PoliceRegistration.objects.create(
        kind="stop_search", given_name="Ung", family_name=f"Stanset{next(_serial)}",
        birth_date=dt.date(clock.today().year - 15, 1, 1), occurred_at=clock.now(),
        subdistrict=Subdistrict.objects.filter(district_id=STOVNER).first(), unit=scene.police,
        officer=scene.officer, person=_person())


def _barnevern_report(scene: Scene) -> BarnevernReport:
    person = _person()
    return BarnevernReport.objects.create(
        district_id=STOVNER, person=person, given_name=person.given_name,
        family_name=person.family_name, birth_date=person.birth_date, text="Melding.",
        source_agency=scene.police, sent_by=scene.officer, basis_rule="bvl-13-2-meldeplikt",
        basis_citation="barnevernsloven § 13-2", origin_id=uuid.uuid4())


def _youth_case(scene: Scene) -> YouthCase:
    today = clock.today()
    return YouthCase.objects.create(
        person=_person(birth_date=today - dt.timedelta(days=16 * 365)), district_id=STOVNER,
        police_case_number=f"{next(_serial):08d}", offence_categories=["vold"],
        offence_on=today - dt.timedelta(days=10), age_at_offence=16, unit=scene.police,
        opened_by=scene.officer)


def _release(scene: Scene) -> Release:
    unit = scene.agency(AgencyType.KRIMINALOMSORG)
    release = Release.objects.create(
        person=_person(), unit=unit, registered_by=scene.staff(AgencyType.KRIMINALOMSORG),
        expected_date=clock.today() + dt.timedelta(days=70), kind="parole",
        municipality="Oslo", district_id=STOVNER, status=ReleaseStatus.HANDED_OVER)
    ReentryPlan.objects.create(
        release=release, nav_office=scene.agency(AgencyType.NAV),
        owner=scene.staff(AgencyType.NAV), handed_over_by=release.registered_by,
        handed_over_at=clock.now())
    return release


def _exchange_message(scene: Scene) -> ExchangeMessage:
    return ExchangeMessage.objects.create(
        person=_person(), category="incident", info_category="kriminalomsorg",
        purpose="straffesak", sender_agency=scene.agency(AgencyType.KRIMINALOMSORG),
        sender=scene.staff(AgencyType.KRIMINALOMSORG), receiver_agency=scene.police,
        text="Hendelse.", rule_id="kriminalomsorg-politi",
        rule_citation="straffegjennomføringsloven § 7", sent_at=clock.now())


def _network(scene: Scene) -> NetworkAffiliation:
    return NetworkAffiliation.objects.create(
        person=_person(), network_code=f"N{next(_serial)}", network_name="Nettverket",
        kind="member", unit=scene.police, registered_by=scene.officer,
        valid_from=clock.today())


def _placement(scene: Scene) -> Placement:
    return Placement.objects.create(
        person=_person(), unit=scene.agency(AgencyType.KRIMINALOMSORG),
        section=f"Avdeling {next(_serial)}", kind="placement",
        placed_by=scene.staff(AgencyType.KRIMINALOMSORG), placed_from=clock.today())


def _school(scene: Scene) -> School:
    if "school" not in scene.extra:
        scene.extra["school"] = SchoolFactory(agency=scene.school, name=scene.school.name)
    return scene.extra["school"]


def _incident(scene: Scene) -> Incident:
    incident = Incident.objects.create(
        school=_school(scene), reported_by=scene.teacher, kind="vold", description="Hendelse.",
        occurred_at=clock.now() - dt.timedelta(hours=next(_serial)))
    IncidentPupil.objects.create(incident=incident, person=_person(), perpetrator=True)
    return incident


def _ambulant_team(scene: Scene) -> tuple[User, str]:
    team = scene.agency(AgencyType.BY)
    team.code = settings.LAGET_AMBULANT_TEAM_AGENCY
    team.save(update_fields=["code"])
    return scene.staff(AgencyType.BY), reverse("web:schools_board")


def _ambulant_request(scene: Scene) -> AmbulantRequest:
    # each from its own school: the board names the school
    school = SchoolFactory()
    return AmbulantRequest.objects.create(
        school=school, district_id=school.district_id, requested_by=scene.teacher,
        kind="hendelse", situation="Uro.")


def _school_change(scene: Scene) -> SchoolChange:
    case = scene.new_case()
    return SchoolChange.objects.create(
        person=case.person, from_school=_school(scene), to_school=SchoolFactory(),
        proposed_by=scene.teacher, grounds="Vold.", status=ChangeStatus.DECIDED,
        hearing_deadline=clock.today() + dt.timedelta(days=14))


def _parent_support_referral(scene: Scene) -> ParentSupportReferral:
    provider = scene.agency(AgencyType.FRITID)
    offer = Offer.objects.create(provider=provider, kind=OfferKind.PARENT_SUPPORT,
                                 name=f"Foreldreprogram {next(_serial)}", age_min=10, age_max=18)
    case = scene.new_case()
    return ParentSupportReferral.objects.create(
        case=case, guardian=GuardianFactory(person=case.person), offer=offer,
        text="Henvisning.", referred_by=scene.coordinator, referring_agency=scene.bydel,
        basis="consent", basis_ref="nplus1")


def _relocation(scene: Scene) -> RelocationApplication:
    case = scene.new_case()
    application = RelocationApplication.objects.create(
        case=case, district_id=STOVNER, registered_by=scene.coordinator, leader=scene.leader,
        grounds="Må flytte.", reasons=["kriminelt_miljo"], destination_number="4601",
        destination_name="Bergen", protected=False)
    application.guardians.set([GuardianFactory(person=case.person)])
    return application


def _enrolment(scene: Scene) -> Enrolment:
    case = scene.new_case()
    guardian = GuardianFactory(person=case.person)
    today = clock.today()
    consent = sharing_services.consent_register(
        actor=scene.actor(scene.coordinator), case=case, given_by="guardian",
        guardian_ids=[guardian.pk], method="signed_form", categories=["plan"],
        recipients=["skole"], purposes=["forebygging"], valid_from=today,
        valid_to=today + dt.timedelta(days=180), youth_view="Greit.")
    enrolment = Enrolment.objects.create(
        case=case, decided_on=today, starts_on=today, consent=consent,
        enrolled_by=scene.coordinator,
        marker=CaseMarker.objects.create(case=case, kind="programme",
                                         programme="intensiv_oppfolging"))
    member = case.team.get(user=scene.coordinator)
    responsible = FollowUpMember.objects.create(enrolment=enrolment, team_member=member,
                                                added_by=scene.coordinator)
    Slot.objects.create(enrolment=enrolment, weekday=today.weekday(), start_hour=15,
                        end_hour=17, kind=SlotKind.choices[0][0], created_by=scene.coordinator,
                        responsible=responsible)
    return enrolment


def _offer(scene: Scene) -> Offer:
    return Offer.objects.create(provider=scene.agency(AgencyType.FRITID), kind="fritidsklubb",
                                name=f"Klubb {next(_serial)}", age_min=10, age_max=24,
                                district_id=STOVNER)


def _referral(scene: Scene) -> Referral:
    case = scene.new_case()
    return Referral.objects.create(offer=_offer(scene), case=case, person=case.person,
                                   referred_by=scene.coordinator, referring_agency=scene.bydel,
                                   text="Henvisning.")


def _mentor_programme(scene: Scene) -> Programme:
    if "programme" not in scene.extra:
        scene.extra["programme"] = Programme.objects.create(agency=scene.bydel,
                                                            name="Unge forbilder", capacity=30)
    return scene.extra["programme"]


def _application(scene: Scene) -> Application:
    return Application.objects.create(
        programme=_mentor_programme(scene), person=_person(), submitted_by=scene.coordinator,
        submitting_agency=scene.bydel, motivation="Et godt forbilde.", consent_method="skjema",
        consent_on=clock.today(), consent_youth=True, consent_guardians=True)


def _desk_of_programme(scene: Scene) -> tuple[User, str]:
    return scene.coordinator, reverse("web:mentors_desk", kwargs={
        "programme_id": _mentor_programme(scene).pk})


def _extract(scene: Scene) -> ArchiveExtract:
    return ArchiveExtract.objects.create(
        district_id=STOVNER, agency=scene.bydel, created_by=scene.leader, directory="",
        zip_name=f"uttrekk-{next(_serial)}.zip", zip_sha256="0" * 64, zip_size=0, case_count=0,
        document_count=0)


def _erasure_candidate(scene: Scene) -> ErasureCandidate:
    case = scene.new_case()
    now = clock.now()
    return ErasureCandidate.objects.create(
        kind=ErasureKind.CASE, object_id=case.pk, person_id=case.person_id, district_id=STOVNER,
        rule="sak-lukket", legal_reference="personopplysningsloven", schedule_sha256="0" * 64,
        opened_at=now - dt.timedelta(days=4000), closed_at=now - dt.timedelta(days=3000),
        due_at=now - dt.timedelta(days=next(_serial)))


def _rectification(scene: Scene) -> RectificationRequest:
    now = clock.now()
    case = scene.new_case()
    return RectificationRequest.objects.create(
        kind="correction", person_id=case.person_id, case=case, agency=scene.bydel,
        channel="staff", requested_by="self", registered_by=scene.coordinator,
        registered_by_agency=scene.bydel, what_is_wrong="Feil.", received_at=now,
        deadline=deadline_for(now))


def _read_by_someone(scene: Scene) -> None:
    """An audit event by a new user of a new agency that read the scene's person."""
    user = MembershipFactory(user=UserFactory(password=None), agency=AgencyFactory(
        type=AgencyType.SKOLE, district_id=OTHER_DISTRICT), role="caseworker").user
    audit_record(action=Action.CASE_VIEW, actor=scene.actor(user), obj=scene.case,
                 persons=[scene.case.person_id], purpose=Purpose.FOREBYGGING)


def _team_member(scene: Scene) -> object:
    agency = AgencyFactory(type=AgencyType.SKOLE, district_id=STOVNER)
    user = MembershipFactory(user=UserFactory(password=None), agency=agency, role="caseworker").user
    return team_member_add(actor=scene.actor(scene.coordinator), case=scene.case, user=user,
                           agency=agency)


def _family_message(scene: Scene) -> FamilyMessage:
    return FamilyMessage.objects.create(case=scene.case, author_kind="family",
                                        details={"guardian": str(uuid.uuid4())},
                                        text=f"Hei {next(_serial)}.")


def _innsyn_of_person(scene: Scene) -> tuple[User, str]:
    return scene.auditor, reverse("web:innsyn_report",
                                  kwargs={"person_id": scene.case.person_id})


def _audit_search(scene: Scene) -> tuple[User, str]:
    return scene.auditor, reverse("audit:event_list") + f"?person={scene.case.person_id}"


def _searchable_case(scene: Scene) -> Case:
    return case_open(actor=scene.actor(scene.coordinator), person=PersonFactory(
        district_id=STOVNER, given_name=f"Sara{next(_serial)}", family_name="Søkbar"))


def _area_programme(scene: Scene) -> AreaProgramme:
    n = next(_serial)
    programme = AreaProgramme.objects.create(key=f"satsing-{n}", name=f"Satsing {n}")
    programme.districts.set([STOVNER])
    Commitment.objects.create(programme=programme, party_kind="state", party_name="Politiet",
                              what="Flere patruljer.", due_on=dt.date(2026, 6, 1))
    return programme


def _commitment(scene: Scene) -> Commitment:
    return Commitment.objects.create(
        programme=AreaProgramme.objects.get(key="groruddalssatsingen"), party_kind="state",
        party_name=f"Etat {next(_serial)}", what="Flere patruljer.", due_on=dt.date(2026, 6, 1))


def _groruddalen(scene: Scene) -> tuple[User, str]:
    programmes_load()
    programme = AreaProgramme.objects.get(key="groruddalssatsingen")
    DevelopmentPlan.objects.create(programme=programme, district_id=STOVNER,
                                   name="Plan i Stovner")
    return scene.teacher, reverse("web:analytics_programme",
                                  kwargs={"area_programme_id": programme.pk})


def _rulebook_version(scene: Scene) -> RulebookVersion:
    current = RulebookVersion.objects.order_by("loaded_at").first()
    assert current is not None
    n = next(_serial)
    return RulebookVersion.objects.create(
        version=f"test-{n}", title=current.title, sha256=f"{n:064d}",
        source=current.source, file_name=current.file_name, loaded_by=scene.coordinator,
        loaded_at=current.loaded_at - dt.timedelta(days=n))


def _guardian(scene: Scene) -> object:
    return GuardianFactory(person=scene.case.person, given_name=f"Foresatt{next(_serial)}")


def _person_page(scene: Scene) -> tuple[User, str]:
    return scene.coordinator, reverse("web:person_detail",
                                      kwargs={"person_id": scene.case.person_id})


def _case_parent_support(scene: Scene) -> ParentSupportReferral:
    offer = Offer.objects.create(provider=scene.agency(AgencyType.FRITID),
                                 kind=OfferKind.PARENT_SUPPORT,
                                 name=f"Foreldreprogram {next(_serial)}", age_min=10, age_max=18)
    return ParentSupportReferral.objects.create(
        case=scene.case, guardian=GuardianFactory(person=scene.case.person), offer=offer,
        text="Henvisning.", referred_by=scene.coordinator, referring_agency=scene.bydel,
        basis="consent", basis_ref="nplus1")


def _interpreter_booking(scene: Scene) -> InterpreterBooking:
    return InterpreterBooking.objects.create(
        case=scene.case, kind="conversation", starts_at=clock.now(), duration_minutes=60,
        language_code="som", language_name="somali", interpreter_name=f"Tolk {next(_serial)}",
        qualification="A", mode="telefon", cost_nok=900, budget_year=clock.today().year,
        district_id=STOVNER, agency=scene.bydel, booked_by=scene.coordinator)


def _closed_long_ago(scene: Scene) -> Case:
    case = scene.new_case()
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_at=clock.now() - dt.timedelta(days=4000 + next(_serial)))
    return case


def _hold(scene: Scene) -> LegalHold:
    return LegalHold.objects.create(
        kind=ErasureKind.CASE, object_id=scene.new_case().pk, district_id=STOVNER,
        reason="complaint", placed_by=scene.leader,
        ends_on=clock.today() + dt.timedelta(days=30))


def _extract_page(scene: Scene) -> tuple[User, str]:
    scene.extra["extract"] = _extract(scene)
    return scene.leader, reverse("web:lifecycle_extract",
                                 kwargs={"extract_id": scene.extra["extract"].pk})


def _archived_item(scene: Scene) -> ArchivedItem:
    case = scene.new_case()
    return ArchivedItem.objects.create(extract=scene.extra["extract"], case=case, kind="case",
                                       object_id=case.pk, path=f"saker/{case.pk}.xml")


def _export_of_search(scene: Scene) -> tuple[User, str]:
    return scene.auditor, reverse("audit:event_export") + f"?person={scene.case.person_id}"


# --- detail pages with a list that grows (sessions, attendance, slots, pupils, entries) ---------

def _referral_page(scene: Scene) -> tuple[User, str]:
    scene.extra["referral"] = _referral(scene)
    return scene.staff(AgencyType.FRITID), reverse(
        "web:pathways_referral", kwargs={"referral_id": scene.extra["referral"].pk})


def _attendance(scene: Scene) -> Attendance:
    return Attendance.objects.create(
        referral=scene.extra["referral"], attended=True, recorded_by=scene.coordinator,
        on=clock.today() - dt.timedelta(days=next(_serial)))


def _parent_referral_page(scene: Scene) -> tuple[User, str]:
    scene.extra["parent_referral"] = _case_parent_support(scene)
    return scene.coordinator, reverse("web:familysupport_parent_detail", kwargs={
        "parent_referral_id": scene.extra["parent_referral"].pk})


def _parent_session(scene: Scene) -> ParentSupportSession:
    return ParentSupportSession.objects.create(
        referral=scene.extra["parent_referral"], recorded_by=scene.coordinator,
        held_on=clock.today() - dt.timedelta(days=next(_serial)))


def _rectification_page(scene: Scene) -> tuple[User, str]:
    now = clock.now()
    scene.extra["rectification"] = RectificationRequest.objects.create(
        kind="correction", person_id=scene.case.person_id, case=scene.case, agency=scene.bydel,
        channel="staff", requested_by="self", registered_by=scene.coordinator,
        registered_by_agency=scene.bydel, what_is_wrong="Feil.", received_at=now,
        deadline=deadline_for(now))
    return scene.coordinator, reverse("web:rectification_detail", kwargs={
        "rectification_id": scene.extra["rectification"].pk})


def _requested_entry(scene: Scene) -> RequestedEntry:
    return RequestedEntry.objects.create(request=scene.extra["rectification"],
                                         entry=_entry(scene))


def _enrolment_page(scene: Scene) -> tuple[User, str]:
    scene.extra["enrolment"] = _enrolment(scene)
    return scene.coordinator, reverse("web:intensive_detail", kwargs={
        "enrolment_id": scene.extra["enrolment"].pk})


def _slot(scene: Scene) -> Slot:
    enrolment = scene.extra["enrolment"]
    n = next(_serial)
    return Slot.objects.create(enrolment=enrolment, weekday=n % 7, start_hour=8 + n % 12,
                               end_hour=9 + n % 12, kind=SlotKind.choices[0][0],
                               created_by=scene.coordinator,
                               responsible=enrolment.members.first())


def _incident_page(scene: Scene) -> tuple[User, str]:
    scene.extra["incident"] = _incident(scene)
    return scene.teacher, reverse("web:schools_incident",
                                  kwargs={"incident_id": scene.extra["incident"].pk})


def _pupil(scene: Scene) -> IncidentPupil:
    return IncidentPupil.objects.create(incident=scene.extra["incident"], person=_person(),
                                        witness=True)


def _ambulant_request_page(scene: Scene) -> tuple[User, str]:
    scene.extra["request"] = AmbulantRequest.objects.create(
        school=_school(scene), district_id=STOVNER, requested_by=scene.teacher,
        kind="hendelse", situation="Uro.")
    return scene.teacher, reverse("web:schools_request",
                                  kwargs={"request_id": scene.extra["request"].pk})


def _visit(scene: Scene) -> AmbulantVisit:
    return AmbulantVisit.objects.create(
        request=scene.extra["request"], note="Samtale med klassen.", recorded_by=scene.teacher,
        visited_on=clock.today() - dt.timedelta(days=next(_serial)))


def _school_change_page(scene: Scene) -> tuple[User, str]:
    scene.extra["change"] = _school_change(scene)
    return scene.teacher, reverse("web:schools_change",
                                  kwargs={"change_id": scene.extra["change"].pk})


def _hearing_party(scene: Scene) -> HearingParty:
    change = scene.extra["change"]
    return HearingParty.objects.create(
        change=change, kind="foresatt", registered_by=scene.teacher,
        guardian=GuardianFactory(person=change.person), statement="Uenig.",
        heard_at=clock.now())


def _mentor_page(scene: Scene) -> tuple[User, str]:
    application = _application(scene)
    scene.extra["mentor"] = Mentor.objects.create(
        programme=application.programme, person=application.person, application=application,
        enrolled_on=clock.today())
    return scene.coordinator, reverse("web:mentors_mentor",
                                      kwargs={"mentor_id": scene.extra["mentor"].pk})


def _mentorship(scene: Scene) -> Mentorship:
    mentor = scene.extra["mentor"]
    return Mentorship.objects.create(
        programme=mentor.programme, mentee=_person(), mentor=mentor,
        referred_by=scene.coordinator, referring_agency=scene.bydel, consent_method="skjema",
        consent_on=clock.today(), consent_youth=True, consent_guardians=True, status="aktiv",
        started_on=clock.today())


def _on(name: str, user: str, **kwargs: Any) -> Callable[[Scene], tuple[User, str]]:
    """The view of URL `name` (kwargs: a value "CASE" stands for the scene's case) by the
    scene's `user`."""
    def view(scene: Scene) -> tuple[User, str]:
        args = {k: scene.case.pk if v == "CASE" else v for k, v in kwargs.items()}
        return getattr(scene, user), reverse(name, kwargs=args)
    return view


def _as(agency_type: str, name: str, role: str = "caseworker",
        **kwargs: Any) -> Callable[[Scene], tuple[User, str]]:
    """The view of URL `name` by a `role` of the scene's agency of `agency_type`."""
    def view(scene: Scene) -> tuple[User, str]:
        return scene.staff(agency_type, role), reverse(name, kwargs=kwargs)
    return view


def _leader_of_barnevern(scene: Scene) -> tuple[User, str]:
    leader = MembershipFactory(user=UserFactory(password=None), agency=scene.barnevern,
                               role="leader").user
    return leader, reverse("web:emergency_review_list")


OTHER_DISTRICT = "030112"


# url name (with `#variant` where one page lists different rows for different readers) → how
# to look and how to add a row
LISTS: dict[str, Lister] = {
    "web:schools_overview": Lister(_on("web:schools_overview", "teacher"), _incident),
    "web:schools_overview#changes": Lister(_on("web:schools_overview", "teacher"),
                                           _school_change),
    "web:schools_board": Lister(_ambulant_team, _ambulant_request),
    "web:schools_handovers": Lister(_on("web:schools_handovers", "coordinator"),
                                    _school_change),
    "web:familysupport_parent_received": Lister(
        _as(AgencyType.FRITID, "web:familysupport_parent_received"), _parent_support_referral),
    "web:familysupport_relocation_list": Lister(
        _on("web:familysupport_relocation_list", "leader"), _relocation),
    "web:intensive_list": Lister(_on("web:intensive_list", "coordinator"), _enrolment),
    "web:intensive_checkins": Lister(_on("web:intensive_checkins", "coordinator"), _enrolment),
    "web:pathways_catalogue": Lister(_on("web:pathways_catalogue", "teacher"), _offer),
    "web:pathways_referrals": Lister(_as(AgencyType.FRITID, "web:pathways_referrals"),
                                     _referral),
    "web:mentors_programmes": Lister(_on("web:mentors_programmes", "teacher"), lambda s: (
        Programme.objects.create(agency=s.bydel, name=f"Program {next(_serial)}", capacity=5))),
    "web:mentors_mine": Lister(_on("web:mentors_mine", "coordinator"), _application),
    "web:mentors_desk": Lister(_desk_of_programme, _application),
    "web:lifecycle_archive": Lister(_on("web:lifecycle_archive", "leader"), _extract),
    "web:lifecycle_erasure": Lister(_on("web:lifecycle_erasure", "leader"), _erasure_candidate),
    "web:rectification_list": Lister(_on("web:rectification_list", "coordinator"),
                                     _rectification),
    "web:access_review": Lister(_on("web:access_review", "leader"), _member),
    "audit:event_list": Lister(_audit_search, _read_by_someone),
    "web:innsyn_report": Lister(_innsyn_of_person, _read_by_someone),
    "web:family_messages": Lister(_on("web:family_messages", "coordinator", case_id="CASE"),
                                  _family_message, warm_first=True),
    "web:case_search": Lister(_on("web:case_search", "coordinator"), _searchable_case,
                              post={"query": "Søkbar"}),
    "web:unusual_access": Lister(_on("web:unusual_access", "auditor"), _read_by_someone),
    "web:analytics_programmes": Lister(_on("web:analytics_programmes", "teacher"),
                                       _area_programme),
    "web:analytics_programme": Lister(_groruddalen, _commitment),
    "web:sharing_versions": Lister(_on("web:sharing_versions", "teacher"), _rulebook_version),
    "web:person_detail": Lister(_person_page, _guardian),
    "web:case_detail#team": Lister(_on("web:case_detail", "coordinator", case_id="CASE"),
                                   _team_member),
    "web:familysupport_parent_case": Lister(
        _on("web:familysupport_parent_case", "coordinator", case_id="CASE"),
        _case_parent_support),
    "web:case_detail#tasks": Lister(_on("web:case_detail", "coordinator", case_id="CASE"),
                                    _own_task),
    "web:case_detail#meetings": Lister(_on("web:case_detail", "coordinator", case_id="CASE"),
                                       _meeting),
    "web:desk#concerns": Lister(_on("web:desk", "coordinator"),
                                lambda s: _concern(s, by=s.teacher)),
    "web:familysupport_interpreter_case": Lister(
        _on("web:familysupport_interpreter_case", "coordinator", case_id="CASE"),
        _interpreter_booking),
    "web:lifecycle_archive#due": Lister(_on("web:lifecycle_archive", "leader"),
                                        _closed_long_ago),
    "web:lifecycle_erasure#holds": Lister(_on("web:lifecycle_erasure", "leader"), _hold),
    "web:lifecycle_extract": Lister(_extract_page, _archived_item),
    "audit:event_export": Lister(_export_of_search, _read_by_someone),
    "web:pathways_referral": Lister(_referral_page, _attendance),
    "web:familysupport_parent_detail": Lister(_parent_referral_page, _parent_session),
    "web:rectification_detail": Lister(_rectification_page, _requested_entry),
    "web:intensive_detail": Lister(_enrolment_page, _slot),
    "web:schools_incident": Lister(_incident_page, _pupil),
    "web:schools_request": Lister(_ambulant_request_page, _visit),
    "web:schools_change": Lister(_school_change_page, _hearing_party),
    "web:mentors_mentor": Lister(_mentor_page, _mentorship),
    "api:api_case_team": Lister(_on("api:api_case_team", "coordinator", case_id="CASE"),
                                _team_member),
    "web:police_list": Lister(_on("web:police_list", "officer"), _registration),
    "web:barnevern_reports": Lister(_on("web:barnevern_reports", "social_worker"),
                                    _barnevern_report),
    "web:fasttrack_list": Lister(_on("web:fasttrack_list", "officer"), _youth_case),
    "web:reentry_home": Lister(_as(AgencyType.KRIMINALOMSORG, "web:reentry_home"), _release),
    "web:reentry_home#nav": Lister(_as(AgencyType.NAV, "web:reentry_home"), _release),
    "web:reentry_messages": Lister(_on("web:reentry_messages", "officer"), _exchange_message),
    "web:reentry_networks": Lister(_on("web:reentry_networks", "officer"), _network),
    "web:reentry_placements": Lister(_as(AgencyType.KRIMINALOMSORG, "web:reentry_placements"),
                                     _placement),
    "web:person_list": Lister(_on("web:person_list", "coordinator"),
                              lambda s: PersonFactory(district_id=STOVNER)),
    "web:case_list": Lister(_on("web:case_list", "coordinator"), lambda s: s.new_case()),
    "web:entry_mine": Lister(_on("web:entry_mine", "coordinator"), _entry),
    "web:agency_tasks": Lister(_on("web:agency_tasks", "coordinator"), _task),
    "web:desk": Lister(_on("web:desk", "coordinator"), _task),
    "web:concern_mine": Lister(_on("web:concern_mine", "teacher"), _concern),
    "web:case_detail": Lister(_on("web:case_detail", "coordinator", case_id="CASE"), _entry),
    "web:case_timeline": Lister(_on("web:case_timeline", "coordinator", case_id="CASE"), _entry),
    "web:plan_detail": Lister(_on("web:plan_detail", "coordinator", case_id="CASE"), _own_task),
    "web:meeting_list": Lister(_on("web:meeting_list", "coordinator", case_id="CASE"), _meeting),
    "web:consent_list": Lister(_on("web:consent_list", "coordinator", case_id="CASE"),
                               _consent),
    "web:failed_messages": Lister(_on("web:failed_messages", "coordinator"), _failed_message),
    "web:emergency_review_list": Lister(_leader_of_barnevern, _emergency),
    "web:emergency_overdue": Lister(_on("web:emergency_overdue", "auditor"),
                                    lambda s: _emergency(s, overdue=True)),
    "web:withholding_list": Lister(_on("web:withholding_list", "leader"), _withholding),
    "accounts:members": Lister(_on("accounts:members", "leader"), _member),
    "api:api_case_list": Lister(_on("api:api_case_list", "coordinator"),
                                lambda s: s.new_case()),
    "api:api_entry_list": Lister(_on("api:api_entry_list", "coordinator", case_id="CASE"),
                                 _entry),
    "api:api_case_plan": Lister(_on("api:api_case_plan", "coordinator", case_id="CASE"),
                                _own_task),
}


def _get(client: Client, url: str, post: dict[str, str] | None = None
         ) -> tuple[CaptureQueriesContext, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, post) if post is not None else client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return queries, response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_list_makes_as_many_queries_for_20_rows_as_for_1(name, scene):
    lister = LISTS[name]
    user, url = lister.view(scene)
    client = scene.client(user)
    if lister.warm_first:
        _get(client, url, lister.post)
    lister.add(scene)
    if not lister.warm_first:
        _get(client, url, lister.post)  # the session, the rules in force, per-process caches
    one, page_one = _get(client, url, lister.post)
    for _ in range(19):
        lister.add(scene)
    twenty, page_twenty = _get(client, url, lister.post)
    assert len(page_twenty) > len(page_one), "the 19 new rows are not on the page"
    assert len(twenty) == len(one), "\n".join(
        [f"{name}: {len(one)} queries with 1 row, {len(twenty)} with 20:"]
        + [q["sql"][:300] for q in twenty.captured_queries])


# --- the family's pages: a citizen's session, not a staff user's ---------------------------------

def _family_task(family: FamilyScene) -> object:
    return task_create(actor=family.coordinator, case=family.case, agency=family.school.agency,
                       title=f"Samtale {next(_serial)}", goal=family.goal)


def _family_read(family: FamilyScene) -> None:
    """A read of the person by a new staff user of a new agency (a new innsyn line)."""
    user = MembershipFactory(user=UserFactory(password=None), agency=AgencyFactory(
        type=AgencyType.SKOLE, district_id=STOVNER), role="caseworker").user
    audit_record(action=Action.CASE_VIEW, actor=Actor(user, user.memberships.get()),
                 obj=family.case, persons=[family.person.pk], purpose=Purpose.FOREBYGGING)


def _staff_message(family: FamilyScene) -> FamilyMessage:
    return FamilyMessage.objects.create(case=family.case, author_kind="staff",
                                        author_user=family.coordinator.user,
                                        text=f"Hei {next(_serial)}.")


FAMILY_LISTS: dict[str, Callable[[FamilyScene], object]] = {
    "family:person": _family_task,
    "family:innsyn": _family_read,
    "family:messages": _staff_message,
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FAMILY_LISTS))
def test_a_family_page_makes_as_many_queries_for_20_rows_as_for_1(name, settings, make_member,
                                                                   rulebook):
    settings.LAGET_FAMILY_OIDC_ISSUER = "https://idporten.invalid"
    settings.LAGET_FAMILY_OIDC_CLIENT_ID = "laget"
    family = family_scene(make_member)
    client = Client()
    session = client.session
    session[CITIZEN_SESSION_KEY] = {"pid": family.mother.national_id, "acr": "idporten-loa-high",
                                    "at": clock.now().isoformat()}
    session.save()
    url = reverse(name, kwargs={"person_id": family.person.pk})
    add = FAMILY_LISTS[name]
    _get(client, url)  # before the first row: the thread page marks the staff's messages read
    add(family)
    one, page_one = _get(client, url)
    for _ in range(19):
        add(family)
    twenty, page_twenty = _get(client, url)
    assert len(page_twenty) > len(page_one), "the 19 new rows are not on the page"
    assert len(twenty) == len(one), "\n".join(
        [f"{name}: {len(one)} queries with 1 row, {len(twenty)} with 20:"]
        + [q["sql"][:300] for q in twenty.captured_queries])


# --- every list is here --------------------------------------------------------------------------
# The rule: a URL name whose last word is `list` or `mine` or a plural (ends in «s») is a list,
# and must be counted above or excluded below with the reason. Pages that list without such a
# name (the desk, the case page, innsyn …) were found by reading the URL files and are counted
# above too; the ones judged and left out are at the end of NOT_LISTS.
NOT_LISTS: dict[str, str] = {
    "api:notification_status": "one message's delivery status",
    "api:sharing_rules": "the rules of the rulebook in force: as many as the rulebook file an "
                         "admin loads has, not growing with case data",
    "web:sharing_rules": "as api:sharing_rules",
    "api_docs": "a redirect to the API's documentation",
    "log:entries": "one entry bundle of the transparency log: at most 256 entries by the "
                   "tlog-tiles format, read from stored tiles",
    "web:case_status": "POST only (changes a case's status)",
    "web:concern_dismiss": "POST only (dismisses a concern)",
    "web:district_list": "the city's bydeler: a fixed table",
    "web:familysupport_parent_statistics": "aggregates: counts in a fixed set of groups",
    "web:fasttrack_statistics": "aggregates: counts and medians in a fixed set of groups",
    "web:schools_statistics": "aggregates: counts in a fixed set of groups",
    "web:meeting_minutes": "one meeting's minutes",
    "web:metrics": "Prometheus gauges: a fixed set of counts",
    "web:notify_texts": "the fixed vocabulary of the guardians' message texts",
    "web:pathways_offer_hours": "one offer's weekly opening hours",
    # judged by hand: list-like pages without a list name, not counted here
    "web:intensive_heatmap": "aggregates: slots per weekday and hour (a fixed 7 × 24 grid)",
    "web:familysupport_interpreter_report": "aggregates: interpreter use per month",
    "web:plan_print": "the plan as PDF, from plan_detail's selector (counted there)",
    "web:innsyn_pdf": "innsyn as PDF, from innsyn_report's selector (counted there)",
    "web:familysupport_interpreter_report_xlsx": "as familysupport_interpreter_report",
    "web:police_receipt": "one registration; a notice per guardian of the person (a few)",
    "web:consent_detail": "one consent; its guardians (a few)",
    "web:fasttrack_case": "one case; one row per milestone kind (a fixed set)",
    "web:reentry_plan": "one plan; its outcomes at three fixed milestones",
    "web:mentors_programme": "one programme; its handful of criteria and yearly outcome counts",
    "web:analytics_index": "the catalogue of indicators: fixed, no personal data",
    "web:analytics_indicator": "aggregates over the city's fixed areas",
    "web:analytics_district": "aggregates for one bydel's fixed areas",
    "web:start": "counts, no rows",
}


def _list_like(name: str) -> bool:
    last = name.split(":")[-1].split("_")[-1]
    return last in ("list", "mine") or last.endswith("s")


def test_every_list_is_counted_or_excluded_with_a_reason():
    names = _url_names(get_resolver())
    counted = {key.split("#")[0] for key in LISTS} | set(FAMILY_LISTS)
    assert not (counted & set(NOT_LISTS)), "counted and excluded at once"
    assert (counted | set(NOT_LISTS)) <= names, "names that are no URL's"
    missing = {n for n in names if _list_like(n)} - counted - set(NOT_LISTS)
    assert not missing, f"lists neither counted nor excluded: {sorted(missing)}"


# --- every index says which query it serves ------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def _comment_lines(source: str) -> set[int]:
    """Lines that hold a comment (found by the tokenizer, so a «#» in a string does not count)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {token.start[0] for token in tokens if token.type == tokenize.COMMENT}


def _unexplained(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    comments = _comment_lines(source)
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        indexed = any(k.arg == "db_index" and isinstance(k.value, ast.Constant)
                      and k.value.value is True for k in node.keywords)
        if name not in ("Index", "UniqueConstraint") and not indexed:
            continue
        line = node.lineno
        before = line - 1
        explained = line in comments or (
            before in comments and lines[before - 1].lstrip().startswith("#"))
        if not explained:
            found.append(f"{path.relative_to(ROOT)}:{line}: {lines[line - 1].strip()}")
    return found


def test_every_index_and_unique_constraint_says_which_query_it_serves():
    models = sorted(ROOT.glob("laget/*/models*.py"))
    assert len(models) > 15
    missing = [line for path in models for line in _unexplained(path)]
    assert not missing, ("an index needs a comment on the line above (or the same line) saying "
                         "which query it serves:\n" + "\n".join(missing))


@pytest.mark.django_db
def test_an_entry_page_reads_its_versions_in_a_fixed_number_of_queries(scene):
    """web:entry_detail lists the entry's versions: the newest of 2 versions and of 20 take the
    same number of queries (the chain of corrections is not walked one query per version)."""
    actor = scene.actor(scene.coordinator)
    client = scene.client(scene.coordinator)
    entry = _entry(scene)

    def correct() -> object:
        return sharing_services.entry_correct(actor=actor, case=scene.case, entry_id=entry.pk,
                                              text=f"Rettet {next(_serial)}.")

    def url() -> str:
        return reverse("web:entry_detail", kwargs={"case_id": scene.case.pk,
                                                   "entry_id": entry.pk})

    entry = correct()
    _get(client, url())
    one, page_one = _get(client, url())
    for _ in range(18):
        entry = correct()
    twenty, page_twenty = _get(client, url())
    assert len(page_twenty) > len(page_one), "the 18 new versions are not on the page"
    assert len(twenty) == len(one), "\n".join(
        [f"entry_detail: {len(one)} queries with 2 versions, {len(twenty)} with 20:"]
        + [q["sql"][:300] for q in twenty.captured_queries])
