"""Writes of the catalogue and of referrals, each atomic and audited, every check before the first
write.

Catalogue changes hold no personal data but are audited as the project audits rule changes (who
changed what, when). A referral discloses a young person to another agency, so it goes through
the sharing engine (`sharing.engine.disclosure_basis`) for the categories it discloses —
`identitet` (name, age, contact, language) and `aktivitet` (the referral text) — and records the
rule and consent it was sent under. What the provider records (answer, attendance, end, a job
placement) flows back to the case plan through the measure kind «tilbud» (`plan.py`), and the
case's coordinators are told without personal data."""

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType, Membership, User
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases import measures
from laget.cases.reminders import case_coordinators
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify.services import notify_user
from laget.pathways import access
from laget.pathways.models import (
    JOB_KINDS,
    OPEN_REFERRAL_STATUSES,
    Attendance,
    Offer,
    OpeningHours,
    Referral,
    ReferralStatus,
)
from laget.pathways.plan import MEASURE_KIND
from laget.records.models import Case, CaseStatus
from laget.records.services import CASE_ROLES, case_require_open
from laget.sharing.engine import disclosure_basis
from laget.sharing.models import Effect

#: what a referral discloses to the provider, and why
REFERRAL_CATEGORIES = ("identitet", "aktivitet")
REFERRAL_PURPOSE = Purpose.OPPFOLGING

#: the fields of an offer a provider (or the import) may set
OFFER_FIELDS = (
    "kind", "name", "description", "district", "subdistrict", "district_id", "subdistrict_id",
    "age_min", "age_max", "languages",
    "contact_name", "contact_phone", "contact_email", "price_nok", "subsidy", "places",
    "free_places", "employer", "hours_per_week", "valid_from", "valid_to", "active",
    "external_ref",
)


# --- the catalogue -------------------------------------------------------------------------------

def offer_validate(offer: Offer) -> None:
    # the model's constraints, checked first with words a provider understands
    if offer.age_min is not None and offer.age_max is not None and offer.age_min > offer.age_max:
        raise DomainError(_("«Alder fra» kan ikke være høyere enn «alder til»."),
                          code="offer_ages")
    if offer.places is not None and offer.free_places > offer.places:
        raise DomainError(_("Det kan ikke være flere gratisplasser enn plasser."),
                          code="offer_places")
    try:
        offer.full_clean(exclude=["provider"], validate_unique=False)
    except ValidationError as error:
        raise DomainError(" ".join(m for ms in error.message_dict.values() for m in ms),
                          code="offer_invalid") from error
    if offer.subdistrict_id and offer.district_id and (
            offer.subdistrict.district_id != offer.district_id):
        raise DomainError(_("Delbydelen ligger ikke i bydelen."), code="offer_subdistrict")
    if offer.valid_from and offer.valid_to and offer.valid_to < offer.valid_from:
        raise DomainError(_("«Gyldig til» kan ikke være før «gyldig fra»."), code="offer_dates")
    if offer.external_ref and Offer.objects.filter(
            provider_id=offer.provider_id, external_ref=offer.external_ref).exclude(
            pk=offer.pk).exists():
        raise DomainError(_("Tilbyderen har allerede et tilbud med denne eksterne referansen."),
                          code="offer_external_ref")


@transaction.atomic
def offer_save(*, actor: Actor, offer: Offer | None, provider: Agency, data: dict[str, Any]
               ) -> Offer:
    """Create an offer for `provider` (offer None) or change one. Providers keep their own
    offers; the admin any."""
    unknown = set(data) - set(OFFER_FIELDS)
    if unknown:
        raise ValueError(f"unknown offer fields: {sorted(unknown)}")
    target = offer or Offer(provider=provider)
    if not access.may_edit_offer(actor, target):
        raise DomainError(_("Bare tilbyderen kan endre dette tilbudet."), code="not_provider")
    for name, value in data.items():
        setattr(target, name, value)
    offer_validate(target)
    created = target._state.adding
    target.save()
    audit_record(action=Action.PATHWAYS_OFFER_CHANGE, actor=actor, obj=target,
                 details={"op": "create" if created else "update", "kind": target.kind,
                          "provider": str(target.provider_id)})
    return target


@dataclass(frozen=True)
class Opening:
    season: str
    weekday: int
    opens: dt.time
    closes: dt.time


def openings_check(openings: Iterable[Opening]) -> list[Opening]:
    rows = sorted(openings, key=lambda o: (o.season, o.weekday, o.opens))
    for row in rows:
        if not 0 <= row.weekday <= 6:
            raise DomainError(_("Ukedagen må være mandag til søndag."), code="hours_weekday")
        if row.opens >= row.closes:
            raise DomainError(_("Åpningstiden må slutte etter at den begynner."),
                              code="hours_order")
    for before, after in itertools.pairwise(rows):
        if (before.season, before.weekday) == (after.season, after.weekday) and (
                after.opens < before.closes):
            raise DomainError(_("To åpningstider samme dag overlapper."), code="hours_overlap")
    return rows


@transaction.atomic
def opening_hours_set(*, actor: Actor, offer: Offer, openings: Iterable[Opening]) -> None:
    """Replace the offer's opening hours (every season) with `openings`."""
    if not access.may_edit_offer(actor, offer):
        raise DomainError(_("Bare tilbyderen kan endre dette tilbudet."), code="not_provider")
    rows = openings_check(openings)
    OpeningHours.objects.filter(offer=offer).delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(offer=offer, season=r.season, weekday=r.weekday, opens=r.opens,
                     closes=r.closes) for r in rows)
    audit_record(action=Action.PATHWAYS_OFFER_CHANGE, actor=actor, obj=offer,
                 details={"op": "opening_hours", "openings": len(rows)})


# --- referrals -----------------------------------------------------------------------------------

def _missing_text(offer: Offer, missing: list[str]) -> str:
    labels = {"identitet": _("identitet"), "aktivitet": _("aktivitet")}
    what = _(" og ").join(str(labels.get(m, m)) for m in missing)
    return _("Det trengs samtykke til å dele %(what)s med %(provider)s (%(type)s) for oppfølging. "
             "Registrer samtykket på saken først.") % {
        "what": what, "provider": offer.provider.name,
        "type": AgencyType(offer.provider.type).label}


@transaction.atomic
def referral_create(*, actor: Actor, case: Case, offer: Offer, text: str) -> Referral:
    """Refer the case's young person to an offer. Refused unless the referrer sees the case's
    workflow, the case is open, the offer is active and fits the person's age, and the sharing
    engine finds a basis for both categories the referral discloses."""
    if not access.may_refer(actor, case):
        raise DomainError(_("Du må være med i teamet for å henvise."), code="not_on_team")
    case_require_open(case)
    if case.status == CaseStatus.CLOSED:
        raise DomainError(_("Saken er avsluttet."), code="case_closed")
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Skriv hva henvisningen gjelder."), code="text")
    if len(text) > 1000:
        raise DomainError(_("Høyst 1000 tegn."), code="text")
    if not offer.active:
        raise DomainError(_("Tilbudet er ikke aktivt."), code="offer_inactive")
    person = case.person
    today = clock.today()
    age = person.age_on(today)
    if not offer.age_min <= age <= offer.age_max:
        raise DomainError(_("Tilbudet er for %(min)s–%(max)s år, og personen er %(age)s.") % {
            "min": offer.age_min, "max": offer.age_max, "age": age}, code="age")
    if Referral.objects.filter(offer=offer, case=case,
                               status__in=OPEN_REFERRAL_STATUSES).exists():
        raise DomainError(_("Personen er allerede henvist til dette tilbudet."),
                          code="duplicate")
    assert actor.membership is not None
    bases = disclosure_basis(
        source_type=actor.membership.agency.type, recipient_type=offer.provider.type,
        case_id=case.pk, birth_date=person.birth_date, categories=REFERRAL_CATEGORIES,
        purpose=REFERRAL_PURPOSE)
    missing = [b.category for b in bases if not b.allowed]
    if missing:
        # a consent helps only where a consent-required rule is what decided
        if all(b.rule is not None and b.rule.effect != Effect.DENY for b in bases
               if not b.allowed):
            raise DomainError(_missing_text(offer, missing), code="no_basis")
        raise DomainError(_("Ingen regel gir grunnlag for å dele dette med %(provider)s, heller "
                            "ikke med samtykke.") % {"provider": offer.provider.name},
                          code="no_basis")
    referral = Referral.objects.create(
        offer=offer, case=case, person=person, referred_by=actor.user,
        referring_agency=actor.membership.agency, text=text,
        basis={b.category: {"rule": b.rule.rule_id if b.rule else "",
                            "citation": b.rule.citation if b.rule else "",
                            "consent": str(b.consent_id or "")} for b in bases})
    if measures.may_link(actor, case, _measure_kind()):
        measures.measure_link(actor=actor, case=case, kind=MEASURE_KIND, ref=referral.pk,
                              expected_version=None)
    audit_record(action=Action.PATHWAYS_REFER, actor=actor, obj=referral, persons=[person.pk],
                 purpose=REFERRAL_PURPOSE, basis=basis_summary(referral),
                 details={"offer": str(offer.pk), "provider": str(offer.provider_id),
                          "case": str(case.pk)})
    _tell_provider(referral)
    return referral


def basis_summary(referral: Referral) -> str:
    """The rules (and whether by consent) a referral was sent under, for the audit log."""
    parts = []
    for category, basis in sorted(referral.basis.items()):
        how = "consent" if basis.get("consent") else "rule"
        parts.append(f"{category}:{basis.get('rule', '')}:{how}")
    return ";".join(parts)[:200]


def _measure_kind() -> measures.MeasureKind | None:
    return next((k for k in measures.kinds() if k.kind == MEASURE_KIND), None)


def _tell_provider(referral: Referral) -> None:
    users = {m.user for m in Membership.objects.active(clock.today()).filter(
        agency_id=referral.offer.provider_id, role__in=CASE_ROLES).select_related("user")}
    for user in users:
        notify_user(user=user, key=f"pathways:referral:{referral.pk}:{user.pk}",
                    subject=_("Ny henvisning i Laget"),
                    body=_("Dere har fått en ny henvisning til et tilbud. Logg inn i Laget for å "
                           "svare."),
                    link=f"/tilbud/henvisninger/{referral.pk}/")


def _tell_team(referral: Referral, event: str) -> None:
    subject = {
        "accepted": _("Henvisning akseptert"), "declined": _("Henvisning avslått"),
        "waitlisted": _("Henvisning satt på venteliste"), "dropped": _("Avbrudd i tilbud"),
    }[event]
    body = _("Det er nytt om en henvisning til et tilbud i en sak du koordinerer. Logg inn i Laget "
             "for å se planen.")
    case = referral.case
    for user_id in case_coordinators([(case.pk, case.district_id)], day=clock.today()).get(
            case.pk, set()):
        user = User.objects.get(pk=user_id)
        notify_user(user=user, key=f"pathways:{event}:{referral.pk}:{user_id}", subject=subject,
                    body=body, link=f"/saker/{case.pk}/")


def _require_provider(actor: Actor, referral: Referral) -> None:
    if not access.is_provider_of(actor, referral.offer.provider_id):
        raise DomainError(_("Bare tilbyderen kan svare på henvisningen."), code="not_provider")


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update(of=("self",)).select_related(
        "offer", "case").get(pk=referral.pk)


DECISIONS = {"accept": ReferralStatus.ACCEPTED, "decline": ReferralStatus.DECLINED,
             "waitlist": ReferralStatus.WAITLISTED}


@transaction.atomic
def referral_decide(*, actor: Actor, referral: Referral, decision: str, reason: str = ""
                    ) -> Referral:
    """The provider accepts, declines (with a reason) or waitlists a referral not yet ended."""
    _require_provider(actor, referral)
    if decision not in DECISIONS:
        raise DomainError(_("Ukjent svar."), code="decision")
    reason = (reason or "").strip()
    if decision == "decline" and not reason:
        raise DomainError(_("Skriv hvorfor henvisningen avslås."), code="reason")
    if len(reason) > 500:
        raise DomainError(_("Høyst 500 tegn."), code="reason")
    current = _locked(referral)
    if current.status not in (ReferralStatus.SENT, ReferralStatus.WAITLISTED):
        raise DomainError(_("Henvisningen er allerede besvart."), code="decided")
    current.status = DECISIONS[decision]
    current.reason = reason
    current.decided_at = clock.now()
    current.decided_by = actor.user
    current.save(update_fields=["status", "reason", "decided_at", "decided_by", "updated_at"])
    audit_record(action=Action.PATHWAYS_REFERRAL_DECIDE, actor=actor, obj=current,
                 persons=[current.person_id], purpose=REFERRAL_PURPOSE,
                 basis=basis_summary(current), details={"op": decision})
    _tell_team(current, {"accept": "accepted", "decline": "declined",
                         "waitlist": "waitlisted"}[decision])
    return current


@transaction.atomic
def attendance_record(*, actor: Actor, referral: Referral, on: dt.date, attended: bool
                      ) -> Attendance:
    """Record (or correct) whether the young person came on `on`: one row per date, on an
    accepted referral, not in the future."""
    _require_provider(actor, referral)
    current = _locked(referral)
    if current.status != ReferralStatus.ACCEPTED:
        raise DomainError(_("Oppmøte kan bare registreres på en akseptert henvisning."),
                          code="not_accepted")
    if on > clock.today():
        raise DomainError(_("Datoen kan ikke være fram i tid."), code="future")
    if on < current.created_at.astimezone(clock.OSLO).date():
        raise DomainError(_("Datoen kan ikke være før henvisningen."), code="before")
    row, _created = Attendance.objects.update_or_create(
        referral=current, on=on, defaults={"attended": attended, "recorded_by": actor.user})
    audit_record(action=Action.PATHWAYS_ATTENDANCE, actor=actor, obj=current,
                 persons=[current.person_id], purpose=REFERRAL_PURPOSE,
                 basis=basis_summary(current),
                 details={"op": "attendance", "on": on.isoformat(), "attended": attended})
    return row


@transaction.atomic
def referral_end(*, actor: Actor, referral: Referral, outcome: str, reason: str = ""
                 ) -> Referral:
    """End an accepted referral: completed, or dropped out (with a reason)."""
    _require_provider(actor, referral)
    reason = (reason or "").strip()
    if outcome not in (ReferralStatus.COMPLETED, ReferralStatus.DROPPED_OUT):
        raise DomainError(_("Ukjent avslutning."), code="outcome")
    if outcome == ReferralStatus.DROPPED_OUT and not reason:
        raise DomainError(_("Skriv hvorfor deltakelsen ble avbrutt."), code="reason")
    if len(reason) > 500:
        raise DomainError(_("Høyst 500 tegn."), code="reason")
    current = _locked(referral)
    if current.status != ReferralStatus.ACCEPTED:
        raise DomainError(_("Bare en akseptert henvisning kan avsluttes."), code="not_accepted")
    current.status = outcome
    current.reason = reason
    current.ended_on = clock.today()
    current.save(update_fields=["status", "reason", "ended_on", "updated_at"])
    audit_record(action=Action.PATHWAYS_REFERRAL_DECIDE, actor=actor, obj=current,
                 persons=[current.person_id], purpose=REFERRAL_PURPOSE,
                 basis=basis_summary(current), details={"op": f"end:{outcome}"})
    if outcome == ReferralStatus.DROPPED_OUT:
        _tell_team(current, "dropped")
    return current


@transaction.atomic
def placement_set(*, actor: Actor, referral: Referral, start: dt.date, hours: Decimal,
                  end: dt.date | None) -> Referral:
    """A job placement on an accepted referral to a job: start, hours per week and end."""
    _require_provider(actor, referral)
    current = _locked(referral)
    if current.offer.kind not in JOB_KINDS:
        raise DomainError(_("Bare jobber har arbeidsforhold."), code="not_job")
    if current.status not in (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED):
        raise DomainError(_("Henvisningen må være akseptert først."), code="not_accepted")
    if hours <= 0 or hours > 60:
        raise DomainError(_("Timer per uke må være mellom 0 og 60."), code="hours")
    if end is not None and end < start:
        raise DomainError(_("Sluttdatoen kan ikke være før startdatoen."), code="dates")
    current.placement_start, current.placement_hours, current.placement_end = start, hours, end
    current.save(update_fields=["placement_start", "placement_hours", "placement_end",
                                "updated_at"])
    audit_record(action=Action.PATHWAYS_ATTENDANCE, actor=actor, obj=current,
                 persons=[current.person_id], purpose=REFERRAL_PURPOSE,
                 basis=basis_summary(current), details={"op": "placement"})
    return current
