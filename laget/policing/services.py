"""Registering what the police did — a stop and search, an apprehension, a concern — and its
immediate effects, all in one transaction: the guardians of a child are told through the outbox,
SaLTo gets the registration (an entry in the police category on the person's open case, else a
concern to the coordinator of the person's bydel), and a weapon opens a weapon trigger on the
case, reports to barnevern (laget.cases.barnevern) and asks for the fast track for the criminal
case (FastTrackRequest). Any refusal on the way writes nothing and queues nothing."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType
from laget.areas.models import Subdistrict
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases import concerns
from laget.cases.barnevern import barnevern_report_send
from laget.cases.guardians import majority_day
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify import webhooks
from laget.notify.guardians import guardian_notify
from laget.notify.models import WebhookEvent
from laget.people.models import Guardian, Person
from laget.policing.models import (
    FastTrackRequest,
    OffenceCategory,
    PoliceRegistration,
    RegistrationKind,
    WeaponType,
)
from laget.records.models import Case, MarkerKind
from laget.records.services import CASE_ROLES, case_marker_add
from laget.records.vocabulary import InfoCategory
from laget.sharing import services as sharing_services

TEXT_MAX_LENGTH = 2000
NAME_MAX_LENGTH = 100
#: A clock a few minutes apart from the server's is not an error.
FUTURE_SLACK = dt.timedelta(minutes=10)


class SaltoRoute:
    ENTRY = "entry"
    CONCERN = "concern"
    NONE = ""


@dataclass(frozen=True)
class GuardianNotice:
    """One guardian's notification: sent through the outbox (`message_id`, `channel`), or to be
    called by the unit (`manual_reason`)."""

    guardian: str
    channel: str = ""
    message_id: str = ""
    manual_reason: str = ""
    #: the guardian's id, for the letter the unit may print instead ("" when none is known)
    guardian_id: str = ""
    #: KRR could not be asked, so the message went to the guardian record's phone or e-mail
    krr_unavailable: bool = False

    def as_json(self) -> dict[str, str | bool]:
        return {"guardian": self.guardian, "channel": self.channel,
                "message_id": self.message_id, "manual_reason": self.manual_reason,
                "guardian_id": self.guardian_id, "krr_unavailable": self.krr_unavailable}


@dataclass
class RegistrationResult:
    registration: PoliceRegistration
    notices: list[GuardianNotice] = field(default_factory=list)


def is_police(actor: Actor) -> bool:
    return (actor.membership is not None and actor.role in CASE_ROLES
            and actor.membership.agency.type == AgencyType.POLITI)


def require_police(actor: Actor) -> None:
    if not is_police(actor):
        raise DomainError(_("Bare politiet kan registrere dette."), code="role")


def template_key(*, kind: str, weapon_type: str) -> str | None:
    """The guardians' message for this registration, or None when guardians are not told (a
    concern without a weapon is the coordinator's to follow up, not an event to report)."""
    if weapon_type != WeaponType.NONE:
        return "police.weapon"
    return {RegistrationKind.STOP_SEARCH: "police.stop_search",
            RegistrationKind.APPREHENSION: "police.apprehension"}.get(kind)


def earlier_weapon_registrations(registration: PoliceRegistration) -> int:
    """How many times before the person was registered with a weapon, by any unit: repeated
    weapon apprehensions are flagged to SaLTo."""
    if registration.person_id is None:
        return 0
    return (PoliceRegistration.objects.filter(person_id=registration.person_id,
                                              occurred_at__lte=registration.occurred_at)
            .exclude(weapon_type=WeaponType.NONE).exclude(pk=registration.pk).count())


def _summary(registration: PoliceRegistration, *, case_open: bool) -> str:
    """The short factual text SaLTo gets: what, when, where (delbydel), and what the officer
    wrote in the form's own fields — nothing else."""
    r = registration
    with translation.override(settings.LANGUAGE_CODE):
        when = formats.date_format(timezone.localtime(r.occurred_at), "SHORT_DATETIME_FORMAT")
        lines = [_("%(kind)s registrert av %(unit)s %(when)s i delbydel %(place)s.") % {
            "kind": r.get_kind_display(), "unit": r.unit.name, "when": when,
            "place": r.subdistrict.name}]
        if r.kind == RegistrationKind.APPREHENSION:
            lines.append(_("Lovbruddskategori: %(category)s. %(held)s") % {
                "category": r.get_offence_category_display(),
                "held": _("Holdt i arrest.") if r.held else _("Løslatt.")})
        if r.weapon_type != WeaponType.NONE:
            lines.append(_("Våpen: %(weapon)s.") % {"weapon": r.get_weapon_type_display()})
            earlier = earlier_weapon_registrations(r)
            if earlier:
                lines.append(ngettext(
                    "Gjentatt: personen er registrert med våpen %(n)s gang før.",
                    "Gjentatt: personen er registrert med våpen %(n)s ganger før.",
                    earlier) % {"n": earlier})
        if r.grounds:
            lines.append(_("Grunnlag: %(text)s") % {"text": r.grounds})
        if r.found_items:
            lines.append(_("Funnet: %(text)s") % {"text": r.found_items})
        if r.weapon_type != WeaponType.NONE and not case_open:
            lines.append(_("Våpenutløser: politiet ber om særskilt oppfølging. Det var ingen "
                           "åpen SaLTo-sak å sette våpenutløseren på."))
        return "\n".join(lines)


def _notify_guardians(registration: PoliceRegistration, person: Person | None,
                      key: str) -> list[GuardianNotice]:
    if person is None:
        return [GuardianNotice(guardian=_("Foresatte"), manual_reason=_(
            "Personen er ikke registrert i Laget, så foresatte er ikke kjent. Ring selv."))]
    unit = registration.unit
    phone = settings.LAGET_POLICE_PHONE
    results = guardian_notify(
        person=person, template_key=key,
        context={"first_name": person.given_name,
                 "unit": unit.name, "phone": phone},
        key_prefix=f"police:{registration.pk}", follow_up_agency=unit)
    names = {g.pk: f"{g.given_name} {g.family_name}"
             for g in Guardian.objects.filter(pk__in=[r.guardian_id for r in results])}
    notices = [GuardianNotice(guardian=names.get(r.guardian_id, ""), channel=r.channel,
                              message_id=str(r.message_id) if r.message_id else "",
                              manual_reason=str(r.manual_reason),
                              guardian_id=str(r.guardian_id),
                              krr_unavailable=r.krr_unavailable) for r in results]
    if not notices:
        notices.append(GuardianNotice(guardian=_("Foresatte"), manual_reason=_(
            "Ingen foresatte med foreldreansvar er registrert. Ring selv.")))
    return notices


def _weapon_trigger_acts(actor: Actor, registration: PoliceRegistration,
                         person: Person | None) -> None:
    """A child with a weapon: report to barnevern in the person's bydel (barnevernsloven § 13-2,
    where a rule gives the basis) and ask for the fast track for the criminal case."""
    district = person.district if person is not None else registration.subdistrict.district
    case = (Case.objects.filter(pk=registration.salto_case_id).first()
            if registration.salto_case_id else None)
    outcome = barnevern_report_send(
        actor=actor, source_agency=registration.unit, district=district, person=person,
        given_name=registration.given_name, family_name=registration.family_name,
        birth_date=registration.birth_date, national_id=registration.national_id,
        text=_summary(registration, case_open=case is not None), category=InfoCategory.POLITI,
        case=case, origin_id=registration.pk)
    registration.barnevern_report_id = outcome.report.pk if outcome.report else None
    registration.barnevern_manual_reason = str(outcome.manual_reason)[:300]
    FastTrackRequest.objects.create(
        registration=registration, person=person, unit=registration.unit,
        requested_by=actor.user, requested_at=clock.now())


@transaction.atomic
def registration_create(
    *, actor: Actor, kind: str, subdistrict: Subdistrict, occurred_at: dt.datetime,
    given_name: str, family_name: str, national_id: str = "",
    birth_date: dt.date | None = None, grounds: str = "", found_items: str = "",
    offence_category: str = "", weapon_type: str = WeaponType.NONE, held: bool = False,
) -> RegistrationResult:
    """Register what the actor's police unit did and its effects (see the module docstring).
    Returns the registration and, for a child, what became of each guardian's notification."""
    require_police(actor)
    assert actor.membership is not None
    unit = actor.membership.agency
    if kind not in RegistrationKind.values:
        raise DomainError(_("Velg hva som skjedde."), code="kind")
    if weapon_type not in WeaponType.values:
        raise DomainError(_("Ukjent våpentype."), code="weapon_type")
    if kind == RegistrationKind.APPREHENSION:
        if offence_category not in OffenceCategory.values:
            raise DomainError(_("Velg lovbruddskategori for pågripelsen."), code="offence")
    else:
        offence_category, held = "", False
    if not subdistrict.district.has_administration:
        raise DomainError(_("Velg en delbydel i en av Oslos bydeler."), code="subdistrict")
    if occurred_at > clock.now() + FUTURE_SLACK:
        raise DomainError(_("Tidspunktet kan ikke ligge fram i tid."), code="occurred_at")
    given_name = concerns.text_clean(given_name, _("fornavn"), NAME_MAX_LENGTH)
    family_name = concerns.text_clean(family_name, _("etternavn"), NAME_MAX_LENGTH)
    grounds = concerns.text_clean(grounds, _("grunnlag"), TEXT_MAX_LENGTH, required=False)
    found_items = concerns.text_clean(found_items, _("funnet"), TEXT_MAX_LENGTH, required=False)
    if kind == RegistrationKind.CONCERN and not grounds:
        raise DomainError(_("Skriv hva bekymringen gjelder."), code="required")

    number, birth_date = concerns.identity_resolve(national_id=national_id,
                                                   birth_date=birth_date)
    person = (Person.objects.select_related("district").filter(national_id=number).first()
              if number else None)

    registration = PoliceRegistration.objects.create(
        kind=kind, person=person, national_id=number or "", given_name=given_name,
        family_name=family_name, birth_date=birth_date, occurred_at=occurred_at,
        subdistrict=subdistrict, grounds=grounds, found_items=found_items, unit=unit,
        officer=actor.user, offence_category=offence_category, weapon_type=weapon_type,
        held=held,
    )
    today = clock.today()
    notices: list[GuardianNotice] = []
    key = template_key(kind=kind, weapon_type=weapon_type)
    if today < majority_day(birth_date) and key is not None:
        notices = _notify_guardians(registration, person, key)

    # SaLTo: only within its age range, decided before looking for a case, so that what the
    # receipt says never depends on whether one exists.
    if concerns.age_refusal(birth_date) is None:
        case = (Case.objects.select_for_update(no_key=True).filter(person=person).open()
                .select_related("district").first() if person is not None else None)
        if case is not None:
            sharing_services.concern_entry_add(
                actor=actor, case=case, category=InfoCategory.POLITI,
                text=_summary(registration, case_open=True), author=actor.user,
                source_agency=unit)
            if weapon_type != WeaponType.NONE:
                marker = case_marker_add(actor=actor, case=case,
                                         kind=MarkerKind.WEAPON_TRIGGER)
                webhooks.emit(
                    event=WebhookEvent.WEAPON_TRIGGER,
                    agencies=list(Agency.objects.filter(type=AgencyType.BYDEL,
                                                        district_id=case.district_id)
                                  .values_list("pk", flat=True)),
                    data={"case": str(case.pk)}, key=f"case.weapon_trigger:{marker.pk}",
                    person_id=case.person_id)
            registration.salto_route, registration.salto_case_id = SaltoRoute.ENTRY, case.pk
        else:
            district = person.district if person is not None else subdistrict.district
            concerns.concern_submit(
                actor=actor, district=district, given_name=given_name,
                family_name=family_name, text=_summary(registration, case_open=False),
                national_id=number or "", birth_date=birth_date)
            registration.salto_route = SaltoRoute.CONCERN

    if weapon_type != WeaponType.NONE and today < majority_day(birth_date):
        _weapon_trigger_acts(actor, registration, person)

    registration.notices = [notice.as_json() for notice in notices]
    registration.updated_at = clock.now()
    registration.save(update_fields=["notices", "salto_route", "salto_case_id",
                                     "barnevern_report_id", "barnevern_manual_reason",
                                     "updated_at"])
    audit_record(action=Action.POLICE_REGISTER, actor=actor, obj=registration,
                 persons=[person.pk] if person else [], purpose=Purpose.FOREBYGGING,
                 details={"kind": kind, "weapon": weapon_type, "salto": registration.salto_route,
                          "barnevern_report": bool(registration.barnevern_report_id),
                          "guardians_notified": sum(1 for n in notices if n.message_id),
                          "guardians_manual": sum(1 for n in notices if n.manual_reason)})
    return RegistrationResult(registration=registration, notices=notices)
