"""Writes of the family support: referrals to parent support and their outcome, relocation
applications with decision, appeal and payments, and interpreter bookings. Every one atomic and
audited in the same transaction, every check before the first write.

Audit events never carry a relocation's destination (the municipality is in no `details`), nor
the text of a referral or the grounds of an application."""

import datetime as dt
import uuid
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import AgencyType, Membership, Role, User
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.models import Meeting
from laget.core import clock
from laget.core.errors import DomainError
from laget.familysupport import access
from laget.familysupport.disclosure import disclosure_basis
from laget.familysupport.models import (
    AppealOutcome,
    InterpretedKind,
    InterpreterBooking,
    InterpreterMode,
    InterpreterQualification,
    ParentOutcome,
    ParentSupportReferral,
    ParentSupportSession,
    ReferralStatus,
    RelocationApplication,
    RelocationDecision,
    RelocationPayment,
    RelocationReason,
)
from laget.familysupport.vocabulary import INTERPRETER_LANGUAGES, municipalities
from laget.pathways.models import Offer, OfferKind
from laget.people.models import Guardian
from laget.records.models import Case
from laget.records.services import CASE_ROLES, case_require_open

PURPOSE = Purpose.OPPFOLGING

# --- parent support -------------------------------------------------------------------------------


def eligible_guardians(case: Case) -> list[Guardian]:
    """The young person's guardians who may be referred: with parental responsibility and no
    restricted contact."""
    return list(Guardian.objects.filter(person_id=case.person_id, parental_responsibility=True,
                                        restricted_contact=False))


@transaction.atomic
def parent_referral_create(
    *, actor: Actor, case: Case, guardian_ids: Sequence[uuid.UUID | str], offer: Offer,
    text: str,
) -> list[ParentSupportReferral]:
    """Refer one or more guardians to a parent-support programme. Each guardian's disclosure to
    the provider needs a basis (`disclosure.disclosure_basis`): without one for any of them,
    nobody is referred."""
    if not access.may_see_workflow(actor, case):
        raise DomainError(_("Du er ikke med i teamet rundt saken."), code="not_on_team")
    case_require_open(case)
    if offer.kind != OfferKind.PARENT_SUPPORT or not offer.active:
        raise DomainError(_("Velg et aktivt foreldrestøtteprogram."), code="offer")
    text = text.strip()
    if not text:
        raise DomainError(_("Skriv henvisningen."), code="text")
    wanted = {str(g) for g in guardian_ids}
    if not wanted:
        raise DomainError(_("Velg minst én foresatt."), code="guardians")
    guardians = [g for g in eligible_guardians(case) if str(g.pk) in wanted]
    if len(guardians) != len(wanted):
        raise DomainError(_("Bare foresatte med foreldreansvar og uten begrenset kontakt kan "
                            "henvises."), code="guardians")
    assert actor.membership is not None
    agency = actor.membership.agency
    provider_type = offer.provider.type
    bases = {}
    for guardian in guardians:
        if ParentSupportReferral.objects.filter(
                guardian=guardian, offer=offer,
                status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED]).exists():
            raise DomainError(_("%(name)s er allerede henvist til dette programmet.")
                              % {"name": str(guardian)}, code="duplicate")
        bases[guardian.pk] = disclosure_basis(
            case=case, guardian=guardian, source_type=agency.type, recipient_type=provider_type,
            purpose=PURPOSE)
    referrals = []
    for guardian in guardians:
        basis = bases[guardian.pk]
        referral = ParentSupportReferral.objects.create(
            case=case, guardian=guardian, offer=offer, text=text, referred_by=actor.user,
            referring_agency=agency, basis=basis.kind, basis_ref=basis.ref)
        audit_record(action=Action.FAMILYSUPPORT_PARENT_REFER, actor=actor, obj=referral,
                     persons=[case.person_id], purpose=PURPOSE, basis=basis.kind,
                     details={"offer": str(offer.pk), "provider": str(offer.provider_id),
                              "guardian": str(guardian.pk), "basis_ref": basis.ref})
        referrals.append(referral)
    return referrals


def _require_provider(actor: Actor, referral: ParentSupportReferral) -> None:
    if not access.is_provider(actor, referral):
        raise DomainError(_("Bare tilbyderen av programmet kan gjøre dette."), code="provider")


def _locked(referral: ParentSupportReferral) -> ParentSupportReferral:
    return ParentSupportReferral.objects.select_for_update().select_related(
        "offer", "case").get(pk=referral.pk)


@transaction.atomic
def parent_referral_answer(*, actor: Actor, referral: ParentSupportReferral, accept: bool,
                           reason: str = "") -> ParentSupportReferral:
    _require_provider(actor, referral)
    referral = _locked(referral)
    if referral.status != ReferralStatus.SENT:
        raise DomainError(_("Henvisningen er allerede besvart."), code="status")
    reason = reason.strip()
    if not accept and not reason:
        raise DomainError(_("Skriv kort hvorfor henvisningen avslås."), code="reason")
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.decline_reason = "" if accept else reason
    referral.answered_at, referral.answered_by = clock.now(), actor.user
    referral.save(update_fields=["status", "decline_reason", "answered_at", "answered_by",
                                 "updated_at"])
    audit_record(action=Action.FAMILYSUPPORT_PARENT_ANSWER, actor=actor, obj=referral,
                 persons=[referral.case.person_id], purpose=PURPOSE,
                 details={"status": referral.status})
    return referral


@transaction.atomic
def parent_session_record(*, actor: Actor, referral: ParentSupportReferral,
                          held_on: dt.date) -> ParentSupportSession:
    _require_provider(actor, referral)
    referral = _locked(referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise DomainError(_("Oppmøte registreres bare mens den foresatte er med i programmet."),
                          code="status")
    if held_on > clock.today():
        raise DomainError(_("Datoen er fram i tid."), code="held_on")
    if held_on < referral.created_at.astimezone(clock.OSLO).date():
        raise DomainError(_("Datoen er før henvisningen."), code="held_on")
    if referral.sessions.filter(held_on=held_on).exists():
        raise DomainError(_("Oppmøte denne dagen er allerede registrert."), code="duplicate")
    session = ParentSupportSession.objects.create(referral=referral, held_on=held_on,
                                                  recorded_by=actor.user)
    audit_record(action=Action.FAMILYSUPPORT_PARENT_SESSION, actor=actor, obj=referral,
                 persons=[referral.case.person_id], purpose=PURPOSE,
                 details={"held_on": held_on.isoformat()})
    return session


@transaction.atomic
def parent_outcome_record(*, actor: Actor, referral: ParentSupportReferral, outcome: str,
                          benefit: int | None, note: str = "") -> ParentSupportReferral:
    """End the guardian's participation with an outcome (and the guardian's own rating of the
    benefit, 1–5, when they gave one)."""
    _require_provider(actor, referral)
    referral = _locked(referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise DomainError(_("Resultatet registreres når den foresatte er med i programmet."),
                          code="status")
    if outcome not in ParentOutcome.values:
        raise DomainError(_("Velg et resultat."), code="outcome")
    if benefit is not None and not 1 <= benefit <= 5:
        raise DomainError(_("Opplevd nytte er et tall fra 1 til 5."), code="benefit")
    referral.status, referral.outcome, referral.benefit = ReferralStatus.FINISHED, outcome, benefit
    referral.outcome_note = note.strip()[:500]
    referral.outcome_at, referral.outcome_by = clock.now(), actor.user
    referral.save(update_fields=["status", "outcome", "benefit", "outcome_note", "outcome_at",
                                 "outcome_by", "updated_at"])
    audit_record(action=Action.FAMILYSUPPORT_PARENT_OUTCOME, actor=actor, obj=referral,
                 persons=[referral.case.person_id], purpose=PURPOSE,
                 details={"outcome": outcome, "sessions": referral.sessions.count()})
    return referral


# --- relocation -----------------------------------------------------------------------------------


def district_staff(district_id: str, role: str | None = None) -> list[User]:
    """Users acting in a case role (or `role`) of a bydel agency of the district today."""
    memberships = Membership.objects.active().filter(
        agency__type=AgencyType.BYDEL, agency__district_id=district_id,
        role__in=[role] if role else list(CASE_ROLES))
    return list(User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)
                .order_by("last_name", "first_name"))


def _reasons(reasons: Sequence[str]) -> list[str]:
    codes = list(dict.fromkeys(reasons))
    if not codes or any(code not in RelocationReason.values for code in codes):
        raise DomainError(_("Velg minst én grunn fra listen."), code="reasons")
    return codes


@transaction.atomic
def relocation_create(
    *, actor: Actor, case: Case, guardian_ids: Sequence[uuid.UUID | str], leader: User,
    handlers: Sequence[User], grounds: str, reasons: Sequence[str], destination_number: str,
    protected: bool, cost_moving: int, cost_deposit: int, cost_other: int,
) -> RelocationApplication:
    """Register an application for help to move. The deciding leader and any handlers must act in
    the case's bydel; the destination must be one of Norway's municipalities."""
    if not access.may_register_relocation(actor, case):
        raise DomainError(_("Bare SaLTo-koordinatoren i sakens bydel kan registrere søknaden."),
                          code="not_coordinator")
    case_require_open(case)
    wanted = {str(g) for g in guardian_ids}
    guardians = list(Guardian.objects.filter(person_id=case.person_id, pk__in=list(wanted)))
    if not wanted or len(guardians) != len(wanted):
        raise DomainError(_("Velg hvilke foresatte som søker."), code="guardians")
    if leader.pk not in {u.pk for u in district_staff(case.district_id, Role.LEADER)}:
        raise DomainError(_("Lederen som avgjør søknaden må være leder i bydelen."),
                          code="leader")
    staff = {u.pk for u in district_staff(case.district_id)}
    if any(h.pk not in staff for h in handlers):
        raise DomainError(_("Saksbehandlerne må arbeide i bydelen."), code="handlers")
    grounds = grounds.strip()
    if not grounds:
        raise DomainError(_("Skriv begrunnelsen for søknaden."), code="grounds")
    name = municipalities().get(destination_number)
    if name is None:
        raise DomainError(_("Ukjent kommunenummer."), code="destination")
    if min(cost_moving, cost_deposit, cost_other) < 0:
        raise DomainError(_("Beløp kan ikke være negative."), code="costs")
    assert actor.agency is not None
    application = RelocationApplication.objects.create(
        case=case, district_id=case.district_id, registered_by=actor.user, leader=leader,
        grounds=grounds, reasons=_reasons(reasons), destination_number=destination_number,
        destination_name=name, protected=protected, cost_moving=cost_moving,
        cost_deposit=cost_deposit, cost_other=cost_other)
    application.guardians.set(guardians)
    application.handlers.set([h for h in handlers if h.pk not in (actor.user.pk, leader.pk)])
    audit_record(action=Action.FAMILYSUPPORT_RELOCATION_CREATE, actor=actor, obj=application,
                 persons=[case.person_id], purpose=PURPOSE,
                 details={"protected": protected, "reasons": application.reasons,
                          "cost_total": application.cost_total})
    return application


def _locked_application(application: RelocationApplication) -> RelocationApplication:
    return RelocationApplication.objects.select_for_update().select_related("case").get(
        pk=application.pk)


@transaction.atomic
def relocation_decide(
    *, actor: Actor, application: RelocationApplication, decision: str, amount: int,
    reason: str, decided_on: dt.date,
) -> RelocationApplication:
    """The deciding leader's decision: granted (the whole estimated cost unless a lower amount
    is given), partly (an amount below the estimate) or refused (nothing)."""
    if not access.may_decide(actor, application):
        raise DomainError(_("Bare lederen som er satt til å avgjøre søknaden kan fatte vedtak."),
                          code="not_leader")
    application = _locked_application(application)
    if application.decision:
        raise DomainError(_("Søknaden er allerede avgjort."), code="decided")
    if decision not in (RelocationDecision.GRANTED, RelocationDecision.PARTLY,
                        RelocationDecision.REFUSED):
        raise DomainError(_("Velg et vedtak."), code="decision")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Skriv begrunnelsen for vedtaket."), code="reason")
    if decided_on > clock.today() or decided_on < application.created_at.astimezone(
            clock.OSLO).date():
        raise DomainError(_("Vedtaksdatoen må være mellom søknaden og i dag."), code="decided_on")
    total = application.cost_total
    if decision == RelocationDecision.REFUSED:
        amount = 0
    elif decision == RelocationDecision.GRANTED:
        amount = amount or total
        if amount <= 0:
            raise DomainError(_("Et innvilget vedtak må ha et beløp."), code="amount")
    elif not 0 < amount < total:
        raise DomainError(_("Ved delvis innvilgelse er beløpet mer enn 0 og mindre enn de "
                            "anslåtte kostnadene (%(total)s kr).") % {"total": total},
                          code="amount")
    application.decision, application.decision_amount = decision, amount
    application.decision_reason, application.decided_on = reason, decided_on
    application.save(update_fields=["decision", "decision_amount", "decision_reason",
                                    "decided_on", "updated_at"])
    audit_record(action=Action.FAMILYSUPPORT_RELOCATION_DECIDE, actor=actor, obj=application,
                 persons=[application.case.person_id], purpose=PURPOSE,
                 details={"decision": decision, "amount": amount})
    return application


def _require_handler(actor: Actor, application: RelocationApplication) -> None:
    if not access.may_handle(actor, application):
        raise DomainError(_("Bare koordinatoren som registrerte søknaden og lederen som "
                            "avgjør den, kan gjøre dette."), code="not_handler")


@transaction.atomic
def relocation_appeal_lodge(*, actor: Actor, application: RelocationApplication,
                            lodged_on: dt.date, grounds: str) -> RelocationApplication:
    """A complaint against the decision, sent on to statsforvalteren."""
    _require_handler(actor, application)
    application = _locked_application(application)
    if not application.decision:
        raise DomainError(_("Det kan bare klages på et vedtak."), code="not_decided")
    if application.appeal_lodged_on is not None:
        raise DomainError(_("Klagen er allerede registrert."), code="appealed")
    assert application.decided_on is not None
    if lodged_on < application.decided_on or lodged_on > clock.today():
        raise DomainError(_("Klagedatoen må være mellom vedtaket og i dag."), code="lodged_on")
    grounds = grounds.strip()
    if not grounds:
        raise DomainError(_("Skriv klagens begrunnelse."), code="grounds")
    application.appeal_lodged_on, application.appeal_grounds = lodged_on, grounds
    application.save(update_fields=["appeal_lodged_on", "appeal_grounds", "updated_at"])
    audit_record(action=Action.FAMILYSUPPORT_RELOCATION_APPEAL, actor=actor, obj=application,
                 persons=[application.case.person_id], purpose=PURPOSE,
                 details={"step": "lodged"})
    return application


@transaction.atomic
def relocation_appeal_decide(*, actor: Actor, application: RelocationApplication, outcome: str,
                             decided_on: dt.date, amount: int | None = None
                             ) -> RelocationApplication:
    """Statsforvalteren's answer. A reversed decision gives a new amount, never below what has
    already been paid."""
    _require_handler(actor, application)
    application = _locked_application(application)
    if application.appeal_lodged_on is None:
        raise DomainError(_("Ingen klage er registrert."), code="no_appeal")
    if application.appeal_outcome:
        raise DomainError(_("Klagen er allerede avgjort."), code="appeal_decided")
    if outcome not in (AppealOutcome.UPHELD, AppealOutcome.REVERSED, AppealOutcome.RETURNED):
        raise DomainError(_("Velg statsforvalterens avgjørelse."), code="outcome")
    if decided_on < application.appeal_lodged_on or decided_on > clock.today():
        raise DomainError(_("Datoen må være mellom klagen og i dag."), code="decided_on")
    if outcome == AppealOutcome.REVERSED:
        if amount is None or amount <= 0:
            raise DomainError(_("Oppgi beløpet etter omgjøringen."), code="amount")
        if amount < _paid(application):
            raise DomainError(_("Beløpet er lavere enn det som allerede er utbetalt."),
                              code="amount")
    else:
        amount = None
    application.appeal_outcome, application.appeal_amount = outcome, amount
    application.appeal_decided_on = decided_on
    application.save(update_fields=["appeal_outcome", "appeal_amount", "appeal_decided_on",
                                    "updated_at"])
    audit_record(action=Action.FAMILYSUPPORT_RELOCATION_APPEAL, actor=actor, obj=application,
                 persons=[application.case.person_id], purpose=PURPOSE,
                 details={"step": "decided", "outcome": outcome, "amount": amount})
    return application


def _paid(application: RelocationApplication) -> int:
    return application.payments.aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def relocation_payment_add(*, actor: Actor, application: RelocationApplication,
                           paid_on: dt.date, amount: int, purpose: str) -> RelocationPayment:
    """A payment; the application row is locked so that two payments at once cannot together
    pass the granted amount."""
    _require_handler(actor, application)
    application = _locked_application(application)
    granted = application.granted_amount
    if granted <= 0:
        raise DomainError(_("Det er ikke innvilget noe å betale ut."), code="not_granted")
    if amount <= 0:
        raise DomainError(_("Beløpet må være større enn 0."), code="amount")
    paid = _paid(application)
    if paid + amount > granted:
        raise DomainError(
            _("Utbetalingene kan ikke bli mer enn innvilget beløp (%(granted)s kr); "
              "%(left)s kr gjenstår.") % {"granted": granted, "left": granted - paid},
            code="over_grant")
    assert application.decided_on is not None
    if paid_on < application.decided_on or paid_on > clock.today():
        raise DomainError(_("Utbetalingsdatoen må være mellom vedtaket og i dag."),
                          code="paid_on")
    purpose = purpose.strip()
    if not purpose:
        raise DomainError(_("Skriv hva utbetalingen gjelder."), code="purpose")
    payment = RelocationPayment.objects.create(application=application, paid_on=paid_on,
                                               amount=amount, purpose=purpose,
                                               registered_by=actor.user)
    audit_record(action=Action.FAMILYSUPPORT_RELOCATION_PAYMENT, actor=actor, obj=application,
                 persons=[application.case.person_id], purpose=PURPOSE,
                 details={"amount": amount, "paid_total": paid + amount})
    return payment


# --- interpreters ---------------------------------------------------------------------------------


@transaction.atomic
def interpreter_book(
    *, actor: Actor, case: Case, kind: str, starts_at: dt.datetime, duration_minutes: int,
    language_code: str, interpreter_name: str, qualification: str, mode: str, cost_nok: int,
    budget_year: int, meeting: Meeting | None = None,
) -> InterpreterBooking:
    """Book an interpreter for a meeting (one of the case's, when linked) or a conversation,
    charged to the central interpreter budget of `budget_year`."""
    if not access.may_book_interpreter(actor, case):
        raise DomainError(_("Du er ikke med i teamet rundt saken."), code="not_on_team")
    case_require_open(case)
    if meeting is not None and meeting.case_id != case.pk:
        raise DomainError(_("Møtet hører ikke til saken."), code="meeting")
    if kind not in InterpretedKind.values:
        raise DomainError(_("Velg møte eller samtale."), code="kind")
    if language_code not in INTERPRETER_LANGUAGES:
        raise DomainError(_("Velg et språk fra listen."), code="language")
    if qualification not in InterpreterQualification.values:
        raise DomainError(_("Velg tolkens kvalifikasjon."), code="qualification")
    if mode not in InterpreterMode.values:
        raise DomainError(_("Velg oppmøte, telefon eller video."), code="mode")
    if not 0 < duration_minutes <= 600:
        raise DomainError(_("Varigheten er mellom 1 og 600 minutter."), code="duration")
    if cost_nok < 0:
        raise DomainError(_("Kostnaden kan ikke være negativ."), code="cost")
    if abs(budget_year - starts_at.astimezone(clock.OSLO).year) > 1:
        raise DomainError(_("Budsjettåret må være året for tolkingen, eller året før eller "
                            "etter."), code="budget_year")
    interpreter_name = interpreter_name.strip()
    if not interpreter_name:
        raise DomainError(_("Skriv tolkens navn."), code="interpreter")
    assert actor.membership is not None
    booking = InterpreterBooking.objects.create(
        case=case, meeting=meeting, kind=kind, starts_at=starts_at,
        duration_minutes=duration_minutes, language_code=language_code,
        language_name=str(INTERPRETER_LANGUAGES[language_code]),
        interpreter_name=interpreter_name, qualification=qualification, mode=mode,
        cost_nok=cost_nok, budget_year=budget_year, district_id=case.district_id,
        agency=actor.membership.agency, booked_by=actor.user)
    audit_record(action=Action.FAMILYSUPPORT_INTERPRETER_BOOK, actor=actor, obj=booking,
                 persons=[case.person_id], purpose=PURPOSE,
                 details={"language": language_code, "qualification": qualification,
                          "mode": mode, "minutes": duration_minutes, "cost": cost_nok})
    return booking
