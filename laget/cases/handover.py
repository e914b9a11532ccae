"""Handing a case over to another bydel when the person moves. The case, the person's registered
bydel and the coordinator's seat move in one transaction; every other team member is asked whether
they stay (answering "no" ends their membership and the access it gave)."""

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType, Membership, Role, User
from laget.areas.models import District
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.models import Handover, HandoverConfirmation
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.notify.services import notify_user
from laget.records.models import Case, TeamMember
from laget.records.services import case_require_open, is_district_coordinator

NOTE_MAX_LENGTH = 5000
COORDINATOR_ROLES = (Role.COORDINATOR, Role.LEADER)


def receiving_coordinators(*, district: District) -> list[tuple[User, Agency]]:
    """The coordinators (and leaders) of a bydel's agency who can take a case over today."""
    memberships = (Membership.objects.active(clock.today())
                   .filter(agency__type=AgencyType.BYDEL, agency__district=district,
                           role__in=COORDINATOR_ROLES, user__is_active=True)
                   .select_related("user", "agency")
                   .order_by("role", "user__last_name", "user__first_name"))
    seen: dict[int, tuple[User, Agency]] = {}
    for m in memberships:
        seen.setdefault(m.user_id, (m.user, m.agency))
    return list(seen.values())


def handover_question_get_for(*, actor: Actor, case: Case,
                              confirmation_id: uuid.UUID) -> HandoverConfirmation:
    """A "do you stay?" question of the case, for the member asked or the case's coordinator."""
    question = (HandoverConfirmation.objects.select_related("member")
                .filter(pk=confirmation_id, handover__case=case).first())
    if question is None or not (
            is_district_coordinator(actor, case.district_id)
            or (question.member.user_id == actor.user.pk and actor.membership is not None
                and question.member.agency_id == actor.membership.agency_id)):
        raise NotFound()
    return question


@transaction.atomic
def case_handover(*, actor: Actor, case: Case, to_district: District, to_coordinator: User,
                  note: str) -> Handover:
    """Hand the case over to `to_coordinator` in `to_district` with a handover note."""
    if not is_district_coordinator(actor, case.district_id):
        raise DomainError(_("Bare SaLTo-koordinatoren i sakens bydel kan overføre saken."),
                          code="not_coordinator")
    case_require_open(case)
    locked = Case.objects.select_for_update(no_key=True).select_related("person").get(pk=case.pk)
    if locked.district_id != case.district_id:
        raise DomainError(_("Saken er allerede overført."), code="stale")
    if to_district.pk == locked.district_id:
        raise DomainError(_("Velg en annen bydel enn sakens nåværende."), code="same_district")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Skriv et overføringsnotat til den nye koordinatoren."), code="note")
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(_("Notatet kan være høyst %(n)s tegn.") % {"n": NOTE_MAX_LENGTH},
                          code="note")
    receiving = dict((u.pk, a) for u, a in receiving_coordinators(district=to_district))
    agency = receiving.get(to_coordinator.pk)
    if agency is None:
        raise DomainError(_("Personen er ikke SaLTo-koordinator eller leder i den nye bydelen."),
                          code="not_receiving_coordinator")
    from_district_id = locked.district_id
    now = clock.now()
    handover = Handover.objects.create(
        case=locked, from_district_id=from_district_id, to_district=to_district,
        to_coordinator=to_coordinator, note=note, handed_over_by=actor.user, handed_over_at=now)
    staying = list(TeamMember.objects.active().filter(case=locked).exclude(user=to_coordinator))
    HandoverConfirmation.objects.bulk_create(
        HandoverConfirmation(handover=handover, member=m) for m in staying)
    if not TeamMember.objects.active().filter(case=locked, user=to_coordinator,
                                              agency=agency).exists():
        TeamMember.objects.filter(case=locked, agency=agency, is_contact=True).update(
            is_contact=False)
        member = TeamMember.objects.create(case=locked, user=to_coordinator, agency=agency,
                                           team_role=_("SaLTo-koordinator"), is_contact=True,
                                           added_by=actor.user)
        audit_record(action=Action.TEAM_MEMBER_ADD, actor=actor, obj=member,
                     persons=[locked.person_id], purpose=Purpose.FOREBYGGING,
                     details={"agency_type": agency.type, "handover": str(handover.pk)})
    locked.district = to_district
    locked.updated_at = now
    locked.save(update_fields=["district", "updated_at"])
    person = locked.person
    person.district = to_district
    person.subdistrict = None
    person.updated_at = now
    person.save(update_fields=["district", "subdistrict", "updated_at"])
    # The note is free text: it stays with the handover, not in the log.
    audit_record(action=Action.CASE_HANDOVER, actor=actor, obj=locked, persons=[person.pk],
                 purpose=Purpose.FOREBYGGING,
                 details={"from": from_district_id, "to": to_district.pk,
                          "handover": str(handover.pk), "asked": len(staying)})
    _notify_handover(handover, locked, staying)
    case.district, case.updated_at = to_district, now
    return handover


def _notify_handover(handover: Handover, case: Case, asked: list[TeamMember]) -> None:
    """Tell the new coordinator and everyone asked to confirm; through the outbox, so nothing is
    sent unless the handover commits. No names in the text, only the link."""
    link = f"/saker/{case.pk}/"
    notify_user(user=handover.to_coordinator, key=f"handover:{handover.pk}:to",
                subject=_("En SaLTo-sak er overført til deg"),
                body=_("En sak er overført til deg fra en annen bydel, med et overføringsnotat. "
                       "Åpne saken i Laget for å lese det."), link=link)
    for member in asked:
        notify_user(user=member.user, key=f"handover:{handover.pk}:ask:{member.pk}",
                    subject=_("Blir du med videre i teamet?"),
                    body=_("En sak du er med i er overført til en annen bydel. Svar i Laget om "
                           "du blir med videre i teamet."), link=link)


@transaction.atomic
def handover_confirm(*, actor: Actor, confirmation: HandoverConfirmation, stays: bool
                     ) -> HandoverConfirmation:
    """A team member answers whether they stay on the team after a handover; the new bydel's
    coordinator may answer for them. Leaving ends the membership today."""
    locked = (HandoverConfirmation.objects.select_for_update()
              .select_related("member", "member__case", "handover").get(pk=confirmation.pk))
    member, case = locked.member, locked.member.case
    own = actor.user.pk == member.user_id and actor.membership is not None \
        and actor.membership.agency_id == member.agency_id
    if not (own or is_district_coordinator(actor, case.district_id)):
        raise DomainError(_("Du kan ikke svare for dette teammedlemmet."), code="not_allowed")
    if locked.answered_at is not None:
        raise DomainError(_("Spørsmålet er allerede besvart."), code="answered")
    case_require_open(case)
    now = clock.now()
    locked.stays, locked.answered_at, locked.updated_at = stays, now, now
    locked.save(update_fields=["stays", "answered_at", "updated_at"])
    audit_record(action=Action.CASE_HANDOVER_CONFIRM, actor=actor, obj=locked,
                 persons=[case.person_id], purpose=Purpose.FOREBYGGING,
                 details={"stays": stays, "handover": str(locked.handover_id)})
    if not stays and (member.left_on is None or member.left_on > clock.today()):
        member.left_on = max(clock.today(), member.joined_on)
        member.updated_at = now
        member.save(update_fields=["left_on", "updated_at"])
        audit_record(action=Action.TEAM_MEMBER_END, actor=actor, obj=member,
                     persons=[case.person_id], purpose=Purpose.FOREBYGGING,
                     details={"handover": str(locked.handover_id)})
    confirmation.stays, confirmation.answered_at = locked.stays, locked.answered_at
    return locked
