"""The agency leader's quarterly access review: per member of the agency, their roles, the cases
they are on for it (counted, linked only where the leader may open the case), when they last used
their access, and whether they have been idle. It lives in the web layer because it reads
accounts, teams (records) and the audit log together."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max

from laget.accounts.actor import Actor
from laget.accounts.models import AccessReview, Agency, Membership, Role, User
from laget.accounts.selectors import agency_member_list
from laget.audit.actions import Action, Purpose
from laget.audit.models import AuditEvent
from laget.audit.services import audit_record
from laget.core import clock
from laget.records.models import TeamMember
from laget.sharing.selectors import case_ids_openable


@dataclass(frozen=True)
class TeamCase:
    case_id: uuid.UUID
    #: the leader may open the case (else only counted)
    linked: bool

    @property
    def label(self) -> str:
        return str(self.case_id)[:8]


@dataclass
class MemberAccess:
    user: User
    memberships: list[Membership] = field(default_factory=list)
    cases: list[TeamCase] = field(default_factory=list)
    last_login: dt.datetime | None = None
    last_event: dt.datetime | None = None
    idle: bool = False

    @property
    def last_used(self) -> dt.datetime | None:
        times = [t for t in (self.last_login, self.last_event) if t is not None]
        return max(times) if times else None

    @property
    def since(self) -> dt.date:
        return min(m.valid_from for m in self.memberships)


@dataclass(frozen=True)
class ReviewPage:
    agency: Agency
    period: str
    idle_days: int
    members: list[MemberAccess]
    done: AccessReview | None


def quarter_of(day: dt.date) -> str:
    """The review period a day falls in, e.g. "2026-Q4"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def access_review_done(*, agency: Agency, period: str | None = None) -> AccessReview | None:
    """The agency's completed review for the period (the current quarter by default)."""
    return (AccessReview.objects.filter(agency=agency, period=period or quarter_of(clock.today()))
            .select_related("leader").first())


def member_access_list(*, actor: Actor) -> list[MemberAccess]:
    """The leader's agency's current members with their team cases there and last use. A member
    is idle when neither a login nor an audit event of theirs falls within
    LAGET_ACCESS_REVIEW_IDLE_DAYS and they have had a role that long."""
    assert actor.agency is not None and actor.role == Role.LEADER
    agency = actor.agency
    members: dict[int, MemberAccess] = {}
    for membership in agency_member_list(agency=agency):
        members.setdefault(membership.user_id, MemberAccess(user=membership.user)) \
            .memberships.append(membership)
    if not members:
        return []
    teams = list(TeamMember.objects.active().filter(agency=agency, user_id__in=list(members))
                 .order_by("joined_on", "id").values_list("user_id", "case_id"))
    openable = case_ids_openable(actor=actor, case_ids={case_id for _, case_id in teams})
    for user_id, case_id in teams:
        members[user_id].cases.append(TeamCase(case_id, case_id in openable))
    last_events = dict(AuditEvent.objects.filter(actor_id__in=list(members)).order_by()
                       .values("actor_id").annotate(last=Max("occurred_at"))
                       .values_list("actor_id", "last"))
    idle_days = settings.LAGET_ACCESS_REVIEW_IDLE_DAYS
    cutoff = clock.now() - dt.timedelta(days=idle_days)
    for member in members.values():
        member.last_login = member.user.last_login
        member.last_event = last_events.get(member.user.pk)
        used = member.last_used
        member.idle = (used is None or used < cutoff) and member.since <= cutoff.date()
    return list(members.values())


def access_review_page(*, actor: Actor) -> ReviewPage:
    """What the leader reviews this quarter; looking is audited (it shows who works on which
    cases, though nothing about the cases themselves)."""
    assert actor.agency is not None
    members = member_access_list(actor=actor)
    audit_record(action=Action.ACCESS_REVIEW_VIEW, actor=actor, purpose=Purpose.TILSYN,
                 details={"members": len(members),
                          "idle": sum(1 for m in members if m.idle)})
    return ReviewPage(agency=actor.agency, period=quarter_of(clock.today()),
                      idle_days=settings.LAGET_ACCESS_REVIEW_IDLE_DAYS, members=members,
                      done=access_review_done(agency=actor.agency))
