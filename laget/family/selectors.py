"""What a logged-in citizen may see on the family pages, worked out on every request from the
people register, and the reads themselves — each one audited with the citizen as the actor.

Who sees whom (DOMAIN.md, Consent): a guardian with parental responsibility sees the child until
the day the child turns 18 (`cases.guardians.majority_day`); a young person sees their own case
from `LAGET_FAMILY_OWN_ACCESS_AGE`. A guardian with restricted contact (e.g. a restraining order)
and every guardian of a child with a protected address, or a guardian with one, sees nothing. The
citizen is only ever told «no access» — never why, never whether a case exists.

What of the plan the family sees is the family's version of the printed plan (goals and tasks the
team marked for the family, nothing from barnevern or health), narrowed by the rulebook's rules
for the `familie` recipient: an agency's tasks and contact person are shown only when a rule lets
the family see that agency's `plan` category for follow-up and none forbids it. Such a rule is
taken as written whether or not a lawyer has reviewed it yet: the family reading its own plan is
the right of access (GDPR art. 15), not a disclosure to a third party that consent could stand in
for.

The audit events have no staff actor: `details` say `via: familie`, who the citizen is to the
person (`citizen: guardian` with the guardian row's id, or `citizen: self`) and the persons the
read concerns are linked as for any read, so the person's own innsyn shows them.
"""

import uuid
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db.models import Q

from laget.accounts.models import AgencyType
from laget.audit import innsyn
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.innsyn import InnsynReport, RequestedBy
from laget.audit.services import audit_record
from laget.cases.guardians import majority_day
from laget.cases.models import Goal, Meeting, MeetingStatus, Task
from laget.cases.selectors_plan import PlanDocument, plan_document_for_family
from laget.core import clock
from laget.core.errors import NotFound
from laget.family.citizen import Citizen
from laget.people.models import Guardian, Person
from laget.records.models import Case, CaseStatus, TeamMember
from laget.records.vocabulary import FAMILIE_RECIPIENT, InfoCategory
from laget.rectification import selectors as rectification_selectors
from laget.rectification.models import RectificationRequest
from laget.sharing import proposals
from laget.sharing.engine import Context, context_at, match_rule
from laget.sharing.models import (
    Consent,
    ConsentGivenBy,
    ConsentProposal,
    Effect,
    ProposalStatus,
)

GUARDIAN = "guardian"
SELF = "self"
#: The family's reads are for following up what was agreed with them.
PURPOSE = Purpose.OPPFOLGING


@dataclass(frozen=True)
class FamilyAccess:
    """One person the citizen may see: their child (`guardian` set) or themselves."""

    person: Person
    relation: str
    guardian: Guardian | None = None

    @property
    def is_self(self) -> bool:
        return self.relation == SELF

    def audit_details(self) -> dict[str, Any]:
        details: dict[str, Any] = {"via": "familie", "citizen": self.relation}
        if self.guardian is not None:
            details["guardian"] = str(self.guardian.pk)
        return details


def guardian_may_see(guardian: Guardian, person: Person) -> bool:
    """A guardian's row gives access to the child: parental responsibility, the child under 18,
    no restricted contact, no protected address on either side."""
    return (guardian.parental_responsibility
            and clock.today() < majority_day(person.birth_date)
            and not guardian.restricted_contact
            and not guardian.address_protection
            and not person.address_protection)


def youth_may_see(person: Person) -> bool:
    return person.age_on(clock.today()) >= settings.LAGET_FAMILY_OWN_ACCESS_AGE


def _matches(pid: str) -> tuple[list[Guardian], Person | None]:
    guardians = list(Guardian.objects.select_related("person").filter(national_id=pid)
                     .order_by("person__given_name", "person__birth_date"))
    own = Person.objects.filter(national_id=pid).first()
    return guardians, own


def access_list(*, citizen: Citizen) -> list[FamilyAccess]:
    """Everyone the citizen may see: themselves first (from the age), then their children."""
    guardians, own = _matches(citizen.pid)
    found: list[FamilyAccess] = []
    if own is not None and youth_may_see(own):
        found.append(FamilyAccess(own, SELF))
    for guardian in guardians:
        if guardian_may_see(guardian, guardian.person):
            found.append(FamilyAccess(guardian.person, GUARDIAN, guardian))
    return found


def login_audit_details(*, pid: str) -> dict[str, Any]:
    """Which register rows a login matched, by id (never the number itself), for its event."""
    guardians, own = _matches(pid)
    return {"via": "familie", "guardians": [str(g.pk) for g in guardians],
            "person": str(own.pk) if own is not None else ""}


def family_start_for(*, citizen: Citizen) -> list[FamilyAccess]:
    """The start page's list of persons (names and birth dates), audited."""
    found = access_list(citizen=citizen)
    audit_record(action=Action.FAMILY_VIEW, actor=None, persons=[a.person for a in found],
                 purpose=PURPOSE,
                 details={"via": "familie", "view": "start", "shown": len(found),
                          "citizen": sorted({a.relation for a in found})})
    return found


def family_access_get(*, citizen: Citizen, person_id: uuid.UUID | str, view: str
                      ) -> FamilyAccess:
    """The person the citizen asks for, or NotFound (audited, without telling why)."""
    for access in access_list(citizen=citizen):
        if str(access.person.pk) == str(person_id):
            return access
    audit_record(action=Action.FAMILY_ACCESS_DENIED, actor=None, outcome=Outcome.DENIED,
                 purpose=PURPOSE,
                 details={"via": "familie", "view": view, "object_id": str(person_id)[:64]})
    raise NotFound()


def family_case(person: Person) -> Case | None:
    """The person's current SaLTo case (the newest not closed), if any."""
    return (Case.objects.filter(person=person).exclude(status=CaseStatus.CLOSED)
            .select_related("person", "district").order_by("-created_at").first())


def family_rule_allows(ctx: Context, *, source_type: str, category: str, age: int) -> bool:
    """The rulebook's answer for the family as recipient: a matching allow rule and no matching
    deny (see the module docstring on review)."""
    matching = [
        m for m in (match_rule(rule, source_type=source_type, category=category, age=age,
                               programmes=set(), weapon_trigger=False, draft_in_force=True)
                    for rule in ctx.candidates(FAMILIE_RECIPIENT, PURPOSE))
        if m.matches
    ]
    if any(m.effect == Effect.DENY for m in matching):
        return False
    return any(m.effect == Effect.ALLOW for m in matching)


def _narrowed(document: PlanDocument, person: Person) -> PlanDocument:
    """The family's version with only the agencies the rulebook lets the family see."""
    ctx = context_at()
    age = person.age_on(ctx.day)
    allowed: dict[str, bool] = {}

    def shown(agency_type: str) -> bool:
        if agency_type not in allowed:
            allowed[agency_type] = family_rule_allows(ctx, source_type=agency_type,
                                                      category=InfoCategory.PLAN, age=age)
        return allowed[agency_type]

    goals = document.goals if shown(AgencyType.BYDEL) else []
    return replace(
        document,
        goals=[replace(g, tasks=[t for t in g.tasks if shown(t.agency.type)]) for g in goals],
        tasks=[t for t in document.tasks if shown(t.agency.type)],
        team=[m for m in document.team if shown(m.agency.type)],
    )


@dataclass(frozen=True)
class FamilyPlan:
    document: PlanDocument
    next_meeting: Meeting | None
    contacts: list[TeamMember]


def family_plan_for(*, access: FamilyAccess) -> FamilyPlan | None:
    """The plan in the family's version, the next meeting and the agencies' contact persons
    (none from barnevern or health); None when the person has no case. Audited."""
    case = family_case(access.person)
    if case is None:
        audit_record(action=Action.FAMILY_VIEW, actor=None, persons=[access.person],
                     purpose=PURPOSE, details={**access.audit_details(), "view": "plan",
                                               "case": False})
        return None
    document = _narrowed(plan_document_for_family(case=case), access.person)
    meeting = (Meeting.objects.filter(case=case, status=MeetingStatus.PLANNED,
                                      starts_at__gte=clock.now())
               .order_by("starts_at").first())
    contacts = [m for m in document.team if m.is_contact]
    audit_record(action=Action.FAMILY_VIEW, actor=None, obj=case, persons=[access.person],
                 purpose=PURPOSE,
                 details={**access.audit_details(), "view": "plan", "case": True,
                          "plan_version": document.version})
    return FamilyPlan(document, meeting, contacts)


@dataclass(frozen=True)
class FamilyConsent:
    consent: Consent
    active: bool
    #: the citizen may withdraw it here (they are among those who gave it)
    may_withdraw: bool


def may_withdraw(access: FamilyAccess, consent: Consent) -> bool:
    """A guardian withdraws what guardians gave, the young person what they gave (alone or
    together with the guardians); withdrawal by one of those who gave it is enough."""
    if consent.withdrawn_at is not None or consent.valid_to < clock.today():
        return False
    if access.is_self:
        return consent.given_by in (ConsentGivenBy.YOUTH, ConsentGivenBy.BOTH)
    return consent.given_by in (ConsentGivenBy.GUARDIAN, ConsentGivenBy.BOTH)


def _consents(case: Case) -> list[Consent]:
    return list(Consent.objects.filter(case=case).order_by("-valid_from", "-created_at"))


def family_consents_for(*, access: FamilyAccess) -> list[FamilyConsent]:
    """The consents on the person's case — what, to whom, for what, until when — with whether
    the citizen may withdraw each. Audited."""
    case = family_case(access.person)
    consents = _consents(case) if case is not None else []
    today = clock.today()
    rows = [FamilyConsent(c, c.withdrawn_at is None and c.valid_to >= today,
                          may_withdraw(access, c)) for c in consents]
    audit_record(action=Action.CONSENT_VIEW, actor=None, obj=case, persons=[access.person],
                 purpose=PURPOSE,
                 details={**access.audit_details(), "view": "consents", "consents": len(rows)})
    return rows


def family_consent_get(*, access: FamilyAccess, consent_id: uuid.UUID | str) -> Consent:
    """One consent on the person's current case that the citizen may withdraw, or NotFound."""
    case = family_case(access.person)
    consent = None
    if case is not None:
        consent = (Consent.objects.select_related("case__person")
                   .filter(Q(case=case), pk=consent_id).first())
    if consent is None or not may_withdraw(access, consent):
        audit_record(action=Action.FAMILY_ACCESS_DENIED, actor=None, outcome=Outcome.DENIED,
                     persons=[access.person], purpose=PURPOSE,
                     details={**access.audit_details(), "view": "consent",
                              "object_id": str(consent_id)[:64]})
        raise NotFound()
    audit_record(action=Action.CONSENT_VIEW, actor=None, obj=consent, persons=[access.person],
                 purpose=PURPOSE, details={**access.audit_details(), "view": "consent"})
    return consent


def answered_by(access: FamilyAccess) -> str:
    """Who the citizen answers a consent proposal as."""
    return proposals.YOUTH if access.is_self else proposals.GUARDIAN


@dataclass(frozen=True)
class FamilyProposal:
    proposal: ConsentProposal
    #: the citizen must answer it and has not yet
    may_answer: bool
    #: the citizen has said yes and the proposal waits for someone else
    waiting: bool


def _open_proposals(case: Case) -> list[ConsentProposal]:
    return list(ConsentProposal.objects.filter(case=case, status=ProposalStatus.PROPOSED,
                                               valid_to__gte=clock.today())
                .select_related("case", "proposed_by", "agency").prefetch_related("answers")
                .order_by("-created_at"))


def family_proposals_for(*, access: FamilyAccess) -> list[FamilyProposal]:
    """The open consent proposals on the person's case that the citizen must answer, or has
    accepted while another must still answer; nothing for a proposal the citizen is not among
    those who must consent to (a young person's own health consent is not the guardians').
    Audited."""
    case = family_case(access.person)
    by = answered_by(access)
    rows = []
    for proposal in _open_proposals(case) if case is not None else []:
        mine = proposals.answer_of(proposal, answered_by=by, guardian=access.guardian)
        may = proposals.may_answer(proposal, answered_by=by, guardian=access.guardian)
        if may or (mine is not None and mine.accepted):
            rows.append(FamilyProposal(proposal, may, not may))
    audit_record(action=Action.CONSENT_VIEW, actor=None, obj=case, persons=[access.person],
                 purpose=PURPOSE,
                 details={**access.audit_details(), "view": "proposals", "proposals": len(rows)})
    return rows


def family_proposal_get(*, access: FamilyAccess, proposal_id: uuid.UUID | str
                        ) -> ConsentProposal:
    """One open proposal on the person's current case that the citizen must answer, or
    NotFound (audited, the same whether it exists or not)."""
    case = family_case(access.person)
    proposal = None
    if case is not None:
        proposal = (ConsentProposal.objects.select_related("case__person", "proposed_by",
                                                           "agency")
                    .prefetch_related("answers").filter(case=case, pk=proposal_id).first())
    if proposal is None or not proposals.may_answer(proposal, answered_by=answered_by(access),
                                                    guardian=access.guardian):
        audit_record(action=Action.FAMILY_ACCESS_DENIED, actor=None, outcome=Outcome.DENIED,
                     persons=[access.person], purpose=PURPOSE,
                     details={**access.audit_details(), "view": "consent_proposal",
                              "object_id": str(proposal_id)[:64]})
        raise NotFound()
    audit_record(action=Action.CONSENT_VIEW, actor=None, obj=proposal, persons=[access.person],
                 purpose=PURPOSE, details={**access.audit_details(), "view": "consent_proposal"})
    return proposal


def family_innsyn_for(*, access: FamilyAccess) -> InnsynReport:
    """The person's version of the access report (laget.audit.innsyn: the same lines, log
    indexes and proofs as the report a caseworker makes on request), made by the citizen."""
    return innsyn.innsyn_report(
        actor=None, person=access.person, for_auditor=False,
        requested_by=RequestedBy.PERSON if access.is_self else RequestedBy.GUARDIAN,
        details=access.audit_details(),
    )


# --- rectification and objection (laget.rectification) ------------------------------------------

@dataclass(frozen=True)
class PlanItem:
    """A goal or task of the family's version of the plan a request may point at."""

    key: str
    label: str
    goal: Goal | None = None
    task: Task | None = None


def family_plan_items(*, access: FamilyAccess, case: Case) -> list[PlanItem]:
    """The goals and tasks the family sees in the plan (the same narrowing as the plan page), for
    the request form's choice; the page's read is audited by `family_rectifications_for`."""
    document = _narrowed(plan_document_for_family(case=case), access.person)
    items = []
    for entry in document.goals:
        items.append(PlanItem(f"goal:{entry.goal.pk}", entry.goal.title, goal=entry.goal))
        items += [PlanItem(f"task:{t.pk}", f"{t.agency.name}: {t.title}", goal=entry.goal, task=t)
                  for t in entry.tasks]
    items += [PlanItem(f"task:{t.pk}", f"{t.agency.name}: {t.title}", task=t)
              for t in document.tasks]
    return items


def family_rectifications_for(*, access: FamilyAccess) -> list[RectificationRequest]:
    """The requests made on the family pages for the person, with decisions and reasons."""
    return rectification_selectors.family_requests_for(person=access.person,
                                                       details=access.audit_details())
