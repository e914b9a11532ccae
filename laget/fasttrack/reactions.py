"""The tailored reaction plan: reaction forms combined freely (as the source document asks),
made concrete in components — conditions, meetings, programmes, activities — each with the
agency responsible and a due date. Each component becomes a task in the person's SaLTo plan
through `laget.cases.plan.task_create`, in the same transaction, when the person has an open
SaLTo case and the actor may add the task there (on its team, for an agency on the team). When
a component cannot become a task the plan is still saved, and the result says why — in words that
do not reveal whether a SaLTo case exists to someone who is not on its team.

Breaches of the plan are recorded with the reaction to them, and the youth team around the
reaction (ungdomskoordinator, barnevern, school, police, guardians) is kept with the plan."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laget.accounts.actor import Actor
from laget.accounts.models import Agency, AgencyType
from laget.audit.actions import Action, Purpose
from laget.audit.services import audit_record
from laget.cases import measures, plan
from laget.cases.access import may_see_workflow
from laget.core import clock
from laget.core.errors import DomainError
from laget.fasttrack import access
from laget.fasttrack.models import (
    Breach,
    BreachResponse,
    CaseStatus,
    ComponentKind,
    ReactionComponent,
    ReactionForm,
    ReactionPlan,
    ReactionTeamMember,
    TeamRole,
    YouthCase,
)
from laget.notify.guardians import contact_refusal
from laget.people.models import Guardian
from laget.records.models import Case
from laget.sharing.selectors import is_team_member

MEASURE_KIND = "reaksjonsplan"
TEXT_MAX_LENGTH = 300


@dataclass(frozen=True)
class ComponentInput:
    """One component as the form gives it."""

    kind: str
    text: str
    agency: Agency
    due_on: dt.date


@dataclass(frozen=True)
class ComponentOutcome:
    """What became of a component in the SaLTo plan: the task's id, or why there is none."""

    component: ReactionComponent
    salto_task_id: uuid.UUID | None
    not_in_plan_reason: str = ""


@dataclass
class ReactionPlanResult:
    plan: ReactionPlan
    components: list[ComponentOutcome] = field(default_factory=list)
    #: whether the reaction plan was linked as a measure in the SaLTo plan
    linked_in_salto: bool = False


def _check_forms(forms: list[str], custody_days: int | None) -> tuple[list[str], int | None]:
    chosen = list(dict.fromkeys(forms or ()))
    if not chosen:
        raise DomainError(_("Velg minst én reaksjonsform."), code="forms")
    for form in chosen:
        if form not in ReactionForm.values:
            raise DomainError(_("Ukjent reaksjonsform: %(form)s.") % {"form": form},
                              code="forms")
    if ReactionForm.UNGDOMSFENGSEL in chosen:
        low = settings.LAGET_FASTTRACK_YOUTH_CUSTODY_MIN_DAYS
        high = settings.LAGET_FASTTRACK_YOUTH_CUSTODY_MAX_DAYS
        if custody_days is None or not low <= custody_days <= high:
            raise DomainError(_("Ungdomsfengsel skal være fra %(low)s til %(high)s dager.")
                              % {"low": low, "high": high}, code="custody_days")
    elif custody_days is not None:
        raise DomainError(_("Antall dager gjelder bare ungdomsfengsel."), code="custody_days")
    return chosen, custody_days


def _check_component(item: ComponentInput) -> str:
    if item.kind not in ComponentKind.values:
        raise DomainError(_("Ukjent type del i reaksjonsplanen."), code="component_kind")
    text = (item.text or "").strip()
    if not text:
        raise DomainError(_("Skriv hva hver del av planen går ut på."), code="component_text")
    if len(text) > TEXT_MAX_LENGTH:
        raise DomainError(_("En del av planen kan være høyst %(n)s tegn.")
                          % {"n": TEXT_MAX_LENGTH}, code="component_text")
    if item.due_on < clock.today():
        raise DomainError(_("Fristen kan ikke være før i dag."), code="due_past")
    return text


def _salto_case(case: YouthCase) -> Case | None:
    return Case.objects.filter(person_id=case.person_id).open().select_related(
        "district").first()


NOT_ON_TEAM = gettext_lazy("Ikke lagt i en SaLTo-plan: du er ikke med i teamet i en åpen "
                           "SaLTo-sak for personen. Be SaLTo-koordinatoren legge den inn.")


def _to_salto(actor: Actor, salto: Case | None, component: ReactionComponent,
              kind_label: str) -> ComponentOutcome:
    if salto is None or not may_see_workflow(actor, salto):
        return ComponentOutcome(component, None, str(NOT_ON_TEAM))
    try:
        # a savepoint: a refusal by the plan's rules (an agency not on the team) leaves the rest
        with transaction.atomic():
            task = plan.task_create(actor=actor, case=salto, agency=component.agency,
                                    title=f"{kind_label}: {component.text}",
                                    due_on=component.due_on, family_visible=True)
    except DomainError as refusal:
        return ComponentOutcome(component, None,
                                _("Ikke lagt i SaLTo-planen: %(reason)s")
                                % {"reason": refusal.message})
    component.salto_task_id = task.pk
    component.save(update_fields=["salto_task_id", "updated_at"])
    return ComponentOutcome(component, task.pk)


@transaction.atomic
def reaction_plan_create(
    *, actor: Actor, case: YouthCase, forms: list[str], components: list[ComponentInput],
    custody_days: int | None = None,
) -> ReactionPlanResult:
    """Make the case's reaction plan (one per case) and put its components in the SaLTo plan."""
    current = YouthCase.objects.select_for_update().get(pk=case.pk)
    if not access.may_see(actor, current):
        raise DomainError(_("Du har ikke tilgang til saken."), code="not_allowed")
    if not access.may_change_reaction(actor, current):
        raise DomainError(_("Bare påtalejuristen, retten, konfliktrådet eller kriminalomsorgen "
                            "kan lage reaksjonsplanen."), code="not_allowed")
    if current.status != CaseStatus.OPEN:
        raise DomainError(_("Saken er avsluttet."), code="closed")
    if ReactionPlan.objects.filter(case=current).exists():
        raise DomainError(_("Saken har allerede en reaksjonsplan."), code="duplicate")
    forms, custody_days = _check_forms(forms, custody_days)
    texts = [_check_component(item) for item in components]

    reaction = ReactionPlan.objects.create(case=current, forms=forms, custody_days=custody_days,
                                           created_by=actor.user)
    salto = _salto_case(current)
    labels = dict(ComponentKind.choices)
    result = ReactionPlanResult(reaction)
    for item, text in zip(components, texts, strict=True):
        component = ReactionComponent.objects.create(plan=reaction, kind=item.kind, text=text,
                                                     agency=item.agency, due_on=item.due_on)
        result.components.append(_to_salto(actor, salto, component, str(labels[item.kind])))
    if salto is not None and measures.may_link(actor, salto, _measure_kind()):
        measures.measure_link(actor=actor, case=salto, kind=MEASURE_KIND, ref=reaction.pk,
                              expected_version=None)
        result.linked_in_salto = True
    audit_record(action=Action.FASTTRACK_REACTION, actor=actor, obj=reaction,
                 persons=[current.person_id], purpose=Purpose.STRAFFESAK,
                 details={"op": "create", "forms": forms, "components": len(components),
                          "salto_tasks": sum(1 for c in result.components if c.salto_task_id)})
    return result


@transaction.atomic
def breach_record(
    *, actor: Actor, reaction: ReactionPlan, occurred_on: dt.date, response: str,
    component: ReactionComponent | None = None, note: str = "",
) -> Breach:
    """Record a breach of the plan and the reaction to it."""
    case = YouthCase.objects.select_for_update().get(pk=reaction.case_id)
    if not access.may_see(actor, case) or not access.may_change_reaction(actor, case):
        raise DomainError(_("Du har ikke tilgang til saken."), code="not_allowed")
    if response not in BreachResponse.values:
        raise DomainError(_("Velg reaksjonen på bruddet."), code="response")
    if component is not None and component.plan_id != reaction.pk:
        raise DomainError(_("Delen hører til en annen reaksjonsplan."), code="component")
    if occurred_on > clock.today():
        raise DomainError(_("Datoen for bruddet kan ikke være fram i tid."), code="date_future")
    if occurred_on < reaction.created_at.astimezone(clock.OSLO).date():
        raise DomainError(_("Bruddet kan ikke være før reaksjonsplanen ble laget."),
                          code="order")
    note = (note or "").strip()
    if len(note) > TEXT_MAX_LENGTH:
        raise DomainError(_("Merknaden kan være høyst %(n)s tegn.") % {"n": TEXT_MAX_LENGTH},
                          code="note")
    breach = Breach.objects.create(plan=reaction, component=component, occurred_on=occurred_on,
                                   response=response, note=note, recorded_by=actor.user)
    audit_record(action=Action.FASTTRACK_REACTION, actor=actor, obj=reaction,
                 persons=[case.person_id], purpose=Purpose.STRAFFESAK,
                 details={"op": "breach", "response": response})
    return breach


# --- the youth team -------------------------------------------------------------------------------

#: the agency type each agency role of the youth team is filled from
TEAM_AGENCY_TYPES = {
    TeamRole.UNGDOMSKOORDINATOR: AgencyType.KONFLIKTRAAD,
    TeamRole.BARNEVERN: AgencyType.BARNEVERN,
    TeamRole.SKOLE: AgencyType.SKOLE,
    TeamRole.POLITI: AgencyType.POLITI,
}


def _team_case(actor: Actor, reaction: ReactionPlan) -> YouthCase:
    case = YouthCase.objects.select_for_update().get(pk=reaction.case_id)
    if not access.may_see(actor, case) or not access.may_change_reaction(actor, case):
        raise DomainError(_("Du har ikke tilgang til saken."), code="not_allowed")
    if case.status != CaseStatus.OPEN:
        raise DomainError(_("Saken er avsluttet."), code="closed")
    return case


@transaction.atomic
def reaction_team_add(
    *, actor: Actor, reaction: ReactionPlan, role: str, agency: Agency | None = None,
    guardian: Guardian | None = None, name: str = "",
) -> ReactionTeamMember:
    """Add a member to the youth team: an agency in its role (the ungdomskoordinator from the
    konfliktråd), one of the young person's guardians with parental responsibility (not one with
    restricted contact or a protected address), or another named person."""
    case = _team_case(actor, reaction)
    name = (name or "").strip()
    if len(name) > 200:
        raise DomainError(_("Navnet kan være høyst 200 tegn."), code="name")
    if role in TEAM_AGENCY_TYPES:
        if agency is None or agency.type != TEAM_AGENCY_TYPES[role]:
            raise DomainError(_("Velg en virksomhet av riktig type for rollen."), code="agency")
        guardian = None
        if ReactionTeamMember.objects.filter(plan=reaction, role=role, agency=agency).exists():
            raise DomainError(_("Virksomheten er allerede med i teamet i denne rollen."),
                              code="duplicate")
    elif role == TeamRole.FORESATT:
        if (guardian is None or guardian.person_id != case.person_id
                or not guardian.parental_responsibility):
            raise DomainError(_("Velg en av den unges foresatte med foreldreansvar."),
                              code="guardian")
        if contact_refusal(person=case.person, guardian=guardian):
            raise DomainError(_("Denne foresatte kan ikke være med i teamet. Snakk med "
                                "SaLTo-koordinatoren."), code="guardian")
        agency = None
        if ReactionTeamMember.objects.filter(plan=reaction, guardian=guardian).exists():
            raise DomainError(_("Den foresatte er allerede med i teamet."), code="duplicate")
    elif role == TeamRole.ANNEN:
        if not name:
            raise DomainError(_("Skriv navnet på den som skal være med i teamet."), code="name")
        agency, guardian = None, None
    else:
        raise DomainError(_("Ukjent rolle i teamet."), code="role")
    member = ReactionTeamMember.objects.create(plan=reaction, role=role, agency=agency,
                                               guardian=guardian, name=name,
                                               added_by=actor.user)
    audit_record(action=Action.FASTTRACK_REACTION, actor=actor, obj=reaction,
                 persons=[case.person_id], purpose=Purpose.STRAFFESAK,
                 details={"op": "team_add", "role": role})
    return member


@transaction.atomic
def reaction_team_remove(*, actor: Actor, member: ReactionTeamMember) -> None:
    reaction = member.plan
    case = _team_case(actor, reaction)
    role = member.role
    member.delete()
    audit_record(action=Action.FASTTRACK_REACTION, actor=actor, obj=reaction,
                 persons=[case.person_id], purpose=Purpose.STRAFFESAK,
                 details={"op": "team_remove", "role": role})


# --- the measures registry ------------------------------------------------------------------------

def _resolve(ref: uuid.UUID) -> measures.Resolved | None:
    reaction = ReactionPlan.objects.filter(pk=ref).first()
    if reaction is None:
        return None
    labels = dict(ReactionForm.choices)
    return measures.Resolved(", ".join(str(labels[form]) for form in reaction.forms), None)


def _may_link(actor: Actor, case: Case) -> bool:
    # A team member of an agency responsible for a fast-track case links its reaction plan.
    return is_team_member(actor=actor, case=case)


def _measure_kind() -> measures.MeasureKind | None:
    return next((kind for kind in measures.kinds() if kind.kind == MEASURE_KIND), None)


def register_measure() -> None:
    measures.register(MEASURE_KIND, gettext_lazy("Reaksjonsplan (hurtigspor)"),
                      resolve=_resolve, family_visible=True, may_link=_may_link)
