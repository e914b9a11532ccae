"""May the referrer tell a programme's provider about a guardian? The sharing engine's
`disclosure_basis` answers "may agency type X disclose category C to recipient type R for this
case, by rule or by a live consent" (the pathways referrals use it too). A parent-support referral
discloses the guardian's own name, contact and family situation, so where the basis is a consent
this module also asks that the guardian is among those who gave it."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from laget.core.errors import DomainError
from laget.people.models import Guardian
from laget.records.models import Case
from laget.sharing import engine
from laget.sharing.models import Consent

#: what a referral tells the provider about the guardian: who they are and how to reach them
#: (identitet), and that the family is referred for parent support (familie)
REFERRAL_CATEGORIES = ("identitet", "familie")


@dataclass(frozen=True)
class Basis:
    kind: str  # "rule" or "consent"
    ref: str  # the rules' ids or the consents' ids, comma-separated


def disclosure_basis(*, case: Case, guardian: Guardian, source_type: str, recipient_type: str,
                     purpose: str, categories: tuple[str, ...] = REFERRAL_CATEGORIES) -> Basis:
    """The basis for telling an agency of `recipient_type` about `guardian` in every one of
    `categories`, or a DomainError that says what is missing."""
    found = engine.disclosure_basis(
        source_type=source_type, recipient_type=recipient_type, case_id=case.pk,
        birth_date=case.person.birth_date, categories=categories, purpose=purpose)
    consent_ids = {b.consent_id for b in found if b.allowed and b.consent_id is not None}
    given_by_guardian = set(Consent.objects.filter(pk__in=consent_ids, guardians=guardian)
                            .values_list("pk", flat=True))
    if found and all(b.allowed and (b.consent_id is None or b.consent_id in given_by_guardian)
                     for b in found):
        if consent_ids:
            return Basis("consent", ",".join(sorted(str(pk) for pk in consent_ids)))
        return Basis("rule", ",".join(sorted({b.rule.rule_id for b in found if b.rule})))
    raise DomainError(
        _("Det er ikke registrert noe samtykke fra den foresatte som dekker å gi tilbyderen "
          "navn, kontaktopplysninger og henvisningen (kategoriene identitet og familie). "
          "Registrer samtykket på saken først."), code="no_basis")
