"""What a citizen does on the family pages: withdraw a consent, answer a consent proposal
the coordinator prepared, and ask for a correction or object (laget.rectification). Consents go
through the sharing engine's own services, so they count on the very next read by any agency; the
case's team is told through the outbox, with no personal data in the message."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from laget.accounts.models import User
from laget.core.errors import DomainError
from laget.family.selectors import (
    FamilyAccess,
    answered_by,
    family_case,
    family_plan_items,
    may_withdraw,
)
from laget.notify.services import notify_user
from laget.records.models import Case, TeamMember
from laget.rectification.models import RectificationRequest, RequestedBy
from laget.rectification.services import request_register_family
from laget.sharing.models import Consent, ConsentProposal, ProposalStatus, WithdrawnBy
from laget.sharing.proposals import consent_proposal_answer
from laget.sharing.services import consent_withdraw


@transaction.atomic
def family_consent_withdraw(*, access: FamilyAccess, consent: Consent) -> Consent:
    """Withdraw the consent for the citizen (checked again under the row lock in
    consent_withdraw) and tell every current team member of the case."""
    if not may_withdraw(access, consent):
        raise DomainError(_("Du kan ikke trekke tilbake dette samtykket her."), code="forbidden")
    withdrawn = consent_withdraw(
        actor=None, consent=consent,
        withdrawn_by=WithdrawnBy.YOUTH if access.is_self else WithdrawnBy.GUARDIAN,
        details=access.audit_details(),
    )
    case = consent.case
    # Staff read Laget in bokmål; the citizen may be reading the family pages in another language.
    with translation.override(settings.LANGUAGE_CODE):
        for user in _team_users(case):
            notify_user(
                user=user, key=f"family-consent-withdrawn:{consent.pk}:{user.pk}",
                subject=_("Et samtykke er trukket tilbake"),
                body=_("Familien har trukket tilbake et samtykke i en sak du er med i. Deling "
                       "som bygde på samtykket, stopper fra nå. Se saken i Laget."),
                link=reverse("web:case_detail", kwargs={"case_id": case.pk}),
            )
    return withdrawn


def _team_users(case: Case) -> list[User]:
    users = {m.user for m in TeamMember.objects.active().filter(case=case).select_related("user")}
    return sorted(users, key=lambda u: str(u.pk))


@transaction.atomic
def family_consent_proposal_answer(*, access: FamilyAccess, proposal: ConsentProposal,
                                   accepted: bool) -> ConsentProposal:
    """The citizen's yes or no to a consent proposal (checked again under the proposal's row
    lock in consent_proposal_answer). When the consent comes into force every current team
    member is told; a «no» is told to the coordinator who made the proposal."""
    answered = consent_proposal_answer(
        proposal=proposal, accepted=accepted, answered_by=answered_by(access),
        guardian=access.guardian, details=access.audit_details(),
    )
    case = answered.case
    link = reverse("web:consent_list", kwargs={"case_id": case.pk})
    with translation.override(settings.LANGUAGE_CODE):  # staff notices: see above
        if answered.status == ProposalStatus.ACCEPTED:
            for user in _team_users(case):
                notify_user(
                    user=user, key=f"family-consent-given:{answered.pk}:{user.pk}",
                    subject=_("Et nytt samtykke gjelder"),
                    body=_("Familien har gitt et samtykke digitalt i en sak du er med i. Det "
                           "gjelder fra nå. Se samtykkene i saken i Laget."),
                    link=link,
                )
        elif answered.status == ProposalStatus.DECLINED:
            notify_user(
                user=answered.proposed_by, key=f"family-consent-declined:{answered.pk}",
                subject=_("Et samtykkeforslag er avslått"),
                body=_("Familien har svart nei til et samtykkeforslag du laget. Se samtykkene i "
                       "saken i Laget."),
                link=link,
            )
    return answered


@transaction.atomic
def family_rectification_request(*, access: FamilyAccess, kind: str, what_is_wrong: str,
                                 should_say: str, item: str) -> RectificationRequest:
    """The citizen asks for a correction (or objects) about the person's case. The family sees
    the plan, not the agencies' entries, so the request names the case, says freely what is
    wrong and may point at a goal or task the family sees; the responsible agency (the task's,
    else the case's bydel) decides, and its team members are told (laget.rectification)."""
    case = family_case(access.person)
    if case is None:
        raise DomainError(_("Det er ingen sak her å be om retting i. Ta kontakt med bydelen."),
                          code="no_case")
    chosen = None
    if item:
        chosen = next((i for i in family_plan_items(access=access, case=case) if i.key == item),
                      None)
        if chosen is None:
            raise DomainError(_("Velg et punkt fra planen, eller ingen."), code="item")
    return request_register_family(
        case=case, kind=kind, what_is_wrong=what_is_wrong, should_say=should_say,
        requested_by=RequestedBy.SELF if access.is_self else RequestedBy.GUARDIAN,
        guardian=access.guardian,
        task=chosen.task if chosen else None,
        goal=chosen.goal if chosen and chosen.task is None else None,
        details=access.audit_details(),
    )
