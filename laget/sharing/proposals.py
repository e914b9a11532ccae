"""Consent proposals: the case's bydel coordinator prepares a consent — the same terms as one
registered on paper — and those who must give it answer on the family pages (laget.family).

Why a proposal and not a consent: a consent the family gives digitally must say exactly what
they agreed to, and where both guardians must consent it exists only when the last of them has
said yes. So each answer is kept (`ConsentProposalAnswer`), a single «no» declines the proposal,
and the consent is registered through `services.consent_register` (method «digital», no staff
actor, the citizens named in the audit details) in the same transaction as the last acceptance.
Who the citizen is and whether they may see the person is laget.family's to check; this module
checks that they are among those who must consent and have not answered yet.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.people.models import Guardian
from laget.records.models import Case
from laget.records.services import case_require_open, is_district_coordinator
from laget.sharing.models import (
    ConsentGivenBy,
    ConsentMethod,
    ConsentProposal,
    ConsentProposalAnswer,
    ProposalStatus,
    WithdrawnBy,
)
from laget.sharing.services import consent_register, consent_terms_check

GUARDIAN = WithdrawnBy.GUARDIAN.value
YOUTH = WithdrawnBy.YOUTH.value


def _require_coordinator(actor: Actor, case: Case) -> None:
    if not is_district_coordinator(actor, case.district_id):
        raise DomainError(_("Bare SaLTo-koordinatoren i sakens bydel kan foreslå samtykke."),
                          code="not_coordinator")


def guardians_must_consent(proposal: ConsentProposal) -> bool:
    return proposal.given_by in (ConsentGivenBy.GUARDIAN, ConsentGivenBy.BOTH)


def youth_must_consent(proposal: ConsentProposal) -> bool:
    return proposal.given_by in (ConsentGivenBy.YOUTH, ConsentGivenBy.BOTH)


def responsible_guardians(case: Case) -> list[Guardian]:
    """The guardians who must consent where guardians do: everyone with parental
    responsibility (consent_register checks the same)."""
    return list(Guardian.objects.filter(person_id=case.person_id, parental_responsibility=True)
                .order_by("family_name", "given_name", "pk"))


def is_open(proposal: ConsentProposal) -> bool:
    return proposal.status == ProposalStatus.PROPOSED and proposal.valid_to >= clock.today()


@transaction.atomic
def consent_propose(
    *, actor: Actor, case: Case, given_by: str, categories: Sequence[str],
    recipients: Sequence[str], purposes: Sequence[str], valid_from: dt.date, valid_to: dt.date,
    youth_view: str = "",
) -> ConsentProposal:
    """Prepare a consent for the family to give digitally. The terms pass the same checks as a
    registered consent, so what the family accepts can be registered as it stands."""
    _require_coordinator(actor, case)
    assert actor.membership is not None
    case_require_open(case)
    terms = consent_terms_check(
        case=case, given_by=given_by, categories=categories, recipients=recipients,
        purposes=purposes, valid_from=valid_from, valid_to=valid_to, youth_view=youth_view)
    if given_by in (ConsentGivenBy.GUARDIAN, ConsentGivenBy.BOTH) and not responsible_guardians(
            case):
        raise DomainError(_("Personen har ingen registrerte foresatte med foreldreansvar."),
                          code="guardians")
    proposal = ConsentProposal.objects.create(
        case=case, given_by=given_by, categories=terms.categories, recipients=terms.recipients,
        purposes=terms.purposes, valid_from=valid_from, valid_to=valid_to,
        youth_view=youth_view.strip(), proposed_by=actor.user, agency=actor.membership.agency,
    )
    audit_record(action=Action.CONSENT_PROPOSE, actor=actor, obj=proposal,
                 persons=[case.person_id], purpose=Purpose.OPPFOLGING,
                 details={"categories": terms.categories, "recipients": terms.recipients,
                          "purposes": terms.purposes, "given_by": given_by})
    return proposal


def consent_proposals_for(*, actor: Actor, case: Case) -> list[ConsentProposal]:
    """The case's proposals with their answers, for the case's bydel coordinator (who makes
    them); no one else on the team sees a proposal — they see the consent once it is given.
    Nothing from the entries is read, and the consent page's read is audited already."""
    if not is_district_coordinator(actor, case.district_id):
        return []
    return list(ConsentProposal.objects.filter(case=case)
                .select_related("proposed_by", "consent")
                .prefetch_related("answers__guardian").order_by("-created_at"))


def consent_proposal_get_for(*, actor: Actor, case: Case,
                             proposal_id: uuid.UUID | str) -> ConsentProposal:
    proposal = (ConsentProposal.objects.filter(case=case, pk=proposal_id)
                .select_related("case__person").first())
    if proposal is None or not is_district_coordinator(actor, case.district_id):
        audit_record(action=Action.CASE_ACCESS_DENIED, actor=actor, outcome=Outcome.DENIED,
                     persons=[case.person_id], purpose=Purpose.OPPFOLGING,
                     details={"object_id": str(proposal_id)[:64], "view": "consent_proposal"})
        raise NotFound()
    return proposal


@transaction.atomic
def consent_proposal_withdraw(*, actor: Actor, proposal: ConsentProposal) -> ConsentProposal:
    """The coordinator takes back a proposal nobody has finished answering."""
    _require_coordinator(actor, proposal.case)
    locked = ConsentProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.PROPOSED:
        raise DomainError(_("Forslaget er allerede besvart eller trukket."), code="closed")
    locked.status = ProposalStatus.WITHDRAWN
    locked.closed_at = locked.updated_at = clock.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(action=Action.CONSENT_PROPOSAL_WITHDRAW, actor=actor, obj=locked,
                 persons=[proposal.case.person_id], purpose=Purpose.OPPFOLGING)
    return locked


def answer_of(proposal: ConsentProposal, *, answered_by: str,
              guardian: Guardian | None) -> ConsentProposalAnswer | None:
    """The citizen's own answer to the proposal, if they have given one."""
    answers = proposal.answers.all()
    if answered_by == YOUTH:
        return next((a for a in answers if a.answered_by == YOUTH), None)
    return next((a for a in answers
                 if guardian is not None and a.guardian_id == guardian.pk), None)


def may_answer(proposal: ConsentProposal, *, answered_by: str,
               guardian: Guardian | None) -> bool:
    """Whether this citizen must answer the open proposal and has not yet."""
    if not is_open(proposal):
        return False
    if answered_by == YOUTH:
        needed = youth_must_consent(proposal)
    else:
        needed = (guardians_must_consent(proposal) and guardian is not None
                  and guardian.parental_responsibility
                  and guardian.person_id == proposal.case.person_id)
    return needed and answer_of(proposal, answered_by=answered_by, guardian=guardian) is None


@transaction.atomic
def consent_proposal_answer(
    *, proposal: ConsentProposal, accepted: bool, answered_by: str,
    guardian: Guardian | None, details: dict[str, Any],
) -> ConsentProposal:
    """Record a guardian's or the young person's answer (laget.family has checked who they
    are; `details` name them for the audit events). A «no» declines the proposal; the last «yes»
    registers the consent. Checked again under the proposal's row lock, so two guardians
    answering at the same moment cannot both be the last."""
    if answered_by not in (GUARDIAN, YOUTH) or (answered_by == GUARDIAN) != (guardian is not None):
        raise DomainError(_("Oppgi hvem som svarer."), code="answered_by")
    locked = (ConsentProposal.objects.select_for_update().select_related("case__person")
              .get(pk=proposal.pk))
    if not may_answer(locked, answered_by=answered_by, guardian=guardian):
        raise DomainError(_("Du kan ikke svare på dette forslaget."), code="forbidden")
    case = locked.case
    ConsentProposalAnswer.objects.create(proposal=locked, answered_by=answered_by,
                                         guardian=guardian, accepted=accepted)
    audit_record(action=Action.CONSENT_PROPOSAL_ANSWER, actor=None, obj=locked,
                 persons=[case.person_id], purpose=Purpose.OPPFOLGING,
                 details={**details, "accepted": accepted})
    now = clock.now()
    if not accepted:
        locked.status, locked.closed_at, locked.updated_at = ProposalStatus.DECLINED, now, now
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        return locked
    answers = list(ConsentProposalAnswer.objects.filter(proposal=locked, accepted=True))
    accepted_guardians = {a.guardian_id for a in answers if a.guardian_id is not None}
    if guardians_must_consent(locked) and not (
            {g.pk for g in responsible_guardians(case)} <= accepted_guardians):
        return locked  # waiting for the other guardian
    if youth_must_consent(locked) and not any(a.answered_by == YOUTH for a in answers):
        return locked  # waiting for the young person
    consent = consent_register(
        actor=None, case=case, given_by=locked.given_by,
        guardian_ids=sorted(accepted_guardians, key=str) if guardians_must_consent(locked)
        else [],
        method=ConsentMethod.DIGITAL, categories=locked.categories,
        recipients=locked.recipients, purposes=locked.purposes, valid_from=locked.valid_from,
        valid_to=locked.valid_to, youth_view=locked.youth_view,
        details={**details, "proposal": str(locked.pk),
                 "accepted_by": [str(a.guardian_id) if a.guardian_id else YOUTH
                                 for a in answers]},
        prepared_by=(locked.proposed_by, locked.agency),
    )
    locked.status, locked.consent = ProposalStatus.ACCEPTED, consent
    locked.closed_at = locked.updated_at = now
    locked.save(update_fields=["status", "consent", "closed_at", "updated_at"])
    return locked
