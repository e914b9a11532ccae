"""Writes of the youth fast track: open a case (by hand or from the weapon trigger's request),
name the court, konfliktråd and kriminalomsorgen, record milestones, close. Atomic and audited;
every check comes before the first write, so a refusal writes nothing.

The order of milestones: a case may skip milestones it does not need, but no milestone may have
an earlier date than one of an earlier kind, nor a later date than one of a later kind. A court
milestone needs a charge decision with the outcome tiltale; a forelegg or a transfer to the
konfliktråd rules the court out; påtaleunnlatelse and henleggelse end the path (the case closes);
so does the reaction's completion."""

import datetime as dt
import re
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError
from laget.fasttrack import access
from laget.fasttrack.access import COURT_MILESTONES
from laget.fasttrack.deadlines import Responsible
from laget.fasttrack.models import (
    ENDING_OUTCOMES,
    ORDER,
    CaseStatus,
    ChargeOutcome,
    Milestone,
    MilestoneKind,
    TargetSet,
    YouthCase,
)
from laget.people.models import Person
from laget.policing.models import FastTrackRequest, OffenceCategory, RegistrationKind

#: The police's case number as Laget accepts it: 8 to 10 digits (spaces and dashes dropped). An
#: 11-digit number is refused — it would be the shape of a fødselsnummer, and the number is kept
#: as a reference that is not personal data on its own.
CASE_NUMBER = re.compile(r"^\d{8,10}$")


def police_case_number_clean(value: str) -> str:
    number = re.sub(r"[\s-]", "", value or "")
    if not CASE_NUMBER.match(number):
        raise DomainError(_("Politiets saksnummer skal ha 8 til 10 sifre."),
                          code="police_case_number")
    return number


def _categories_clean(values: Iterable[str]) -> list[str]:
    chosen = sorted(set(values or ()))
    if not chosen:
        raise DomainError(_("Velg minst én lovbruddskategori."), code="offence_categories")
    unknown = [value for value in chosen if value not in OffenceCategory.values]
    if unknown:
        raise DomainError(_("Ukjent lovbruddskategori: %(value)s.") % {"value": unknown[0]},
                          code="offence_categories")
    return chosen


def age_limits() -> tuple[int, int]:
    """The youngest and oldest age at the offence the fast track takes (settings)."""
    oldest = (settings.LAGET_FASTTRACK_YOUNG_ADULT_MAX_AGE if settings.LAGET_FASTTRACK_YOUNG_ADULTS
              else settings.LAGET_FASTTRACK_MAX_AGE)
    return settings.LAGET_FASTTRACK_MIN_AGE, oldest


def _age_check(person: Person, offence_on: dt.date) -> int:
    age = person.age_on(offence_on)
    youngest, oldest = age_limits()
    if age > oldest:
        raise DomainError(
            _("Personen var %(age)s år da lovbruddet skjedde. Hurtigsporet gjelder den som var "
              "høyst %(max)s år.") % {"age": age, "max": oldest}, code="age")
    if age < youngest:
        raise DomainError(
            _("Personen var %(age)s år da lovbruddet skjedde, under den kriminelle lavalderen "
              "(%(min)s år). Det blir ingen straffesak.") % {"age": age, "min": youngest},
            code="age")
    return age


def _not_future(day: dt.date, what: str) -> None:
    if day > clock.today():
        raise DomainError(_("Datoen for %(what)s kan ikke være fram i tid.") % {"what": what},
                          code="date_future")


def _require_prosecutor(actor: Actor) -> Agency:
    if not access.is_prosecutor(actor) or actor.membership is None:
        raise DomainError(_("Bare en påtalejurist i politiet kan gjøre dette."), code="role")
    return actor.membership.agency


def _agency_check(agency: Agency | None, side: str) -> None:
    expected = access.SIDE_AGENCY_TYPE[side]
    if agency is not None and agency.type != expected:
        raise DomainError(_("%(agency)s er ikke av typen %(type)s.")
                          % {"agency": agency.name, "type": expected.label}, code="agency_type")


@transaction.atomic
def youth_case_open(
    *, actor: Actor, person: Person, police_case_number: str, offence_on: dt.date,
    offence_categories: Iterable[str], weapon: bool = False, target_set: str = TargetSet.LEGAL,
    court: Agency | None = None, konfliktraad: Agency | None = None,
    kriminalomsorg: Agency | None = None, request: FastTrackRequest | None = None,
    apprehended_on: dt.date | None = None,
) -> YouthCase:
    """Open a youth justice case for the actor's police unit. The offence is its first milestone
    (and the apprehension, when given). A request from the weapon trigger is marked taken up."""
    unit = _require_prosecutor(actor)
    number = police_case_number_clean(police_case_number)
    categories = _categories_clean(offence_categories)
    if target_set not in TargetSet.values:
        raise DomainError(_("Ukjent fristsett."), code="target_set")
    _not_future(offence_on, _("lovbruddet"))
    age = _age_check(person, offence_on)
    _agency_check(court, Responsible.COURT)
    _agency_check(konfliktraad, Responsible.KONFLIKTRAAD)
    _agency_check(kriminalomsorg, Responsible.KRIMINALOMSORG)
    if apprehended_on is not None:
        _not_future(apprehended_on, _("pågripelsen"))
        if apprehended_on < offence_on:
            raise DomainError(_("Pågripelsen kan ikke være før lovbruddet."), code="order")
    if request is not None:
        request = FastTrackRequest.objects.select_for_update().get(pk=request.pk)
        if request.taken_up_at is not None:
            raise DomainError(_("Anmodningen er allerede tatt opp i hurtigsporet."),
                              code="request_taken")
        if request.person_id is not None and request.person_id != person.pk:
            raise DomainError(_("Anmodningen gjelder en annen person."), code="request_person")
    if YouthCase.objects.filter(unit=unit, police_case_number=number).exists():
        raise DomainError(_("Det finnes allerede en sak i hurtigsporet med dette saksnummeret."),
                          code="duplicate")

    now = clock.now()
    case = YouthCase.objects.create(
        person=person, district_id=person.district_id, police_case_number=number,
        offence_categories=categories, weapon=weapon, offence_on=offence_on,
        age_at_offence=age, unit=unit, court=court, konfliktraad=konfliktraad,
        kriminalomsorg=kriminalomsorg, request=request, target_set=target_set,
        opened_by=actor.user)
    Milestone.objects.create(case=case, kind=MilestoneKind.OFFENCE, occurred_on=offence_on,
                             recorded_by=actor.user, recorded_at=now)
    if apprehended_on is not None:
        Milestone.objects.create(case=case, kind=MilestoneKind.APPREHENSION,
                                 occurred_on=apprehended_on, recorded_by=actor.user,
                                 recorded_at=now)
    if request is not None:
        request.taken_up_at = now
        request.save(update_fields=["taken_up_at", "updated_at"])
    audit_record(action=Action.FASTTRACK_OPEN, actor=actor, obj=case, persons=[person.pk],
                 purpose=Purpose.STRAFFESAK,
                 details={"target_set": target_set, "from_request": request is not None,
                          "weapon": weapon, "categories": categories})
    return case


def fasttrack_open_from_request(
    *, actor: Actor, request: FastTrackRequest, police_case_number: str,
    target_set: str = TargetSet.LEGAL, person: Person | None = None,
    court: Agency | None = None,
) -> YouthCase:
    """Take up the weapon trigger's request: the registration gives the offence date, the
    category (the weapons act when none was given) and the weapon; the person is the request's,
    or — when the police registered someone not yet in Laget — the one given, which must have
    the registration's birth date."""
    registration = request.registration
    chosen = request.person if request.person_id is not None else person
    if chosen is None:
        raise DomainError(_("Personen i anmodningen er ikke registrert i Laget. Registrer "
                            "personen først."), code="person")
    if request.person_id is None and chosen.birth_date != registration.birth_date:
        raise DomainError(_("Personen har en annen fødselsdato enn i registreringen."),
                          code="request_person")
    offence_on = registration.occurred_at.astimezone(clock.OSLO).date()
    apprehended = registration.kind == RegistrationKind.APPREHENSION
    return youth_case_open(
        actor=actor, person=chosen, police_case_number=police_case_number,
        offence_on=offence_on,
        offence_categories=[registration.offence_category or OffenceCategory.WEAPONS_ACT],
        weapon=True, target_set=target_set, court=court, request=request,
        apprehended_on=offence_on if apprehended else None)


def _locked(case: YouthCase) -> YouthCase:
    return YouthCase.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def youth_case_agencies_set(
    *, actor: Actor, case: YouthCase, court: Agency | None, konfliktraad: Agency | None,
    kriminalomsorg: Agency | None,
) -> YouthCase:
    """Name the court, konfliktråd and kriminalomsorgen (the prosecutor of the case's unit)."""
    _require_prosecutor(actor)
    current = _locked(case)
    if Responsible.POLICE not in access.sides_of(actor, current):
        raise DomainError(_("Saken hører til en annen politienhet."), code="not_allowed")
    if current.status != CaseStatus.OPEN:
        raise DomainError(_("Saken er avsluttet."), code="closed")
    _agency_check(court, Responsible.COURT)
    _agency_check(konfliktraad, Responsible.KONFLIKTRAAD)
    _agency_check(kriminalomsorg, Responsible.KRIMINALOMSORG)
    current.court, current.konfliktraad, current.kriminalomsorg = (court, konfliktraad,
                                                                   kriminalomsorg)
    current.updated_at = clock.now()
    current.save(update_fields=["court", "konfliktraad", "kriminalomsorg", "updated_at"])
    audit_record(action=Action.FASTTRACK_CHANGE, actor=actor, obj=current,
                 persons=[current.person_id], purpose=Purpose.STRAFFESAK,
                 details={"op": "agencies", "court": court is not None,
                          "konfliktraad": konfliktraad is not None,
                          "kriminalomsorg": kriminalomsorg is not None})
    return current


def _date_text(day: dt.date) -> str:
    return formats.date_format(day, "j. F Y")


def milestone_order_check(existing: Iterable[Milestone], kind: str, occurred_on: dt.date,
                          outcome: str) -> None:
    """Refuse a milestone that does not fit the path so far (see the module docstring)."""
    existing = list(existing)
    labels = dict(MilestoneKind.choices)
    for milestone in existing:
        if milestone.kind == kind:
            raise DomainError(_("%(kind)s er allerede registrert for saken.")
                              % {"kind": labels[kind]}, code="duplicate")
        earlier = ORDER[milestone.kind] < ORDER[kind]
        if earlier and milestone.occurred_on > occurred_on:
            raise DomainError(
                _("%(kind)s kan ikke ha tidligere dato enn %(other)s (%(date)s).")
                % {"kind": labels[kind], "other": labels[milestone.kind].lower(),
                   "date": _date_text(milestone.occurred_on)}, code="order")
        if not earlier and milestone.occurred_on < occurred_on:
            raise DomainError(
                _("%(kind)s kan ikke ha senere dato enn %(other)s (%(date)s).")
                % {"kind": labels[kind], "other": labels[milestone.kind].lower(),
                   "date": _date_text(milestone.occurred_on)}, code="order")
    decision = next((m for m in existing if m.kind == MilestoneKind.CHARGE_DECISION), None)
    if decision is not None and decision.outcome in ENDING_OUTCOMES:
        raise DomainError(_("Saken endte med %(outcome)s. Det kan ikke registreres flere "
                            "milepæler.") % {"outcome": decision.get_outcome_display().lower()},
                          code="path_ended")
    if kind in COURT_MILESTONES and (decision is None
                                     or decision.outcome != ChargeOutcome.TILTALE):
        raise DomainError(_("%(kind)s krever en påtaleavgjørelse med tiltale.")
                          % {"kind": labels[kind]}, code="needs_tiltale")
    if kind == MilestoneKind.CHARGE_DECISION and outcome != ChargeOutcome.TILTALE and any(
            m.kind in COURT_MILESTONES for m in existing):
        raise DomainError(_("Saken er allerede i retten. Påtaleavgjørelsen må være tiltale."),
                          code="needs_tiltale")


@transaction.atomic
def milestone_record(
    *, actor: Actor, case: YouthCase, kind: str, occurred_on: dt.date, outcome: str = "",
) -> Milestone:
    """Record that the case reached a milestone on a date. The police's prosecutor records the
    police stages, the court its own, the konfliktråd or kriminalomsorgen the reaction."""
    if kind not in MilestoneKind.values:
        raise DomainError(_("Ukjent milepæl."), code="kind")
    if kind == MilestoneKind.CHARGE_DECISION:
        if outcome not in ChargeOutcome.values:
            raise DomainError(_("Velg hva påtaleavgjørelsen ble."), code="outcome")
    elif outcome:
        raise DomainError(_("Bare påtaleavgjørelsen har et utfall."), code="outcome")
    current = _locked(case)
    if not access.may_see(actor, current):
        raise DomainError(_("Du har ikke tilgang til saken."), code="not_allowed")
    if not access.may_record(actor, current, kind):
        raise DomainError(_("Denne milepælen registreres av en annen virksomhet."),
                          code="not_allowed")
    if current.status != CaseStatus.OPEN:
        raise DomainError(_("Saken er avsluttet."), code="closed")
    _not_future(occurred_on, str(dict(MilestoneKind.choices)[kind]).lower())
    milestone_order_check(current.milestones.all(), kind, occurred_on, outcome)

    now = clock.now()
    milestone = Milestone.objects.create(case=current, kind=kind, occurred_on=occurred_on,
                                         outcome=outcome, recorded_by=actor.user,
                                         recorded_at=now)
    if outcome in ENDING_OUTCOMES or kind == MilestoneKind.REACTION_COMPLETED:
        _close(current)
    audit_record(action=Action.FASTTRACK_MILESTONE, actor=actor, obj=current,
                 persons=[current.person_id], purpose=Purpose.STRAFFESAK,
                 details={"kind": kind, "outcome": outcome,
                          "closed": current.status == CaseStatus.CLOSED})
    return milestone


def _close(case: YouthCase) -> None:
    case.status, case.closed_on = CaseStatus.CLOSED, clock.today()
    case.updated_at = clock.now()
    case.save(update_fields=["status", "closed_on", "updated_at"])


@transaction.atomic
def youth_case_close(*, actor: Actor, case: YouthCase) -> YouthCase:
    """Close the case by hand (a forelegg accepted, the case joined to another): the prosecutor
    of the case's unit. Its stages stop running and no alerts go out."""
    _require_prosecutor(actor)
    current = _locked(case)
    if Responsible.POLICE not in access.sides_of(actor, current):
        raise DomainError(_("Saken hører til en annen politienhet."), code="not_allowed")
    if current.status != CaseStatus.OPEN:
        raise DomainError(_("Saken er allerede avsluttet."), code="closed")
    _close(current)
    audit_record(action=Action.FASTTRACK_CHANGE, actor=actor, obj=current,
                 persons=[current.person_id], purpose=Purpose.STRAFFESAK,
                 details={"op": "close"})
    return current
