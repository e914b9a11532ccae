"""Who may do what in intensive follow-up. The case's bydel coordinator (or leader) runs the
enrolment; a follow-up member — a named member of the case's team, still on it today, acting in
that agency — sees the youth's week plan while the enrolment runs and checks in against their own
slots. To everyone else an enrolment does not exist."""

import datetime as dt

from django.db.models import Q, QuerySet

from laget.accounts.actor import Actor
from laget.core import clock
from laget.intensive.models import Enrolment, FollowUpMember
from laget.records.models import Case, TeamMember
from laget.records.services import CASE_ROLES, is_district_coordinator


def active_enrolments(day: dt.date) -> QuerySet[Enrolment]:
    """Enrolments not ended by the day (those starting later included: they hold a place)."""
    return Enrolment.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def is_running(enrolment: Enrolment, day: dt.date) -> bool:
    return enrolment.ended_on is None or enrolment.ended_on > day


def coordinates(actor: Actor, case: Case) -> bool:
    return is_district_coordinator(actor, case.district_id)


def member_rows(actor: Actor) -> QuerySet[FollowUpMember]:
    """The actor's follow-up memberships that count today: not removed, their team membership
    active, and acting in the agency they are on the team for."""
    if actor.role not in CASE_ROLES or actor.agency is None:
        return FollowUpMember.objects.none()
    team = TeamMember.objects.active(clock.today()).filter(user_id=actor.user.pk,
                                                            agency_id=actor.agency.pk)
    return FollowUpMember.objects.filter(removed_at__isnull=True, team_member__in=team)


def follow_up_member(actor: Actor, enrolment: Enrolment) -> FollowUpMember | None:
    return member_rows(actor).filter(enrolment=enrolment).first()


def may_view(actor: Actor, enrolment: Enrolment) -> bool:
    """The coordinator always; a follow-up member while the enrolment runs (their view of the
    plan ends with it, as the programme's sharing does)."""
    if coordinates(actor, enrolment.case):
        return True
    return is_running(enrolment, clock.today()) and follow_up_member(actor, enrolment) is not None
