"""Reads of the catalogue and of referrals.

The catalogue holds no personal data and is not audited. A provider's read of a referral is: the
provider sees only what the referral disclosed — name, age, contact, language and the referral
text — and only while the sharing engine still finds a basis for it (a withdrawn consent hides
the person again); each read is audited with that basis. The case's team reads its referrals with
the case (their status and attendance are the case's own follow-up)."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.audit.actions import Action
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import NotFound
from laget.pathways import access
from laget.pathways.models import Attendance, Offer, Referral
from laget.pathways.plan import outcome_text
from laget.pathways.services import REFERRAL_CATEGORIES, REFERRAL_PURPOSE, basis_summary
from laget.people.models import AddressProtection, Guardian
from laget.records.models import Case
from laget.sharing.engine import (
    Context,
    LiveGrant,
    context_at,
    disclosure_basis,
    live_consent_grants,
)

# --- the catalogue -------------------------------------------------------------------------------


def offer_list(*, kind: str = "", district: str = "", age: int | None = None,
               language: str = "", include_inactive: bool = False) -> QuerySet[Offer]:
    """The catalogue filtered; a city-wide offer (no bydel) is in every bydel's list."""
    offers = Offer.objects.select_related("provider", "district", "subdistrict")
    if not include_inactive:
        offers = offers.filter(active=True)
    if kind:
        offers = offers.filter(kind=kind)
    if district:
        offers = offers.filter(Q(district_id=district) | Q(district__isnull=True))
    if age is not None:
        offers = offers.filter(age_min__lte=age, age_max__gte=age)
    if language:
        offers = offers.filter(languages__contains=[language])
    return offers.order_by("name")


def offer_get(*, offer_id: uuid.UUID) -> Offer:
    offer = Offer.objects.select_related("provider", "district", "subdistrict").filter(
        pk=offer_id).first()
    if offer is None:
        raise NotFound(_("Fant ikke tilbudet."))
    return offer


def offers_for_provider(*, actor: Actor) -> QuerySet[Offer]:
    if actor.membership is None:
        return Offer.objects.none()
    return Offer.objects.filter(provider_id=actor.membership.agency_id).order_by("name")


def offers_for_case(*, case: Case) -> list[Offer]:
    """Active offers that fit the young person's age, in the case's bydel or city-wide."""
    age = case.person.age_on(clock.today())
    return list(offer_list(district=case.district_id, age=age).select_related("provider"))


# --- referrals: the provider's side --------------------------------------------------------------

@dataclass(frozen=True)
class ProviderRow:
    """A referral in the provider's list: who (if the basis still holds), where, status."""

    referral: Referral
    name: str
    age: int | None


def _disclosed(referral: Referral, *, grants: list[LiveGrant] | None = None,
               ctx: Context | None = None) -> bool:
    bases = disclosure_basis(
        source_type=referral.referring_agency.type, recipient_type=referral.offer.provider.type,
        case_id=referral.case_id, birth_date=referral.person.birth_date,
        categories=REFERRAL_CATEGORIES, purpose=REFERRAL_PURPOSE, ctx=ctx, grants=grants)
    return all(b.allowed for b in bases)


def referrals_for_provider(*, actor: Actor) -> list[ProviderRow]:
    """The referrals to the actor's agency's offers, newest first; audited as one read."""
    if actor.membership is None or not access.may_provide(actor):
        return []
    referrals = list(
        Referral.objects.filter(offer__provider_id=actor.membership.agency_id)
        .select_related("offer__provider", "person", "referring_agency"))
    today = clock.today()
    # the consents of all the referrals' cases in one query (they go to the actor's agency)
    ctx = context_at()
    grants = live_consent_grants(case_ids={r.case_id for r in referrals},
                                 recipient_type=actor.membership.agency.type,
                                 purpose=REFERRAL_PURPOSE, ctx=ctx)
    rows = []
    for referral in referrals:
        shown = _disclosed(referral, grants=grants.get(referral.case_id, []), ctx=ctx)
        rows.append(ProviderRow(
            referral, referral.person.full_name if shown else _("(samtykket gjelder ikke lenger)"),
            referral.person.age_on(today) if shown else None))
    persons = [r.referral.person_id for r in rows if r.age is not None]
    if persons:
        audit_record(action=Action.PATHWAYS_REFERRAL_VIEW, actor=actor, persons=persons,
                     purpose=REFERRAL_PURPOSE, details={"view": "provider_list"})
    return rows


@dataclass(frozen=True)
class Contact:
    name: str
    relation: str
    phone: str
    email: str


@dataclass(frozen=True)
class ProviderView:
    """Everything the provider may see of a referral, and nothing else: no case, no team, no
    entries, no birth date or number."""

    referral: Referral
    disclosed: bool
    name: str = ""
    age: int | None = None
    language: str = ""
    interpreter: str = ""
    contacts: list[Contact] = field(default_factory=list)
    contact_note: str = ""
    text: str = ""
    attendance: list[Attendance] = field(default_factory=list)


def _contacts(referral: Referral, today: dt.date) -> tuple[list[Contact], str]:
    """The young person has no contact details in Laget; a minor's guardians with parental
    responsibility are the contact, unless contact is restricted or an address is protected."""
    person = referral.person
    if person.address_protection != AddressProtection.NONE:
        return [], _("Kontakt går gjennom henviseren.")
    if person.age_on(today) >= 18:
        return [], _("Laget har ingen kontaktinformasjon for personen. Kontakt henviseren.")
    guardians = Guardian.objects.filter(
        person=person, parental_responsibility=True, restricted_contact=False,
        address_protection=AddressProtection.NONE).order_by("family_name", "given_name")
    contacts = [Contact(f"{g.given_name} {g.family_name}", g.get_relation_display(), g.phone,
                        g.email) for g in guardians if g.phone or g.email]
    if not contacts:
        return [], _("Laget har ingen kontaktinformasjon for personen. Kontakt henviseren.")
    return contacts, ""


def referral_get_for_provider(*, actor: Actor, referral_id: uuid.UUID) -> ProviderView:
    """The provider's view of one referral (audited with its basis), or NotFound for anyone who
    is not the offer's provider."""
    referral = (Referral.objects.select_related("offer__provider", "person", "referring_agency")
                .filter(pk=referral_id).first())
    if referral is None or not access.is_provider_of(actor, referral.offer.provider_id):
        raise NotFound(_("Fant ikke henvisningen."))
    attendance = list(referral.attendance.all())
    if not _disclosed(referral):
        return ProviderView(referral, False, attendance=attendance)
    person, today = referral.person, clock.today()
    contacts, note = _contacts(referral, today)
    audit_record(action=Action.PATHWAYS_REFERRAL_VIEW, actor=actor, obj=referral,
                 persons=[person.pk], purpose=REFERRAL_PURPOSE, basis=basis_summary(referral),
                 details={"view": "provider"})
    return ProviderView(
        referral, True, name=person.full_name, age=person.age_on(today),
        language=person.get_preferred_language_display(),
        interpreter=(person.get_interpreter_language_display() or _("ja"))
        if person.interpreter_needed else "",
        contacts=contacts, contact_note=note, text=referral.text, attendance=attendance)


# --- referrals: the case's side ------------------------------------------------------------------

@dataclass(frozen=True)
class CaseReferral:
    referral: Referral
    outcome: str


def referrals_for_case(*, actor: Actor, case: Case) -> list[CaseReferral] | None:
    """The case's referrals with status and attendance, for those who see its workflow (None for
    everyone else). Read with the case, whose own read is audited."""
    if not access.may_refer(actor, case):
        return None
    referrals = (Referral.objects.filter(case=case).select_related("offer__provider")
                 .annotate(total=Count("attendance"),
                           came=Count("attendance", filter=Q(attendance__attended=True)),
                           last=Max("attendance__on", filter=Q(attendance__attended=True))))
    return [CaseReferral(r, outcome_text(r, r.came, r.total, r.last)) for r in referrals]
