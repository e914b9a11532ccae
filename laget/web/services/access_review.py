"""The leader's quarterly access review, recorded: per member «confirmed» or «removed». Removal
ends the member's roles in the agency today (they lose access on their next request) and their
team memberships for the agency with them. In the web layer because it writes accounts and teams
(records) and audits both."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import AccessDecision, AccessReview, AccessReviewLine, Membership, Role
from laget.accounts.services import membership_end
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError
from laget.records.models import TeamMember
from laget.records.services import team_member_end
from laget.web.selectors.access_review import access_review_done, quarter_of


@dataclass(frozen=True)
class Decision:
    decision: AccessDecision | str
    note: str = ""


@transaction.atomic
def member_remove(*, actor: Actor, user_id: int) -> int:
    """End every role the user has in the leader's agency today, and their team memberships for
    it; each end is audited. Returns the number of team memberships ended."""
    assert actor.agency is not None
    agency = actor.agency
    memberships = list(Membership.objects.active().select_for_update()
                       .filter(agency=agency, user_id=user_id))
    if not memberships:
        raise DomainError(_("Personen har ingen aktiv rolle i virksomheten."), code="no_membership")
    for membership in memberships:
        membership_end(membership=membership)
        audit_record(action=Action.MEMBERSHIP_END, actor=actor, obj=membership,
                     purpose=Purpose.TILSYN,
                     details={"member": user_id, "role": membership.role,
                              "via": "access_review"})
    teams = list(TeamMember.objects.active().filter(agency=agency, user_id=user_id)
                 .select_related("case"))
    for member in teams:
        team_member_end(actor=actor, member=member)
    return len(teams)


@transaction.atomic
def access_review_complete(*, actor: Actor, decisions: dict[int, Decision]) -> AccessReview:
    """Record this quarter's review for the leader's agency. Every current member needs a
    decision; a leader cannot remove themselves; a quarter is reviewed once."""
    if actor.agency is None or actor.role != Role.LEADER:
        raise DomainError(_("Bare virksomhetens leder kan gjennomgå tilgangene."),
                          code="not_leader")
    agency = actor.agency
    period = quarter_of(clock.today())
    if access_review_done(agency=agency, period=period) is not None:
        raise DomainError(_("Tilgangene for %(period)s er allerede gjennomgått.")
                          % {"period": period}, code="done")
    members = set(Membership.objects.active().filter(agency=agency)
                  .values_list("user_id", flat=True))
    if set(decisions) != members:
        raise DomainError(_("Velg «bekreft» eller «fjern» for hver medarbeider."),
                          code="incomplete")
    for user_id, choice in decisions.items():
        if choice.decision not in AccessDecision.values:
            raise DomainError(_("Ukjent beslutning."), code="decision")
        if choice.decision == AccessDecision.REMOVED and user_id == actor.user.pk:
            raise DomainError(_("Du kan ikke fjerne din egen tilgang her."), code="self")
    try:
        with transaction.atomic():
            review = AccessReview.objects.create(agency=agency, leader=actor.user, period=period)
    except IntegrityError:
        raise DomainError(_("Tilgangene for %(period)s er allerede gjennomgått.")
                          % {"period": period}, code="done") from None
    AccessReviewLine.objects.bulk_create([
        AccessReviewLine(review=review, member_id=user_id, decision=choice.decision,
                         note=choice.note.strip()[:500])
        for user_id, choice in decisions.items()
    ])
    removed = [uid for uid, c in decisions.items() if c.decision == AccessDecision.REMOVED]
    teams_ended = sum(member_remove(actor=actor, user_id=uid) for uid in removed)
    audit_record(action=Action.ACCESS_REVIEW, actor=actor, obj=review, purpose=Purpose.TILSYN,
                 details={"period": period, "confirmed": len(decisions) - len(removed),
                          "removed": len(removed), "team_memberships_ended": teams_ended})
    return review
