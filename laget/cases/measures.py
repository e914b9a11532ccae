"""The catalogue of measures ("tiltak") a plan can link: activities, intensive follow-up, fast
track, reentry — each owned by its own app. The plan stores only a measure's kind and id; the app
that owns the kind registers, once at start-up (its AppConfig.ready), how to name and show one:

    measures.register("aktivitet", _("Aktivitet"), resolve=activity_for_plan)

where `resolve(ref)` returns `Resolved(name, url)` (or a `(name, url)` pair; `url` may be None)
or None when there is no such measure. New kinds attach without changes here. A link whose kind
is not registered (its app is gone) is still shown, as «ukjent tiltak»."""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _

from laget.accounts.actor import Actor
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases.access import may_coordinate, may_see_workflow
from laget.cases.models import Goal, PlanMeasure
from laget.cases.plan import plan_lock
from laget.core import clock
from laget.core.errors import DomainError
from laget.records.models import Case
from laget.records.services import case_require_open

KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_.-]{0,39}$")


class Resolved(NamedTuple):
    name: str
    url: str | None = None


@dataclass(frozen=True)
class MeasureKind:
    kind: str
    label: Any  # a str or a lazy translation
    resolve: Callable[[uuid.UUID], Resolved | tuple[str, str | None] | None]
    #: whether the family's version of the plan may list measures of this kind
    family_visible: bool = True
    #: besides the coordinator, who may link and end measures of this kind (the owning app's rule)
    may_link: Callable[[Actor, Case], bool] | None = None


@dataclass(frozen=True)
class MeasureView:
    """A linked measure as the plan shows it."""

    measure: PlanMeasure
    label: str
    name: str
    url: str | None
    known: bool
    family_visible: bool


_REGISTRY: dict[str, MeasureKind] = {}


def register(kind: str, label: Any,
             resolve: Callable[[uuid.UUID], Resolved | tuple[str, str | None] | None], *,
             family_visible: bool = True,
             may_link: Callable[[Actor, Case], bool] | None = None) -> None:
    """Register a kind of measure. Registering the same kind again with the same resolver is a
    no-op (apps may be readied more than once in tests); another resolver is a programming error."""
    if not KIND_PATTERN.match(kind):
        raise ValueError(f"measure kind {kind!r} must be a short lower-case code")
    existing = _REGISTRY.get(kind)
    if existing is not None and existing.resolve is not resolve:
        raise ValueError(f"measure kind {kind!r} is already registered")
    _REGISTRY[kind] = MeasureKind(kind, label, resolve, family_visible, may_link)


def unregister(kind: str) -> None:
    _REGISTRY.pop(kind, None)


def kinds() -> list[MeasureKind]:
    return sorted(_REGISTRY.values(), key=lambda k: str(k.label))


def _resolve(kind: MeasureKind, ref: uuid.UUID) -> Resolved | None:
    found = kind.resolve(ref)
    if found is None:
        return None
    return Resolved(*found)


def describe(measure: PlanMeasure) -> MeasureView:
    """How the plan names a linked measure: through its kind's registered resolver, or «ukjent
    tiltak» when the kind is no longer registered or the measure no longer exists."""
    kind = _REGISTRY.get(measure.kind)
    found = _resolve(kind, measure.ref) if kind is not None else None
    if kind is None or found is None:
        return MeasureView(measure, str(kind.label) if kind else _("ukjent tiltak"),
                           _("ukjent tiltak"), None, False, False)
    return MeasureView(measure, str(kind.label), found.name, found.url, True,
                       kind.family_visible)


def may_link(actor: Actor, case: Case, kind: MeasureKind | None) -> bool:
    if not may_see_workflow(actor, case):
        return False
    return may_coordinate(actor, case) or bool(
        kind is not None and kind.may_link is not None and kind.may_link(actor, case))


def may_end(actor: Actor, case: Case, measure: PlanMeasure) -> bool:
    return may_link(actor, case, _REGISTRY.get(measure.kind)) or (
        may_see_workflow(actor, case) and measure.linked_by_id == actor.user.pk)


@transaction.atomic
def measure_link(
    *, actor: Actor, case: Case, kind: str, ref: uuid.UUID, goal: Goal | None = None,
    expected_version: int | None,
) -> PlanMeasure:
    """Link a measure of a registered kind to the plan (under a goal, or to the plan as a whole).
    An unknown kind, a measure its app does not know, or one already linked is refused."""
    registered = _REGISTRY.get(kind)
    if registered is None:
        raise DomainError(_("Ukjent type tiltak."), code="measure_kind")
    if not may_see_workflow(actor, case):
        raise DomainError(_("Du må være med i teamet for å endre planen."), code="not_on_team")
    case_require_open(case)
    if not may_link(actor, case, registered):
        raise DomainError(_("Bare sakens koordinator kan knytte tiltak til planen."),
                          code="not_allowed")
    if _resolve(registered, ref) is None:
        raise DomainError(_("Fant ikke tiltaket."), code="measure_ref")
    plan = plan_lock(actor=actor, case=case, expected_version=expected_version)
    if goal is not None and goal.plan_id != plan.pk:
        raise DomainError(_("Målet hører til en annen plan."), code="goal")
    if PlanMeasure.objects.filter(plan=plan, kind=kind, ref=ref).exists():
        raise DomainError(_("Tiltaket er allerede knyttet til planen."), code="measure_duplicate")
    # (the plan's lock serialises links, so the check above cannot race)
    measure = PlanMeasure.objects.create(plan=plan, goal=goal, kind=kind, ref=ref,
                                         linked_by=actor.user)
    audit_record(action=Action.PLAN_CHANGE, actor=actor, obj=measure, persons=[case.person_id],
                 purpose=Purpose.FOREBYGGING,
                 details={"op": "measure_link", "kind": kind, "version": plan.version})
    return measure


@transaction.atomic
def measure_end(
    *, actor: Actor, case: Case, measure: PlanMeasure, expected_version: int | None,
) -> PlanMeasure:
    """End a linked measure: it stays in the plan, marked as ended today."""
    if not may_see_workflow(actor, case):
        raise DomainError(_("Du må være med i teamet for å endre planen."), code="not_on_team")
    case_require_open(case)
    if not may_end(actor, case, measure):
        raise DomainError(_("Bare sakens koordinator kan avslutte tiltaket."),
                          code="not_allowed")
    plan = plan_lock(actor=actor, case=case, expected_version=expected_version)
    current = PlanMeasure.objects.filter(pk=measure.pk, plan=plan).first()
    if current is None:
        raise DomainError(_("Tiltaket finnes ikke i denne planen."), code="measure")
    if current.ended_on is not None:
        raise DomainError(_("Tiltaket er allerede avsluttet."), code="measure_ended")
    current.ended_on = clock.today()
    current.save(update_fields=["ended_on", "updated_at"])
    audit_record(action=Action.PLAN_CHANGE, actor=actor, obj=current, persons=[case.person_id],
                 purpose=Purpose.FOREBYGGING,
                 details={"op": "measure_end", "kind": current.kind, "version": plan.version})
    return current
