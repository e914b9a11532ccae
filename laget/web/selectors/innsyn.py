"""Who may make a person's access report, and what a team member making it must not learn.

The auditor may make it for anyone. A caseworker or coordinator may make it on the person's or a
guardian's request while they are personally on the team of a case for the person. The report
itself (laget.audit.innsyn) is below the records layer, so the team check lives here.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from laget.accounts.actor import Actor
from laget.accounts.models import Role
from laget.audit import innsyn
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.innsyn import ReportLine
from laget.audit.services import audit_record
from laget.core.errors import NotFound
from laget.people.models import Person
from laget.records.models import Case, TeamMember
from laget.records.vocabulary import AGENCY_TYPE_REVEALS, EXISTENCE_CONFIDENTIAL
from laget.sharing.engine import context_at, decide, load_facts

TEAM_ROLES = frozenset({Role.CASEWORKER, Role.COORDINATOR})
INNSYN_ROLES = TEAM_ROLES | {Role.AUDITOR}
#: A team member's view of who else is involved follows the case page's.
PURPOSE = Purpose.FOREBYGGING


@dataclass(frozen=True)
class InnsynSubject:
    person: Person
    #: the case whose team gives the right to make the report (None for the auditor)
    case: Case | None

    @property
    def by_auditor(self) -> bool:
        return self.case is None


def _team_case(actor: Actor, person_id: uuid.UUID | str) -> Case | None:
    if actor.membership is None or actor.role not in TEAM_ROLES:
        return None
    on_team = TeamMember.objects.active().filter(
        case_id=OuterRef("pk"), user_id=actor.user.pk, agency_id=actor.membership.agency_id)
    return (
        Case.objects.filter(Exists(on_team), person_id=person_id)  # type: ignore[arg-type]
        .select_related("person").order_by("-created_at").first()
    )


def may_make_innsyn(*, actor: Actor | None, person_id: uuid.UUID | str) -> bool:
    """For a link: may the actor make the person's access report?"""
    if actor is None or actor.membership is None:
        return False
    return actor.role == Role.AUDITOR or _team_case(actor, person_id) is not None


def innsyn_subject_for(*, actor: Actor, person_id: uuid.UUID | str) -> InnsynSubject:
    """The person whose report the actor asks for, or NotFound (audited), never confirming that
    the person exists."""
    if actor.role == Role.AUDITOR:
        return InnsynSubject(innsyn.person_get_for_auditor(actor=actor, person_id=person_id),
                             None)
    case = _team_case(actor, person_id)
    if case is None:
        audit_record(action=Action.PERSON_ACCESS_DENIED, actor=actor, outcome=Outcome.DENIED,
                     purpose=Purpose.INNSYN, details={"object_id": str(person_id),
                                                      "view": "innsyn"})
        raise NotFound()
    return InnsynSubject(case.person, case)


def innsyn_form_viewed(*, actor: Actor, subject: InnsynSubject) -> None:
    """Record the read of the person's name and birth date on the report page when no report
    was made (a made report records itself)."""
    audit_record(action=Action.PERSON_VIEW, actor=actor, obj=subject.person,
                 persons=[subject.person], purpose=Purpose.INNSYN if subject.case
                 else Purpose.TILSYN, details={"view": "innsyn"})


def concealment_for(*, actor: Actor,
                    subject: InnsynSubject) -> Callable[[ReportLine], bool] | None:
    """For a team member: a test for the lines that would tell them that barnevern or a health
    service is involved when they have no basis to know (as on the case page's team list). The
    auditor sees everything."""
    case = subject.case
    if case is None or actor.membership is None:
        return None
    own = actor.membership.agency_id
    ctx = context_at()
    facts = load_facts(actor, PURPOSE, {case.pk: subject.person.birth_date}, ctx)[case.pk]
    decided: dict[tuple[uuid.UUID, str], bool] = {}

    def allowed(agency_id: uuid.UUID, agency_type: str, category: str) -> bool:
        key = (agency_id, category)
        if key not in decided:
            decided[key] = decide(actor=actor, purpose=PURPOSE, source_agency_id=agency_id,
                                  source_type=agency_type, category=category, facts=facts,
                                  ctx=ctx).allowed
        return decided[key]

    def hide(line: ReportLine) -> bool:
        if line.agency_id == own:
            return False
        revealed = AGENCY_TYPE_REVEALS.get(line.agency_type)
        if revealed and line.agency_id and not allowed(line.agency_id, line.agency_type,
                                                       revealed):
            return True
        for category in EXISTENCE_CONFIDENTIAL.intersection(line.categories):
            if line.agency_id is None or not allowed(line.agency_id, line.agency_type, category):
                return True
        return False

    return hide
