"""Writes of unge forbilder: programmes (no personal data), applications with consent, the
criteria assessment, the decision (enrol, waitlist, reject), benefits, and mentees referred and
paired with a mentor. Every write of personal data is atomic and audited, and every check comes
before the first write, so a refusal writes nothing."""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType
from laget.areas.models import District
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import DomainError
from laget.mentors import access
from laget.mentors.models import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    Assessment,
    AssessmentResult,
    Benefit,
    BenefitKind,
    ConsentMethod,
    Criterion,
    Mentor,
    Mentorship,
    MentorshipStatus,
    Programme,
)
from laget.pathways.models import JOB_KINDS, Offer
from laget.people.models import Person

MOTIVATION_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 500
NOTES_MAX_LENGTH = 1000
DESCRIPTION_MAX_LENGTH = 500
#: the agency types that run programmes: a bydel, or a youth club (fritid)
RUNNING_AGENCY_TYPES = frozenset({AgencyType.BYDEL, AgencyType.FRITID})


class Decision:
    ENROL = "enrol"
    WAITLIST = "waitlist"
    REJECT = "reject"
    ALL = (ENROL, WAITLIST, REJECT)


@dataclass(frozen=True)
class Consent:
    """The consent as the member of staff recorded it (given on paper or in a meeting)."""

    method: str
    given_on: dt.date | None
    youth: bool
    guardians: bool


def _text(value: str, label: str, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("Fyll ut %(field)s.") % {"field": label}, code="required")
    if len(value) > max_length:
        raise DomainError(_("%(field)s kan være høyst %(n)s tegn.")
                          % {"field": label.capitalize(), "n": max_length}, code="length")
    return value


def guardian_consent_needed(person: Person, on: dt.date | None = None) -> bool:
    """Under the setting's age the guardians with parental responsibility consent as well."""
    return person.age_on(on or clock.today()) < settings.LAGET_MENTORS_GUARDIAN_CONSENT_UNDER


def _consent_check(person: Person, consent: Consent) -> None:
    if consent.method not in ConsentMethod.values:
        raise DomainError(_("Velg hvordan samtykket ble gitt."), code="consent_method")
    if consent.given_on is None:
        raise DomainError(_("Oppgi datoen samtykket ble gitt."), code="consent_on")
    if consent.given_on > clock.today():
        raise DomainError(_("Samtykket kan ikke være gitt fram i tid."), code="consent_on")
    if not consent.youth:
        raise DomainError(_("Den unge må samtykke selv."), code="consent_youth")
    if guardian_consent_needed(person) and not consent.guardians:
        raise DomainError(
            _("Den unge er under %(age)s år: foresatte med foreldreansvar må også samtykke.")
            % {"age": settings.LAGET_MENTORS_GUARDIAN_CONSENT_UNDER}, code="consent_guardians")


def _require_case_role(actor: Actor) -> Agency:
    if not access.acts_in_case_role(actor) or actor.membership is None:
        raise DomainError(_("Rollen din kan ikke gjøre dette."), code="role")
    return actor.membership.agency


def _require_staff(actor: Actor, programme: Programme) -> None:
    if not access.is_programme_staff(actor, programme):
        raise DomainError(_("Bare programmets egne ansatte kan gjøre dette."), code="role")


# --- programmes (no personal data) ------------------------------------------------------------

@transaction.atomic
def programme_create(
    *, agency: Agency, name: str, capacity: int, criteria: Iterable[tuple[str, bool]],
    district: District | None = None, description: str = "", age_min: int = 15,
    age_max: int = 24, open_for_applications: bool = True,
) -> Programme:
    """A programme with its published criteria (text, required) in the order given."""
    if agency.type not in RUNNING_AGENCY_TYPES:
        raise DomainError(_("Et program drives av en bydel eller et fritidstilbud."),
                          code="agency_type")
    rows = [(_text(text, _("kriteriet"), 300), bool(required)) for text, required in criteria]
    if not rows:
        raise DomainError(_("Et program må ha minst ett kriterium."), code="criteria")
    if capacity < 1:
        raise DomainError(_("Programmet må ha minst én plass."), code="capacity")
    if age_min > age_max:
        raise DomainError(_("Alder fra kan ikke være høyere enn alder til."), code="age")
    programme = Programme.objects.create(
        agency=agency, district=district, name=_text(name, _("navnet"), 200),
        description=_text(description, _("beskrivelsen"), 4000, required=False),
        capacity=capacity, age_min=age_min, age_max=age_max,
        open_for_applications=open_for_applications)
    Criterion.objects.bulk_create([
        Criterion(programme=programme, position=index, text=text, required=required)
        for index, (text, required) in enumerate(rows, start=1)])
    return programme


def active_mentor_count(programme: Programme) -> int:
    return programme.mentors.filter(ended_on__isnull=True).count()


# --- applications --------------------------------------------------------------------------------

@transaction.atomic
def application_submit(
    *, actor: Actor, programme: Programme, person: Person, motivation: str, consent: Consent,
) -> Application:
    """Apply for `person`. The caller has found the person among those the actor may see. The
    young person's consent (and the guardians' under the setting's age) is recorded as given."""
    agency = _require_case_role(actor)
    if not programme.open_for_applications:
        raise DomainError(_("Programmet tar ikke imot søknader nå."), code="closed")
    motivation = _text(motivation, _("begrunnelsen"), MOTIVATION_MAX_LENGTH)
    age = person.age_on(clock.today())
    if not programme.age_min <= age <= programme.age_max:
        raise DomainError(_("Programmet er for unge fra %(min)s til %(max)s år. Den unge er "
                            "%(age)s.") % {"min": programme.age_min, "max": programme.age_max,
                                           "age": age}, code="age")
    _consent_check(person, consent)
    if Application.objects.filter(programme=programme, person=person,
                                  status__in=OPEN_STATUSES).exists():
        raise DomainError(_("Det ligger allerede en søknad for den unge som ikke er avgjort."),
                          code="duplicate")
    if Mentor.objects.filter(programme=programme, person=person, ended_on__isnull=True).exists():
        raise DomainError(_("Den unge er allerede med i programmet."), code="duplicate")
    application = Application.objects.create(
        programme=programme, person=person, submitted_by=actor.user, submitting_agency=agency,
        motivation=motivation, consent_method=consent.method, consent_on=consent.given_on,
        consent_youth=True, consent_guardians=consent.guardians)
    audit_record(action=Action.MENTORS_APPLY, actor=actor, obj=application, persons=[person],
                 purpose=Purpose.FOREBYGGING,
                 details={"programme": str(programme.pk), "consent": consent.method,
                          "guardians_consent": consent.guardians})
    return application


def _locked_application(application: Application) -> Application:
    return (Application.objects.select_for_update().select_related("programme", "person")
            .get(pk=application.pk))


def _require_open(application: Application) -> None:
    if application.status not in OPEN_STATUSES:
        raise DomainError(_("Søknaden er allerede avgjort."), code="decided")


@transaction.atomic
def application_assess(
    *, actor: Actor, application: Application, results: Mapping[str, tuple[str, str]],
) -> list[Assessment]:
    """Record the assessment of the criteria given (criterion id → (result, note)); a criterion
    assessed before gets the new result. Only while the application is undecided."""
    application = _locked_application(application)
    _require_staff(actor, application.programme)
    _require_open(application)
    criteria = {str(c.pk): c for c in application.programme.criteria.all()}
    if not results:
        raise DomainError(_("Vurder minst ett kriterium."), code="required")
    cleaned = []
    for criterion_id, (result, note) in results.items():
        criterion = criteria.get(str(criterion_id))
        if criterion is None:
            raise DomainError(_("Ukjent kriterium."), code="criterion")
        if result not in AssessmentResult.values:
            raise DomainError(_("Velg oppfylt eller ikke oppfylt for hvert kriterium."),
                              code="result")
        cleaned.append((criterion, result, _text(note, _("merknaden"), NOTE_MAX_LENGTH,
                                                 required=False)))
    rows = []
    for criterion, result, note in cleaned:
        row, _created = Assessment.objects.update_or_create(
            application=application, criterion=criterion,
            defaults={"result": result, "note": note, "assessed_by": actor.user,
                      "updated_at": clock.now()})
        rows.append(row)
    audit_record(action=Action.MENTORS_ASSESS, actor=actor, obj=application,
                 persons=[application.person_id], purpose=Purpose.FOREBYGGING,
                 details={"criteria": len(rows),
                          "met": sum(1 for r in rows if r.result == AssessmentResult.MET)})
    return rows


def enrolment_refusal(application: Application) -> str | None:
    """Why the application cannot be enrolled on its assessment (None: it can): every criterion
    assessed, every required one met."""
    assessed = {a.criterion_id: a.result for a in application.assessments.all()}
    criteria = list(application.programme.criteria.all())
    if any(c.pk not in assessed for c in criteria):
        return _("Alle kriteriene må vurderes før den unge kan tas opp.")
    if any(c.required and assessed[c.pk] != AssessmentResult.MET for c in criteria):
        return _("Et kriterium som må være oppfylt, er ikke oppfylt.")
    return None


@transaction.atomic
def application_decide(
    *, actor: Actor, application: Application, decision: str, reason: str = "",
) -> Application:
    """Enrol (starts a `Mentor`), waitlist or reject (with a reason) an undecided application.
    Enrolment needs the criteria met and a free place; the programme row is locked so two
    enrolments cannot both take the last place."""
    application = _locked_application(application)
    programme = Programme.objects.select_for_update().get(pk=application.programme_id)
    _require_staff(actor, programme)
    _require_open(application)
    if decision not in Decision.ALL:
        raise DomainError(_("Ukjent vedtak."), code="decision")
    reason = _text(reason, _("begrunnelsen"), REASON_MAX_LENGTH,
                   required=decision == Decision.REJECT)
    if decision == Decision.WAITLIST and application.status == ApplicationStatus.WAITLISTED:
        raise DomainError(_("Søknaden står allerede på venteliste."), code="decided")
    if decision == Decision.ENROL:
        refusal = enrolment_refusal(application)
        if refusal:
            raise DomainError(refusal, code="criteria")
        if active_mentor_count(programme) >= programme.capacity:
            raise DomainError(_("Programmet er fullt (%(n)s plasser). Sett søknaden på "
                                "venteliste.") % {"n": programme.capacity}, code="capacity")
        if Mentor.objects.filter(programme=programme, person=application.person_id,
                                 ended_on__isnull=True).exists():
            raise DomainError(_("Den unge er allerede med i programmet."), code="duplicate")
    now = clock.now()
    application.status = {Decision.ENROL: ApplicationStatus.ENROLLED,
                          Decision.WAITLIST: ApplicationStatus.WAITLISTED,
                          Decision.REJECT: ApplicationStatus.REJECTED}[decision]
    application.decided_by = actor.user
    application.decided_at = now
    application.decision_reason = reason
    application.updated_at = now
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_reason",
                                    "updated_at"])
    mentor = None
    if decision == Decision.ENROL:
        mentor = Mentor.objects.create(programme=programme, person_id=application.person_id,
                                       application=application, enrolled_on=clock.today())
    audit_record(action=Action.MENTORS_DECIDE, actor=actor, obj=application,
                 persons=[application.person_id], purpose=Purpose.FOREBYGGING,
                 details={"decision": decision,
                          "mentor": str(mentor.pk) if mentor is not None else None})
    return application


# --- the mentor ----------------------------------------------------------------------------------

def _locked_mentor(mentor: Mentor) -> Mentor:
    return Mentor.objects.select_for_update().select_related("programme").get(pk=mentor.pk)


def _require_active_mentor(mentor: Mentor) -> None:
    if mentor.ended_on is not None:
        raise DomainError(_("Forbildet er ikke lenger med i programmet."), code="ended")


@transaction.atomic
def benefit_add(
    *, actor: Actor, mentor: Mentor, kind: str, given_on: dt.date | None, description: str,
    offer: Offer | None = None,
) -> Benefit:
    """Record what the young role model got. A part-time job from the catalogue must be a job;
    an offer from the catalogue must be active."""
    mentor = _locked_mentor(mentor)
    _require_staff(actor, mentor.programme)
    _require_active_mentor(mentor)
    if kind not in BenefitKind.values:
        raise DomainError(_("Velg hva slags tilbud det er."), code="kind")
    if given_on is None:
        raise DomainError(_("Oppgi datoen."), code="given_on")
    if given_on < mentor.enrolled_on:
        raise DomainError(_("Datoen kan ikke være før forbildet ble tatt opp."), code="given_on")
    description = _text(description, _("beskrivelsen"), DESCRIPTION_MAX_LENGTH)
    if offer is not None:
        if not offer.active:
            raise DomainError(_("Tilbudet i katalogen er ikke aktivt."), code="offer")
        if kind == BenefitKind.PART_TIME_JOB and offer.kind not in JOB_KINDS:
            raise DomainError(_("En deltidsjobb må kobles til en jobb i katalogen."),
                              code="offer")
    benefit = Benefit.objects.create(mentor=mentor, kind=kind, given_on=given_on,
                                     description=description, offer=offer,
                                     recorded_by=actor.user)
    audit_record(action=Action.MENTORS_BENEFIT, actor=actor, obj=benefit,
                 persons=[mentor.person_id], purpose=Purpose.FOREBYGGING,
                 details={"kind": kind, "offer": str(offer.pk) if offer else None})
    return benefit


@transaction.atomic
def mentor_end(*, actor: Actor, mentor: Mentor, ended_on: dt.date | None = None) -> Mentor:
    """The young role model leaves the programme (the place is free again); their active
    mentorships end the same day."""
    mentor = _locked_mentor(mentor)
    _require_staff(actor, mentor.programme)
    _require_active_mentor(mentor)
    day = ended_on or clock.today()
    if day < mentor.enrolled_on or day > clock.today():
        raise DomainError(_("Sluttdatoen må være mellom opptaket og i dag."), code="ended_on")
    mentor.ended_on = day
    mentor.updated_at = clock.now()
    mentor.save(update_fields=["ended_on", "updated_at"])
    ended = list(mentor.mentorships.filter(status=MentorshipStatus.ACTIVE)
                 .values_list("mentee_id", flat=True))
    mentor.mentorships.filter(status=MentorshipStatus.ACTIVE).update(
        status=MentorshipStatus.ENDED, ended_on=day, updated_at=clock.now())
    audit_record(action=Action.MENTORS_DECIDE, actor=actor, obj=mentor,
                 persons=[mentor.person_id, *ended], purpose=Purpose.FOREBYGGING,
                 details={"decision": "end", "mentorships_ended": len(ended)})
    return mentor


# --- mentees ---------------------------------------------------------------------------------

@transaction.atomic
def mentee_refer(
    *, actor: Actor, programme: Programme, person: Person, consent: Consent,
) -> Mentorship:
    """A case role refers a young person to get a mentor, with their consent (and the guardians'
    under the setting's age). The caller has found the person among those the actor may see;
    the referral is how the programme's staff come to know the mentee."""
    agency = _require_case_role(actor)
    _consent_check(person, consent)
    if Mentorship.objects.filter(programme=programme, mentee=person).exclude(
            status=MentorshipStatus.ENDED).exists():
        raise DomainError(_("Den unge er allerede henvist til programmet."), code="duplicate")
    if Mentor.objects.filter(programme=programme, person=person, ended_on__isnull=True).exists():
        raise DomainError(_("Den unge er selv et forbilde i programmet."), code="mentor")
    mentorship = Mentorship.objects.create(
        programme=programme, mentee=person, referred_by=actor.user, referring_agency=agency,
        consent_method=consent.method, consent_on=consent.given_on, consent_youth=True,
        consent_guardians=consent.guardians)
    audit_record(action=Action.MENTORS_MENTORSHIP, actor=actor, obj=mentorship,
                 persons=[person], purpose=Purpose.FOREBYGGING,
                 details={"step": "refer", "programme": str(programme.pk),
                          "consent": consent.method, "guardians_consent": consent.guardians})
    return mentorship


def _locked_mentorship(mentorship: Mentorship) -> Mentorship:
    return (Mentorship.objects.select_for_update().select_related("programme")
            .get(pk=mentorship.pk))


@transaction.atomic
def mentorship_start(*, actor: Actor, mentorship: Mentorship, mentor: Mentor) -> Mentorship:
    """Pair a referred mentee with an active mentor of the same programme."""
    mentorship = _locked_mentorship(mentorship)
    mentor = _locked_mentor(mentor)
    _require_staff(actor, mentorship.programme)
    if mentorship.status != MentorshipStatus.REFERRED:
        raise DomainError(_("Den unge har allerede fått et forbilde."), code="status")
    if mentor.programme_id != mentorship.programme_id:
        raise DomainError(_("Forbildet er med i et annet program."), code="programme")
    _require_active_mentor(mentor)
    if mentor.person_id == mentorship.mentee_id:
        raise DomainError(_("Et forbilde kan ikke være sitt eget forbilde."), code="self")
    mentorship.mentor = mentor
    mentorship.status = MentorshipStatus.ACTIVE
    mentorship.started_on = clock.today()
    mentorship.updated_at = clock.now()
    mentorship.save(update_fields=["mentor", "status", "started_on", "updated_at"])
    audit_record(action=Action.MENTORS_MENTORSHIP, actor=actor, obj=mentorship,
                 persons=[mentorship.mentee_id, mentor.person_id], purpose=Purpose.FOREBYGGING,
                 details={"step": "start", "mentor": str(mentor.pk)})
    return mentorship


@transaction.atomic
def mentorship_update(
    *, actor: Actor, mentorship: Mentorship, meetings: int, notes: str,
) -> Mentorship:
    """The number of meetings held and short notes (no sensitive data) of an active
    mentorship."""
    mentorship = _locked_mentorship(mentorship)
    _require_staff(actor, mentorship.programme)
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise DomainError(_("Mentorskapet er ikke aktivt."), code="status")
    if meetings < mentorship.meetings:
        raise DomainError(_("Antall møter kan ikke bli lavere enn før (%(n)s).")
                          % {"n": mentorship.meetings}, code="meetings")
    if meetings > 1000:
        raise DomainError(_("Antall møter er for høyt."), code="meetings")
    mentorship.meetings = meetings
    mentorship.notes = _text(notes, _("notatene"), NOTES_MAX_LENGTH, required=False)
    mentorship.updated_at = clock.now()
    mentorship.save(update_fields=["meetings", "notes", "updated_at"])
    audit_record(action=Action.MENTORS_MENTORSHIP, actor=actor, obj=mentorship,
                 persons=[mentorship.mentee_id], purpose=Purpose.FOREBYGGING,
                 details={"step": "update", "meetings": meetings})
    return mentorship


@transaction.atomic
def mentorship_end(*, actor: Actor, mentorship: Mentorship) -> Mentorship:
    """End a mentorship (or a referral that never got a mentor) today."""
    mentorship = _locked_mentorship(mentorship)
    _require_staff(actor, mentorship.programme)
    if mentorship.status == MentorshipStatus.ENDED:
        raise DomainError(_("Mentorskapet er allerede avsluttet."), code="status")
    mentorship.status = MentorshipStatus.ENDED
    mentorship.ended_on = clock.today()
    mentorship.updated_at = clock.now()
    mentorship.save(update_fields=["status", "ended_on", "updated_at"])
    audit_record(action=Action.MENTORS_MENTORSHIP, actor=actor, obj=mentorship,
                 persons=[mentorship.mentee_id], purpose=Purpose.FOREBYGGING,
                 details={"step": "end"})
    return mentorship
