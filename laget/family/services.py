"""What a citizen does on the family pages: withdraw a consent. The withdrawal goes through the
sharing engine's own service, so it counts on the very next read by any agency; the case's team
is told through the outbox, with no personal data in the message."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from laget.core.errors import DomainError
from laget.family.selectors import FamilyAccess, may_withdraw
from laget.notify.services import notify_user
from laget.records.models import TeamMember
from laget.sharing.models import Consent, WithdrawnBy
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
    users = {m.user for m in TeamMember.objects.active().filter(case=case).select_related("user")}
    link = reverse("web:case_detail", kwargs={"case_id": case.pk})
    for user in sorted(users, key=lambda u: str(u.pk)):
        notify_user(
            user=user, key=f"family-consent-withdrawn:{consent.pk}:{user.pk}",
            subject=_("Et samtykke er trukket tilbake"),
            body=_("Familien har trukket tilbake et samtykke i en sak du er med i. Deling som "
                   "bygde på samtykket, stopper fra nå. Se saken i Laget."),
            link=link,
        )
    return withdrawn
