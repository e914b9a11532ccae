"""Writes to cases and their teams. Every write is atomic and audited; reads of entries belong to
the sharing engine."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType, Membership, Role, User
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError
from laget.people.models import Person
from laget.records.models import Case, CaseMarker, CaseStatus, MarkerKind, TeamMember

CASE_ROLES = frozenset({Role.CASEWORKER, Role.COORDINATOR, Role.LEADER})


def is_district_coordinator(actor: Actor, case_district_id: str) -> bool:
    """A coordinator or leader in the bydel that owns the case."""
    agency = actor.agency
    return bool(
        agency is not None
        and agency.type == AgencyType.BYDEL
        and agency.district_id == case_district_id
        and actor.role in (Role.COORDINATOR, Role.LEADER)
    )


def case_require_open(case: Case) -> None:
    """Refuse to write to a closed case. Called inside the writer's transaction: it locks the case
    row, so a case being closed at the same moment either waits for the write or refuses it."""
    status = (Case.objects.select_for_update(no_key=True).filter(pk=case.pk)
              .values_list("status", flat=True).first())
    if status is None or status == CaseStatus.CLOSED:
        raise DomainError(_("Saken er avsluttet og kan bare leses."), code="closed")


@transaction.atomic
def case_open(*, actor: Actor, person: Person) -> Case:
    """Open a SaLTo case for a person in the actor's bydel, in assessment; the coordinator joins
    its team. (laget.cases.services.case_open also starts the case's status history.)"""
    if not is_district_coordinator(actor, person.district_id):
        raise DomainError(_("Bare SaLTo-koordinatoren i personens bydel kan åpne en sak."),
                          code="not_coordinator")
    age = person.age_on(clock.today())
    if not settings.LAGET_SALTO_MIN_AGE <= age <= settings.LAGET_SALTO_MAX_AGE:
        raise DomainError(
            _("Personen er %(age)s år; SaLTo gjelder %(min)s–%(max)s år.")
            % {"age": age, "min": settings.LAGET_SALTO_MIN_AGE,
               "max": settings.LAGET_SALTO_MAX_AGE},
            code="age",
        )
    if Case.objects.filter(person=person).open().exists():
        raise DomainError(_("Personen har allerede en åpen sak."), code="duplicate")
    assert actor.agency is not None
    case = Case.objects.create(person=person, district_id=person.district_id,
                               status=CaseStatus.ASSESSMENT, opened_by=actor.user)
    TeamMember.objects.create(
        case=case, user=actor.user, agency=actor.agency, team_role=_("SaLTo-koordinator"),
        added_by=actor.user, is_contact=True,
    )
    audit_record(action=Action.CASE_OPEN, actor=actor, obj=case, persons=[person.pk],
                 purpose=Purpose.FOREBYGGING)
    return case


def _active_membership(user: User, agency: Agency, day: dt.date) -> Membership | None:
    return (
        Membership.objects.active(day)
        .filter(user=user, agency=agency, role__in=CASE_ROLES)
        .first()
    )


@transaction.atomic
def team_member_add(
    *, actor: Actor, case: Case, user: User, agency: Agency, team_role: str = "",
    joined_on: dt.date | None = None, is_contact: bool = False,
) -> TeamMember:
    """Add a named person to the team: by the case's coordinator, or by the leader of the person's
    own agency. The person must work in a case role for that agency. Each agency on the team has
    one named contact person: the first member from an agency is it, and `is_contact` moves the
    role to the new member."""
    day = joined_on or clock.today()
    by_leader = actor.agency == agency and actor.role == Role.LEADER
    if not (is_district_coordinator(actor, case.district_id) or by_leader):
        raise DomainError(
            _("Bare sakens koordinator eller lederen i personens egen virksomhet kan legge til "
              "teammedlemmer."), code="not_allowed")
    case_require_open(case)
    if _active_membership(user, agency, day) is None:
        raise DomainError(_("Personen har ingen aktiv saksrolle i denne virksomheten."),
                          code="no_membership")
    if TeamMember.objects.active(day).filter(case=case, user=user, agency=agency).exists():
        raise DomainError(_("Personen er allerede med i teamet."), code="duplicate")
    contacts = TeamMember.objects.active(day).filter(case=case, agency=agency, is_contact=True)
    if is_contact:
        contacts.update(is_contact=False, updated_at=clock.now())
    else:
        is_contact = not contacts.exists()
    member = TeamMember.objects.create(
        case=case, user=user, agency=agency, team_role=team_role.strip(), joined_on=day,
        added_by=actor.user, is_contact=is_contact,
    )
    audit_record(action=Action.TEAM_MEMBER_ADD, actor=actor, obj=member, persons=[case.person_id],
                 purpose=Purpose.FOREBYGGING, details={"agency_type": agency.type})
    return member


@transaction.atomic
def team_member_end(*, actor: Actor, member: TeamMember, left_on: dt.date | None = None) -> None:
    """End a person's team membership; their access through the team ends that day."""
    day = left_on or clock.today()
    case = member.case
    by_leader = actor.agency == member.agency and actor.role == Role.LEADER
    by_self = actor.user == member.user
    if not (is_district_coordinator(actor, case.district_id) or by_leader or by_self):
        raise DomainError(_("Du kan ikke avslutte dette medlemskapet."), code="not_allowed")
    if member.left_on is not None and member.left_on <= day:
        raise DomainError(_("Medlemskapet er allerede avsluttet."), code="ended")
    member.left_on = max(day, member.joined_on)
    member.updated_at = clock.now()
    member.save(update_fields=["left_on", "updated_at"])
    audit_record(action=Action.TEAM_MEMBER_END, actor=actor, obj=member, persons=[case.person_id],
                 purpose=Purpose.FOREBYGGING)


@transaction.atomic
def case_marker_add(
    *, actor: Actor, case: Case, kind: str, programme: str = "", valid_from: dt.date | None = None
) -> CaseMarker:
    """Enrol a case in a programme or open a weapon trigger (rules may depend on both)."""
    if not is_district_coordinator(actor, case.district_id) and not (
        kind == MarkerKind.WEAPON_TRIGGER and actor.agency is not None
        and actor.agency.type == AgencyType.POLITI and actor.role in CASE_ROLES
    ):
        raise DomainError(_("Du kan ikke sette dette merket på saken."), code="not_allowed")
    case_require_open(case)
    if kind == MarkerKind.WEAPON_TRIGGER:
        programme = ""
    elif not programme:
        raise DomainError(_("Velg et program."), code="programme")
    marker = CaseMarker.objects.create(
        case=case, kind=kind, programme=programme, valid_from=valid_from or clock.today()
    )
    audit_record(action=Action.CASE_MARKER_ADD, actor=actor, obj=marker, persons=[case.person_id],
                 purpose=Purpose.FOREBYGGING, details={"kind": kind, "programme": programme})
    return marker


@transaction.atomic
def case_marker_end(*, actor: Actor, marker: CaseMarker, valid_to: dt.date | None = None) -> None:
    case = marker.case
    if not is_district_coordinator(actor, case.district_id):
        raise DomainError(_("Bare sakens koordinator kan avslutte merket."), code="not_allowed")
    marker.valid_to = max(valid_to or clock.today(), marker.valid_from)
    marker.updated_at = clock.now()
    marker.save(update_fields=["valid_to", "updated_at"])
    audit_record(action=Action.CASE_MARKER_END, actor=actor, obj=marker, persons=[case.person_id],
                 purpose=Purpose.FOREBYGGING)
