"""Reads of unge forbilder. Programmes and their criteria hold no personal data and are open to
all staff; applications, mentors and mentees are for the programme's staff (and an application's
status for its submitter), every read audited; to anyone else they do not exist (NotFound).
`outcomes` gives the evaluation's counts per programme and year (no personal data)."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Outcome, Purpose
from laget.audit.services import audit_record
from laget.core.errors import NotFound
from laget.mentors import access
from laget.mentors.models import (
    OPEN_STATUSES,
    Application,
    Assessment,
    Benefit,
    BenefitKind,
    Mentor,
    Mentorship,
    MentorshipStatus,
    Programme,
)


def programme_list() -> QuerySet[Programme]:
    return (Programme.objects.select_related("agency", "district")
            .prefetch_related("criteria").order_by("district__name", "name"))


def programme_get(*, programme_id: uuid.UUID | str) -> Programme:
    programme = programme_list().filter(pk=programme_id).first()
    if programme is None:
        raise NotFound()
    return programme


def _denied(actor: Actor, object_id: uuid.UUID | str, what: str) -> NotFound:
    audit_record(action=Action.MENTORS_VIEW, actor=actor, outcome=Outcome.DENIED,
                 purpose=Purpose.FOREBYGGING,
                 details={"object_id": str(object_id), "view": what})
    return NotFound()


@dataclass
class ProgrammeDesk:
    """What the programme's staff work from: undecided applications first, then the decided
    ones, the active mentors, and the mentees referred but not yet paired."""

    programme: Programme
    open_applications: list[Application]
    decided_applications: list[Application]
    mentors: list[Mentor]
    referrals: list[Mentorship]
    free_places: int = field(default=0)


def programme_desk_for(*, actor: Actor, programme: Programme) -> ProgrammeDesk:
    if not access.is_programme_staff(actor, programme):
        raise _denied(actor, programme.pk, "applications")
    applications = list(programme.applications.select_related("person", "submitting_agency")
                        .order_by("created_at"))
    mentors = list(programme.mentors.filter(ended_on__isnull=True).select_related("person")
                   .annotate(active_mentees=Count(
                       "mentorships", filter=Q(mentorships__status=MentorshipStatus.ACTIVE)))
                   .order_by("person__family_name", "person__given_name"))
    referrals = list(programme.mentorships.filter(status=MentorshipStatus.REFERRED)
                     .select_related("mentee", "referring_agency").order_by("created_at"))
    persons = ({a.person_id for a in applications} | {m.person_id for m in mentors}
               | {r.mentee_id for r in referrals})
    audit_record(action=Action.MENTORS_VIEW, actor=actor, obj=programme, persons=persons,
                 purpose=Purpose.FOREBYGGING,
                 details={"view": "applications", "rows": len(persons)})
    return ProgrammeDesk(
        programme=programme,
        open_applications=[a for a in applications if a.status in OPEN_STATUSES],
        decided_applications=[a for a in reversed(applications)
                              if a.status not in OPEN_STATUSES],
        mentors=mentors, referrals=referrals,
        free_places=max(programme.capacity - len(mentors), 0))


def application_get_for(*, actor: Actor, application_id: uuid.UUID | str) -> Application:
    """The application for the programme's staff (with its assessments) or for its submitter;
    NotFound for everyone else."""
    application = (Application.objects.select_related("programme__agency", "person",
                                                      "submitting_agency", "submitted_by",
                                                      "decided_by")
                   .prefetch_related(Prefetch("assessments",
                                              queryset=Assessment.objects.select_related(
                                                  "assessed_by")),
                                     "programme__criteria")
                   .filter(pk=application_id).first())
    if application is None or not (access.is_programme_staff(actor, application.programme)
                                   or access.is_submitter(actor, application)):
        raise _denied(actor, application_id, "application")
    audit_record(action=Action.MENTORS_VIEW, actor=actor, obj=application,
                 persons=[application.person_id], purpose=Purpose.FOREBYGGING,
                 details={"view": "application",
                          "as": "staff" if access.is_programme_staff(actor, application.programme)
                          else "submitter"})
    return application


def applications_mine_for(*, actor: Actor) -> list[Application]:
    """The applications the actor sent from the agency they act in, newest first."""
    if not access.acts_in_case_role(actor) or actor.membership is None:
        return []
    rows = list(Application.objects.filter(submitted_by=actor.user,
                                           submitting_agency=actor.membership.agency)
                .select_related("programme", "person").order_by("-created_at"))
    if rows:
        audit_record(action=Action.MENTORS_VIEW, actor=actor,
                     persons={a.person_id for a in rows}, purpose=Purpose.FOREBYGGING,
                     details={"view": "my_applications", "rows": len(rows)})
    return rows


def mentor_get_for(*, actor: Actor, mentor_id: uuid.UUID | str) -> Mentor:
    """The mentor with benefits and mentees, for the programme's staff only."""
    mentor = (Mentor.objects.select_related("programme__agency", "person", "application")
              .prefetch_related(
                  Prefetch("benefits", queryset=Benefit.objects.select_related("offer")),
                  Prefetch("mentorships", queryset=Mentorship.objects.select_related("mentee")
                           .order_by("status", "-started_on")))
              .filter(pk=mentor_id).first())
    if mentor is None or not access.is_programme_staff(actor, mentor.programme):
        raise _denied(actor, mentor_id, "mentor")
    mentees = {m.mentee_id for m in mentor.mentorships.all()}
    audit_record(action=Action.MENTORS_VIEW, actor=actor, obj=mentor,
                 persons={mentor.person_id, *mentees}, purpose=Purpose.FOREBYGGING,
                 details={"view": "mentor"})
    return mentor


def referrals_for(*, actor: Actor, programme: Programme) -> list[Mentorship]:
    """The mentees waiting for a mentor (for the pairing form on a mentor's page), for the
    programme's staff only."""
    if not access.is_programme_staff(actor, programme):
        raise _denied(actor, programme.pk, "referrals")
    rows = list(programme.mentorships.filter(status=MentorshipStatus.REFERRED)
                .select_related("mentee").order_by("created_at"))
    if rows:
        audit_record(action=Action.MENTORS_VIEW, actor=actor, obj=programme,
                     persons={m.mentee_id for m in rows}, purpose=Purpose.FOREBYGGING,
                     details={"view": "referrals", "rows": len(rows)})
    return rows


# --- outcomes (no personal data) ---------------------------------------------------------------

@dataclass(frozen=True)
class Outcomes:
    year: int
    applications: int
    enrolled: int
    rejected: int
    benefits: dict[str, int]
    active_mentorships: int

    @property
    def benefit_rows(self) -> list[tuple[str, int]]:
        return [(label, self.benefits.get(value, 0)) for value, label in BenefitKind.choices]


def outcomes(*, programme: Programme, year: int) -> Outcomes:
    """Counts for the evaluation: applications received and mentors enrolled in the year,
    benefits given in it by kind, and mentorships active at some time in it."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    applications = programme.applications.filter(created_at__year=year)
    counts = applications.aggregate(
        total=Count("id"), rejected=Count("id", filter=Q(status="avslatt")))
    enrolled = programme.mentors.filter(enrolled_on__range=(first, last)).count()
    benefits = dict(Benefit.objects.filter(mentor__programme=programme,
                                           given_on__range=(first, last))
                    .values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    active = (programme.mentorships.filter(started_on__isnull=False, started_on__lte=last)
              .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first)).count())
    return Outcomes(year=year, applications=counts["total"], enrolled=enrolled,
                    rejected=counts["rejected"], benefits=benefits, active_mentorships=active)
