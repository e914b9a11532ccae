"""Writes of the release flow, each atomic and audited, every check before the first write:
kriminalomsorgen registers an upcoming release (at least `LAGET_REENTRY_NOTICE_WEEKS` ahead, else
with a reason), hands it over to a NAV office with a named advisor — which opens the reentry plan,
notes the youth guarantee (16–30 on the release day) and, for a person up to
`LAGET_REENTRY_MAX_AGE`, links the open SaLTo case (telling its team through an entry from
kriminalomsorgen) or, in SaLTo's age range without one, sends a concern to the bydel's
coordinator, who opens the case — confirms the release, and NAV keeps the plan, its readiness
checklist and the outcomes 3, 6 and 12 months after release."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType, Membership, User
from laget.areas.models import District
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases import concerns
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify.services import notify_user
from laget.people.models import Person
from laget.people.services import person_create
from laget.records.models import Case
from laget.records.services import CASE_ROLES
from laget.records.vocabulary import InfoCategory
from laget.reentry import access
from laget.reentry.models import (
    Milestone,
    Occupation,
    Outcome,
    ReentryPlan,
    Release,
    ReleaseKind,
    ReleaseStatus,
)
from laget.sharing import services as sharing_services

TEXT_MAX_LENGTH = 2000
PURPOSE = Purpose.OPPFOLGING
YOUTH_GUARANTEE = (16, 30)
PLAN_FIELDS = ("work", "education", "housing", "income", "health_referrals", "activities",
               "first_day_contact", "first_day_contact_phone")
CHECKLIST_FIELDS = ("id_documents", "bank_account", "housing_confirmed", "first_meeting_on")
UPCOMING = (ReleaseStatus.REGISTERED, ReleaseStatus.HANDED_OVER)


add_months = clock.add_months


def outcome_due(release: Release, milestone: int) -> dt.date | None:
    """When the outcome at `milestone` months is due: counted from the actual release."""
    return add_months(release.actual_date, milestone) if release.actual_date else None


def missing_items(plan: ReentryPlan) -> list[str]:
    """The readiness checklist's open items, in words."""
    missing = []
    if not plan.id_documents:
        missing.append(_("ID-dokumenter"))
    if not plan.bank_account:
        missing.append(_("bankkonto"))
    if not plan.housing_confirmed:
        missing.append(_("bekreftet bolig"))
    if plan.first_meeting_on is None:
        missing.append(_("første møte hos NAV"))
    return missing


def youth_guarantee_applies(person: Person, day: dt.date) -> bool:
    low, high = YOUTH_GUARANTEE
    return low <= person.age_on(day) <= high


def _text(value: str, label: str, *, required: bool = False) -> str:
    return concerns.text_clean(value, label, TEXT_MAX_LENGTH, required=required)


def _require_kriminalomsorg(actor: Actor, release: Release | None = None) -> None:
    if not access.is_kriminalomsorg(actor) or (
            release is not None and actor.agency != release.unit):
        raise DomainError(_("Bare kriminalomsorgens enhet som har personen kan gjøre dette."),
                          code="role")


def _require_nav(actor: Actor, plan: ReentryPlan) -> None:
    if not access.is_nav(actor) or actor.agency != plan.nav_office:
        raise DomainError(_("Bare NAV-kontoret som har planen kan gjøre dette."), code="role")


def _locked_release(release: Release) -> Release:
    return Release.objects.select_for_update().select_related("person", "unit").get(
        pk=release.pk)


# --- kriminalomsorgen -----------------------------------------------------------------------

@transaction.atomic
def release_register(
    *, actor: Actor, national_id: str, given_name: str, family_name: str,
    expected_date: dt.date, kind: str, conditions: str = "", electronic_monitoring: bool = False,
    municipality: str = "Oslo", district: District | None = None, short_notice_reason: str = "",
) -> Release:
    """Register an upcoming release from the actor's unit. A person not yet in Laget is
    registered with the number, names and the bydel after release."""
    _require_kriminalomsorg(actor)
    assert actor.agency is not None
    today = clock.today()
    if kind not in ReleaseKind.values:
        raise DomainError(_("Velg type løslatelse."), code="kind")
    if expected_date < today:
        raise DomainError(_("Datoen for løslatelse kan ikke ligge tilbake i tid."),
                          code="expected_date")
    municipality = concerns.text_clean(municipality, _("kommune"), 100)
    if district is not None and not district.has_administration:
        raise DomainError(_("Velg en av Oslos bydeler."), code="district")
    if municipality.casefold() == "oslo" and district is None:
        raise DomainError(_("Velg bydelen personen skal bo i etter løslatelsen."),
                          code="district")
    conditions = _text(conditions, _("vilkår"))
    short_notice_reason = _text(short_notice_reason, _("grunn til kort varsel"))
    weeks = settings.LAGET_REENTRY_NOTICE_WEEKS
    if expected_date < today + dt.timedelta(weeks=weeks) and not short_notice_reason:
        raise DomainError(_("Løslatelsen er mindre enn %(weeks)s uker fram i tid. Skriv hvorfor "
                            "den ikke ble meldt tidligere.") % {"weeks": weeks},
                          code="short_notice")
    if not (national_id or "").strip():
        raise DomainError(_("Fyll ut fødselsnummeret."), code="national_id")
    number, _birth = concerns.identity_resolve(national_id=national_id.strip(), birth_date=None)
    person = Person.objects.filter(national_id=number).first()
    created = person is None
    if person is None:
        if district is None:
            raise DomainError(_("Personen er ikke registrert i Laget. Velg en bydel i Oslo for "
                                "å registrere personen."), code="district")
        person = person_create(data={
            "national_id": number,
            "given_name": concerns.text_clean(given_name, _("fornavn"), 100),
            "family_name": concerns.text_clean(family_name, _("etternavn"), 100),
            "district": district}, registered_by_agency=actor.agency)
        audit_record(action=Action.PERSON_CREATE, actor=actor, obj=person, persons=[person],
                     purpose=Purpose.REGISTRERING, details={"via": "reentry"})
    if Release.objects.filter(person=person, status__in=UPCOMING).exists():
        raise DomainError(_("Personen har allerede en kommende løslatelse registrert."),
                          code="duplicate")
    release = Release.objects.create(
        person=person, unit=actor.agency, registered_by=actor.user,
        expected_date=expected_date, kind=kind, conditions=conditions,
        electronic_monitoring=electronic_monitoring, municipality=municipality,
        district=district, short_notice_reason=short_notice_reason)
    audit_record(action=Action.REENTRY_RELEASE, actor=actor, obj=release, persons=[person],
                 purpose=PURPOSE, details={"event": "register", "person_created": created,
                                           "short_notice": bool(short_notice_reason)})
    return release


def _salto_link(actor: Actor, release: Release, plan: ReentryPlan, office: Agency) -> None:
    """Link the open SaLTo case, or send a concern to the bydel's coordinator (see module)."""
    person = release.person
    if person.age_on(clock.today()) > settings.LAGET_REENTRY_MAX_AGE:
        return
    text = _("Kriminalomsorgen melder at personen ventes løslatt %(date)s. %(office)s følger opp "
             "etter løslatelsen med en plan for arbeid, utdanning, bolig og første dag.") % {
        "date": release.expected_date.strftime("%d.%m.%Y"), "office": office.name}
    case = (Case.objects.select_for_update(no_key=True).filter(person=person).open().first())
    if case is not None:
        sharing_services.concern_entry_add(
            actor=actor, case=case, category=InfoCategory.KRIMINALOMSORG, text=text,
            author=actor.user, source_agency=release.unit)
        plan.salto_case = case
        return
    district = release.district or person.district
    if concerns.age_refusal(person.birth_date) is None and district.has_administration:
        plan.salto_concern = concerns.concern_submit(
            actor=actor, district=district, given_name=person.given_name,
            family_name=person.family_name, text=text, national_id=person.national_id or "",
            birth_date=None if person.national_id else person.birth_date)


@transaction.atomic
def release_handover(*, actor: Actor, release: Release, nav_office: Agency,
                     owner: User) -> ReentryPlan:
    """Hand the release over to a NAV office: opens the reentry plan with `owner` (an advisor
    in a case role there) as its owner; see the module docstring for the SaLTo link."""
    _require_kriminalomsorg(actor, release)
    release = _locked_release(release)
    if release.status != ReleaseStatus.REGISTERED:
        raise DomainError(_("Løslatelsen er allerede overlevert eller avsluttet."),
                          code="status")
    if nav_office.type != AgencyType.NAV:
        raise DomainError(_("Velg et NAV-kontor."), code="nav_office")
    if not Membership.objects.active(clock.today()).filter(
            user=owner, agency=nav_office, role__in=CASE_ROLES).exists():
        raise DomainError(_("Veilederen har ingen aktiv rolle ved dette NAV-kontoret."),
                          code="owner")
    plan = ReentryPlan(
        release=release, nav_office=nav_office, owner=owner, handed_over_by=actor.user,
        handed_over_at=clock.now(),
        youth_guarantee=youth_guarantee_applies(release.person, release.expected_date))
    _salto_link(actor, release, plan, nav_office)
    plan.save()
    release.status, release.updated_at = ReleaseStatus.HANDED_OVER, clock.now()
    release.save(update_fields=["status", "updated_at"])
    audit_record(action=Action.REENTRY_HANDOVER, actor=actor, obj=plan,
                 persons=[release.person_id], purpose=PURPOSE,
                 details={"nav_office": str(nav_office.pk), "owner": str(owner.pk),
                          "salto_case": str(plan.salto_case_id or ""),
                          "salto_concern": bool(plan.salto_concern_id)})
    notify_user(user=owner, key=f"reentry:handover:{plan.pk}",
                subject=_("Ny plan etter løslatelse"),
                body=_("Kriminalomsorgen har overlevert en løslatelse til deg i Laget. Lag "
                       "planen og gå gjennom sjekklisten før løslatelsen."),
                link=f"/loslatelse/plan/{plan.pk}/")
    return plan


@transaction.atomic
def release_confirm(*, actor: Actor, release: Release, actual_date: dt.date) -> Release:
    """The person has been released on `actual_date` (not in the future)."""
    _require_kriminalomsorg(actor, release)
    release = _locked_release(release)
    if release.status not in UPCOMING:
        raise DomainError(_("Løslatelsen er allerede registrert eller avlyst."), code="status")
    if actual_date > clock.today():
        raise DomainError(_("Løslatelsesdatoen kan ikke ligge fram i tid."), code="actual_date")
    if actual_date < release.created_at.date() - dt.timedelta(days=1):
        raise DomainError(_("Løslatelsesdatoen er før løslatelsen ble registrert."),
                          code="actual_date")
    release.actual_date, release.status = actual_date, ReleaseStatus.RELEASED
    release.updated_at = clock.now()
    release.save(update_fields=["actual_date", "status", "updated_at"])
    audit_record(action=Action.REENTRY_RELEASE, actor=actor, obj=release,
                 persons=[release.person_id], purpose=PURPOSE, details={"event": "released"})
    return release


# --- NAV ---------------------------------------------------------------------------------------

def _plan_locked(plan: ReentryPlan) -> ReentryPlan:
    return ReentryPlan.objects.select_for_update().select_related(
        "release", "release__person").get(pk=plan.pk)


@transaction.atomic
def plan_update(*, actor: Actor, plan: ReentryPlan, data: dict[str, Any]) -> list[str]:
    """Change the plan's texts and checklist; returns the names of the fields that changed."""
    _require_nav(actor, plan)
    plan = _plan_locked(plan)
    if plan.release.status == ReleaseStatus.CANCELLED:
        raise DomainError(_("Løslatelsen er avlyst."), code="status")
    changed = []
    for field in PLAN_FIELDS:
        if field in data:
            limit = ReentryPlan._meta.get_field(field).max_length or TEXT_MAX_LENGTH
            value = concerns.text_clean(data[field] or "", str(
                ReentryPlan._meta.get_field(field).verbose_name), limit, required=False)
            if value != getattr(plan, field):
                setattr(plan, field, value)
                changed.append(field)
    for field in CHECKLIST_FIELDS:
        if field in data and data[field] != getattr(plan, field):
            setattr(plan, field, data[field])
            changed.append(field)
    if changed:
        plan.updated_at = clock.now()
        plan.save(update_fields=[*changed, "updated_at"])
        audit_record(action=Action.REENTRY_PLAN, actor=actor, obj=plan,
                     persons=[plan.release.person_id], purpose=PURPOSE,
                     details={"fields": changed})
    return changed


@transaction.atomic
def outcome_record(*, actor: Actor, plan: ReentryPlan, milestone: int, occupation: str,
                   housing_stable: bool, new_conviction: bool) -> Outcome:
    """Record where the person stands `milestone` months after release, once, from its due
    day."""
    _require_nav(actor, plan)
    plan = _plan_locked(plan)
    if milestone not in Milestone.values:
        raise DomainError(_("Ukjent tidspunkt."), code="milestone")
    if occupation not in Occupation.values:
        raise DomainError(_("Velg arbeid eller utdanning."), code="occupation")
    due = outcome_due(plan.release, milestone)
    if due is None:
        raise DomainError(_("Personen er ikke registrert som løslatt ennå."), code="not_released")
    if clock.today() < due:
        raise DomainError(_("Resultatet kan registreres fra %(date)s.")
                          % {"date": due.strftime("%d.%m.%Y")}, code="not_due")
    if Outcome.objects.filter(plan=plan, milestone=milestone).exists():
        raise DomainError(_("Resultatet for dette tidspunktet er allerede registrert."),
                          code="duplicate")
    outcome = Outcome.objects.create(
        plan=plan, milestone=milestone, occupation=occupation, housing_stable=housing_stable,
        new_conviction=new_conviction, recorded_by=actor.user, recorded_on=clock.today())
    audit_record(action=Action.REENTRY_OUTCOME, actor=actor, obj=outcome,
                 persons=[plan.release.person_id], purpose=PURPOSE,
                 details={"milestone": milestone})
    return outcome
