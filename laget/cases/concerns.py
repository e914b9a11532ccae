"""Concerns ("bekymringer"): any member agency tells a bydel's SaLTo coordinator about a young
person; the coordinator opens a case from it or finds no basis. A concern about a person who
already has an open case lands on that case at once, as an entry from the submitting agency.

The submitter is never told what came of it: whether the person is registered or has a case is
itself confidential. So the submit service returns the same receipt whatever happens, and the
submitter's own list shows only when and to which bydel.

The concern is addressed to the bydel the submitter chose; when the number belongs to a registered
person, the coordinator of the person's own bydel assesses it (that is where a case would be)."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType
from laget.areas.models import District
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.services import audit_record
from laget.cases import services as case_services
from laget.cases.models import Concern, ConcernStatus
from laget.core import clock
from laget.core.errors import DomainError, NotFound
from laget.notify import webhooks
from laget.notify.models import WebhookEvent
from laget.people.models import Person
from laget.people.services import national_id_parse
from laget.records.models import Case
from laget.records.services import CASE_ROLES, is_district_coordinator
from laget.records.vocabulary import InfoCategory
from laget.sharing import services as sharing_services
from laget.sharing.engine import age_on

TEXT_MAX_LENGTH = 10_000
ASSESSMENT_MAX_LENGTH = 2000
NAME_MAX_LENGTH = 100
PAGE_SIZE = 25

#: The category a concern's text gets as an entry: the submitting agency's own information.
#: (The types named like a category write that category; the rest as the demo's agencies do.)
CONCERN_CATEGORY: dict[str, str] = {
    **{t: t for t in AgencyType.values if t in InfoCategory.values},
    AgencyType.BYDEL: InfoCategory.FAMILIE,
    AgencyType.FRITID: InfoCategory.AKTIVITET,
    AgencyType.DOMSTOL: InfoCategory.POLITI,
    AgencyType.BY: InfoCategory.FAMILIE,
}


def concern_category(agency_type: str) -> str:
    return CONCERN_CATEGORY.get(agency_type, InfoCategory.FAMILIE)


def age_refusal(birth_date: dt.date) -> str | None:
    """The reason a person of this birth date is outside SaLTo's age range today, or None."""
    age = age_on(birth_date, clock.today())
    low, high = settings.LAGET_SALTO_MIN_AGE, settings.LAGET_SALTO_MAX_AGE
    if low <= age <= high:
        return None
    return _("Personen er %(age)s år. SaLTo gjelder barn og unge fra %(min)s til %(max)s år, så "
             "bekymringen kan ikke sendes til SaLTo-koordinatoren. Meld den direkte til "
             "tjenesten som kan hjelpe, for eksempel barnevernet eller politiet.") % {
        "age": age, "min": low, "max": high}


def concern_age(*, concern: Concern) -> int:
    return age_on(concern.birth_date, clock.today())


# --- submit --------------------------------------------------------------------------------------

def text_clean(value: str, label: str, max_length: int, *, required: bool = True) -> str:
    """Typed text, stripped; required unless said, and within `max_length` (a clear message)."""
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("Fyll ut %(field)s.") % {"field": label}, code="required")
    if len(value) > max_length:
        raise DomainError(_("%(field)s kan være høyst %(n)s tegn.")
                          % {"field": label.capitalize(), "n": max_length}, code="length")
    return value


def identity_resolve(*, national_id: str, birth_date: dt.date | None
                     ) -> tuple[str | None, dt.date]:
    """Who a report is about, as a sender gives it: a valid number (its birth date must agree with
    one typed too) or a birth date alone, never in the future. Returns (number or None, date)."""
    number = None
    if national_id:
        try:
            parsed = national_id_parse(national_id)
        except ValidationError as error:
            raise DomainError(" ".join(error.messages), code="national_id") from None
        if birth_date is not None and birth_date != parsed.birth_date:
            raise DomainError(_("Fødselsdatoen stemmer ikke med fødselsnummeret."),
                              code="birth_date")
        number, birth_date = parsed.number, parsed.birth_date
    if birth_date is None:
        raise DomainError(_("Oppgi fødselsdato når du ikke har fødselsnummeret."),
                          code="birth_date")
    if birth_date > clock.today():
        raise DomainError(_("Fødselsdatoen kan ikke ligge fram i tid."), code="birth_date")
    return number, birth_date


@transaction.atomic
def concern_submit(
    *, actor: Actor, district: District, given_name: str, family_name: str, text: str,
    national_id: str = "", birth_date: dt.date | None = None,
) -> Concern:
    """Send a concern to the SaLTo coordinator of `district`. With a number that belongs to a
    person with an open case, the concern lands on the case at once (an entry from the actor's
    agency, which the sharing rules then govern). The caller tells the submitter only that the
    concern was sent to `district`: this function's effects differ, its answer must not."""
    if actor.membership is None or actor.role not in CASE_ROLES:
        raise DomainError(_("Rollen din kan ikke melde bekymringer."), code="role")
    agency = actor.membership.agency
    if not district.has_administration:
        raise DomainError(_("Velg en av Oslos bydeler."), code="district")
    given_name = text_clean(given_name, _("fornavn"), NAME_MAX_LENGTH)
    family_name = text_clean(family_name, _("etternavn"), NAME_MAX_LENGTH)
    text = text_clean(text, _("bekymringen"), TEXT_MAX_LENGTH)
    number, birth_date = identity_resolve(national_id=national_id, birth_date=birth_date)
    refusal = age_refusal(birth_date)
    if refusal:
        raise DomainError(refusal, code="age")

    person = Person.objects.filter(national_id=number).first() if number else None
    # The case row is locked so that it cannot be closed between finding it and writing to it
    # (which would make the write fail, and the failure tell the submitter a case existed).
    case = (Case.objects.select_for_update(no_key=True).filter(person=person).open().first()
            if person is not None else None)
    concern = Concern(
        district=district, person=person, national_id=number, given_name=given_name,
        family_name=family_name, birth_date=birth_date, text=text, submitted_by=actor.user,
        submitting_agency=agency, submitted_at=clock.now(),
    )
    if case is not None:
        entry = sharing_services.concern_entry_add(
            actor=actor, case=case, category=concern_category(agency.type), text=text,
            author=actor.user, source_agency=agency)
        concern.status, concern.case, concern.entry_id = ConcernStatus.ON_CASE, case, entry.pk
    concern.save()
    audit_record(action=Action.CONCERN_SUBMIT, actor=actor, obj=concern,
                 persons=[person.pk] if person else [], purpose=Purpose.FOREBYGGING,
                 details={"district": district.pk})
    webhooks.emit(event=WebhookEvent.CONCERN_RECEIVED,
                  agencies=list(Agency.objects.filter(type=AgencyType.BYDEL, district=district)
                                .values_list("pk", flat=True)),
                  data={"concern": str(concern.pk), "district": district.pk},
                  key=f"concern.received:{concern.pk}", person_id=person.pk if person else None)
    return concern


@dataclass(frozen=True)
class Receipt:
    """What the submitter sees of a concern: when, and to which bydel. Nothing about its fate."""

    submitted_at: dt.datetime
    district: str


def concern_receipts_for(*, actor: Actor, page: int | str = 1) -> Page:
    """The concerns the actor has submitted, as receipts, newest first. Only the two columns are
    read, so nothing else can reach the page."""
    rows = (Concern.objects.filter(submitted_by=actor.user)
            .order_by("-submitted_at", "-id").values_list("submitted_at", "district__name"))
    result = Paginator(rows, PAGE_SIZE).get_page(page)
    result.object_list = [Receipt(at, name) for at, name in result.object_list]
    return result


# --- the coordinator's assessment ----------------------------------------------------------------

def concerns_addressed_to(district_id: str) -> Q:
    """Concerns a bydel's coordinator assesses: those about a person registered in the bydel,
    and those about an unregistered person addressed to the bydel."""
    return Q(person__district_id=district_id) | Q(person__isnull=True, district_id=district_id)


def _assessor_district(actor: Actor) -> str | None:
    agency = actor.agency
    if agency is None or not agency.district_id or not is_district_coordinator(
            actor, agency.district_id):
        return None
    return agency.district_id


def _assessable(actor: Actor) -> QuerySet[Concern]:
    district = _assessor_district(actor)
    if district is None:
        return Concern.objects.none()
    # A concern that landed on an open case is the case's now: read it there, through the rules.
    return Concern.objects.filter(concerns_addressed_to(district)).exclude(
        status=ConcernStatus.ON_CASE)


def concern_new_for(*, actor: Actor) -> QuerySet[Concern]:
    """New concerns awaiting the actor's assessment (the desk records the read)."""
    return (_assessable(actor).filter(status=ConcernStatus.NEW)
            .select_related("submitting_agency", "district", "person")
            .order_by("submitted_at", "id"))


def concern_get_for(*, actor: Actor, concern_id: uuid.UUID | str) -> Concern:
    """A concern for its assessor (the coordinator or leader of the bydel it goes to), audited;
    to anyone else NotFound, also audited."""
    concern = (_assessable(actor).filter(pk=concern_id)
               .select_related("submitting_agency", "submitted_by", "district", "person",
                               "person__district", "case", "assessed_by").first())
    if concern is None:
        audit_record(action=Action.CONCERN_VIEW, actor=actor, outcome=Outcome.DENIED,
                     purpose=Purpose.FOREBYGGING, details={"object_id": str(concern_id)})
        raise NotFound()
    audit_record(action=Action.CONCERN_VIEW, actor=actor, obj=concern,
                 persons=[concern.person_id] if concern.person_id else [],
                 purpose=Purpose.FOREBYGGING)
    return concern


def concern_lock_for_assessment(*, actor: Actor, concern_id: uuid.UUID | str) -> Concern:
    """Lock a new concern for the actor's assessment (inside the assessing transaction); a
    concern someone else assessed meanwhile is refused with a clear message."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("concern_lock_for_assessment() runs inside a transaction")
    if _assessor_district(actor) is None:
        raise NotFound()
    locked = Concern.objects.select_for_update().filter(pk=concern_id).first()
    if locked is None or not _assessable(actor).filter(pk=locked.pk).exists():
        raise NotFound()
    if locked.status != ConcernStatus.NEW:
        raise DomainError(_("Bekymringen er allerede vurdert (%(status)s).")
                          % {"status": locked.get_status_display()}, code="assessed")
    return locked


def concern_person_match(*, concern: Concern) -> Person | None:
    """The registered person the concern is about: linked when it was submitted, or registered
    with its number since."""
    if concern.person_id is not None:
        return concern.person
    if concern.national_id:
        return Person.objects.filter(national_id=concern.national_id).first()
    return None


def concern_person_data(*, concern: Concern) -> dict[str, Any]:
    """The concern's data as person registration expects it (laget.people.services)."""
    return {"national_id": concern.national_id or "", "birth_date": concern.birth_date,
            "given_name": concern.given_name, "family_name": concern.family_name,
            "district": concern.district}


def _assessed(concern: Concern, actor: Actor, status: str) -> None:
    now = clock.now()
    concern.status, concern.assessed_by, concern.assessed_at = status, actor.user, now
    concern.updated_at = now


@transaction.atomic
def concern_case_open(*, actor: Actor, concern: Concern, person: Person) -> Case:
    """Open a case from a locked new concern (concern_lock_for_assessment) for the registered
    person it is about: the case opens in assessment (age range, one open case per person and
    the bydel's coordinator are case_open's rules), and the concern becomes an entry on it from
    the submitting agency."""
    if concern.status != ConcernStatus.NEW:
        raise DomainError(_("Bekymringen er allerede vurdert."), code="assessed")
    refusal = age_refusal(person.birth_date)
    if refusal:
        raise DomainError(refusal, code="age")
    existing = (Case.objects.select_for_update(no_key=True).filter(person=person).open()
                .first())
    if existing is not None and existing.district_id != concern.district_id:
        raise DomainError(
            _("Personen har en åpen sak i en annen bydel. Bekymringen er ikke lagt til den; "
              "kontakt koordinatoren der, eller vurder den som «ikke grunnlag»."),
            code="duplicate")
    # A case opened for the person while the concern waited: the concern lands on it, as a
    # concern sent after the case was opened would have.
    case = existing or case_services.case_open(actor=actor, person=person)
    agency = concern.submitting_agency
    entry = sharing_services.concern_entry_add(
        actor=actor, case=case, category=concern_category(agency.type), text=concern.text,
        author=concern.submitted_by, source_agency=agency)
    _assessed(concern, actor, ConcernStatus.ON_CASE if existing else ConcernStatus.CASE_OPENED)
    concern.person, concern.case, concern.entry_id = person, case, entry.pk
    concern.save(update_fields=["status", "assessed_by", "assessed_at", "person", "case",
                                "entry_id", "updated_at"])
    audit_record(action=Action.CONCERN_ASSESS, actor=actor, obj=concern, persons=[person.pk],
                 purpose=Purpose.FOREBYGGING,
                 details={"outcome": concern.status, "case": str(case.pk)})
    return case


@transaction.atomic
def concern_dismiss(*, actor: Actor, concern_id: uuid.UUID | str, assessment: str) -> Concern:
    """No basis for a SaLTo case: the coordinator's written assessment is kept with the concern."""
    concern = concern_lock_for_assessment(actor=actor, concern_id=concern_id)
    assessment = (assessment or "").strip()
    if not assessment:
        raise DomainError(_("Skriv hvorfor det ikke er grunnlag for en sak."), code="assessment")
    if len(assessment) > ASSESSMENT_MAX_LENGTH:
        raise DomainError(_("Vurderingen kan være høyst %(n)s tegn.")
                          % {"n": ASSESSMENT_MAX_LENGTH}, code="assessment")
    _assessed(concern, actor, ConcernStatus.DISMISSED)
    concern.assessment = assessment
    concern.save(update_fields=["status", "assessed_by", "assessed_at", "assessment",
                                "updated_at"])
    # The assessment is free text about a person: it stays with the concern, not in the log.
    audit_record(action=Action.CONCERN_ASSESS, actor=actor, obj=concern,
                 persons=[concern.person_id] if concern.person_id else [],
                 purpose=Purpose.FOREBYGGING, details={"outcome": ConcernStatus.DISMISSED})
    return concern
