"""Reads of the release flow, each audited: kriminalomsorgen's unit sees its own releases with the
handover's state and the readiness checklist's open items (not NAV's plan texts); the NAV office
sees its plans with days to release, the open checklist items and the outcomes due. To everyone
else a release or a plan does not exist (NotFound)."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.conf import settings

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Purpose
from laget.audit.actions import Outcome as AuditOutcome
from laget.audit.services import audit_record
from laget.core import clock
from laget.core.errors import NotFound
from laget.reentry import access
from laget.reentry.models import Milestone, Outcome, ReentryPlan, Release, ReleaseStatus
from laget.reentry.services import PURPOSE, missing_items, outcome_due


@dataclass(frozen=True)
class DueOutcome:
    milestone: int
    label: str
    due: dt.date | None
    outcome: Outcome | None

    @property
    def open(self) -> bool:
        return self.outcome is None and self.due is not None and self.due <= clock.today()


@dataclass(frozen=True)
class PlanRow:
    plan: ReentryPlan
    days_left: int | None
    missing: list[str]
    outcomes: list[DueOutcome] = field(default_factory=list)

    @property
    def alert(self) -> bool:
        """Release near and items missing: within the widest alert window."""
        return bool(self.missing and self.days_left is not None
                    and 0 <= self.days_left <= max(settings.LAGET_REENTRY_ALERT_DAYS, default=-1))

    @property
    def outcomes_open(self) -> list[DueOutcome]:
        return [o for o in self.outcomes if o.open]


def outcomes_for(plan: ReentryPlan) -> list[DueOutcome]:
    recorded = {o.milestone: o for o in plan.outcomes.all()}
    return [DueOutcome(m.value, str(m.label), outcome_due(plan.release, m.value),
                       recorded.get(m.value)) for m in Milestone]


def _row(plan: ReentryPlan, today: dt.date) -> PlanRow:
    release = plan.release
    days_left = ((release.expected_date - today).days
                 if release.status == ReleaseStatus.HANDED_OVER else None)
    return PlanRow(plan, days_left, missing_items(plan), outcomes_for(plan))


def _denied(actor: Actor, object_id: uuid.UUID) -> NotFound:
    audit_record(action=Action.REENTRY_VIEW, actor=actor, outcome=AuditOutcome.DENIED,
                 purpose=PURPOSE, details={"object_id": str(object_id)})
    return NotFound()


# --- kriminalomsorgen -----------------------------------------------------------------------

def releases_for_unit(*, actor: Actor) -> list[tuple[Release, PlanRow | None]]:
    """The unit's releases, upcoming first by date, then the released."""
    if not access.is_kriminalomsorg(actor):
        return []
    today = clock.today()
    releases = list(Release.objects.filter(unit=actor.agency)
                    .exclude(status=ReleaseStatus.CANCELLED)
                    .select_related("person", "district", "plan", "plan__nav_office",
                                    "plan__owner")
                    .prefetch_related("plan__outcomes")
                    .order_by("status", "expected_date"))
    audit_record(action=Action.REENTRY_LIST, actor=actor, persons=[r.person_id for r in releases],
                 purpose=PURPOSE, details={"list": "unit", "count": len(releases)})
    return [(r, _row(r.plan, today) if hasattr(r, "plan") else None) for r in releases]


def release_get_for(*, actor: Actor, release_id: uuid.UUID) -> Release:
    release = (Release.objects.select_related("person", "unit", "district", "registered_by")
               .filter(pk=release_id).first())
    if release is None or not access.is_kriminalomsorg(actor) or release.unit != actor.agency:
        raise _denied(actor, release_id)
    audit_record(action=Action.REENTRY_VIEW, actor=actor, obj=release,
                 persons=[release.person_id], purpose=PURPOSE, details={"view": "release"})
    return release


def release_plan_row(release: Release) -> PlanRow | None:
    """What the unit sees of the handover: office, advisor, days left, open checklist items."""
    plan = ReentryPlan.objects.filter(release=release).select_related(
        "nav_office", "owner", "release").first()
    return _row(plan, clock.today()) if plan else None


# --- NAV ---------------------------------------------------------------------------------------

def plans_for_nav(*, actor: Actor) -> list[PlanRow]:
    """The office's plans: alerts first (release near, items missing), then by release date."""
    if not access.is_nav(actor):
        return []
    today = clock.today()
    plans = list(ReentryPlan.objects.filter(nav_office=actor.agency)
                 .exclude(release__status=ReleaseStatus.CANCELLED)
                 .select_related("release", "release__person", "release__unit", "owner")
                 .prefetch_related("outcomes"))
    rows = [_row(p, today) for p in plans]
    rows.sort(key=lambda r: (not r.alert, not r.outcomes_open, r.plan.release.expected_date))
    audit_record(action=Action.REENTRY_LIST, actor=actor,
                 persons=[r.plan.release.person_id for r in rows], purpose=PURPOSE,
                 details={"list": "nav", "count": len(rows)})
    return rows


def plan_get_for(*, actor: Actor, plan_id: uuid.UUID) -> PlanRow:
    plan = (ReentryPlan.objects.select_related(
        "release", "release__person", "release__unit", "release__district", "nav_office",
        "owner", "salto_case", "salto_concern").prefetch_related("outcomes")
        .filter(pk=plan_id).first())
    if plan is None or not access.is_nav(actor) or plan.nav_office != actor.agency:
        raise _denied(actor, plan_id)
    audit_record(action=Action.REENTRY_VIEW, actor=actor, obj=plan,
                 persons=[plan.release.person_id], purpose=PURPOSE, details={"view": "plan"})
    return _row(plan, clock.today())


def outcome_counts(*, actor: Actor) -> dict[int, dict[str, int]]:
    """Per milestone, counts of the office's recorded outcomes (for the evaluation): in work or
    education, stable housing, new conviction. Counts only, no persons."""
    result: dict[int, dict[str, int]] = {}
    if not access.is_nav(actor):
        return result
    for m in Milestone:
        rows = Outcome.objects.filter(plan__nav_office=actor.agency, milestone=m.value)
        result[m.value] = {
            "recorded": rows.count(),
            "occupied": rows.exclude(occupation="none").count(),
            "housing_stable": rows.filter(housing_stable=True).count(),
            "new_conviction": rows.filter(new_conviction=True).count(),
        }
    audit_record(action=Action.REENTRY_LIST, actor=actor, purpose=Purpose.TILSYN,
                 details={"list": "outcome_counts"})
    return result
