"""The reaction plan: reaction forms combined freely, ungdomsfengsel within the limits from the
settings, components that become tasks in the person's SaLTo plan in the same transaction (or
say why not, without revealing whether a SaLTo case exists), and breaches with their reaction."""

import datetime as dt

import pytest

from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.cases import measures
from laget.cases.models import PlanMeasure, Task
from laget.cases.services import case_open
from laget.core.errors import DomainError
from laget.fasttrack import reactions, services
from laget.fasttrack.models import Breach, ReactionComponent, ReactionPlan
from laget.fasttrack.reactions import NOT_ON_TEAM, ComponentInput
from laget.fasttrack.tests.conftest import TODAY
from laget.people.tests.factories import PersonFactory
from laget.records.services import team_member_add


@pytest.fixture
def case(scene):
    return scene.open(konfliktraad=scene.konfliktraad.agency,
                      kriminalomsorg=scene.kriminalomsorg.agency)


def _component(agency, kind="meeting", text="Stormøte i konfliktrådet", days=14):
    return ComponentInput(kind=kind, text=text, agency=agency,
                          due_on=TODAY + dt.timedelta(days=days))


def _nothing_written(call, code):
    before = (ReactionPlan.objects.count(), ReactionComponent.objects.count(),
              Task.objects.count(), PlanMeasure.objects.count())
    with pytest.raises(DomainError) as refused:
        call()
    assert refused.value.code == code, refused.value.message
    assert before == (ReactionPlan.objects.count(), ReactionComponent.objects.count(),
                      Task.objects.count(), PlanMeasure.objects.count())
    return refused.value


@pytest.mark.django_db
def test_bad_reaction_plans_are_refused_with_nothing_written(scene, case, settings):
    def make(**kwargs):
        values = {"actor": scene.konfliktraad, "case": case, "forms": ["ungdomsstraff"],
                  "components": [_component(scene.konfliktraad.agency)]}
        values.update(kwargs)
        return reactions.reaction_plan_create(**values)

    error = _nothing_written(lambda: make(forms=["ungdomsstraff", "gapestokk"]), "forms")
    assert "gapestokk" in error.message
    _nothing_written(lambda: make(forms=[]), "forms")
    settings.LAGET_FASTTRACK_YOUTH_CUSTODY_MAX_DAYS = 30
    _nothing_written(lambda: make(forms=["ungdomsfengsel"], custody_days=31), "custody_days")
    _nothing_written(lambda: make(forms=["ungdomsfengsel"]), "custody_days")
    _nothing_written(lambda: make(custody_days=3), "custody_days")
    _nothing_written(lambda: make(components=[_component(scene.konfliktraad.agency,
                                                          kind="avstraffelse")]),
                     "component_kind")
    _nothing_written(lambda: make(components=[_component(scene.konfliktraad.agency,
                                                          days=-1)]), "due_past")
    _nothing_written(lambda: make(actor=scene.court), "not_allowed")  # the court is not named
    plan = make(forms=["ungdomsfengsel", "ungdomsoppfolging", "bot"], custody_days=30).plan
    assert plan.forms == ["ungdomsfengsel", "ungdomsoppfolging", "bot"]
    _nothing_written(lambda: make(), "duplicate")


@pytest.mark.django_db
def test_components_become_tasks_in_the_open_salto_plan(scene, case):
    salto = case_open(actor=scene.coordinator, person=scene.person)
    team_member_add(actor=scene.coordinator, case=salto, user=scene.konfliktraad.user,
                    agency=scene.konfliktraad.agency)
    result = reactions.reaction_plan_create(
        actor=scene.konfliktraad, case=case, forms=["ungdomsstraff", "konfliktraadsmote"],
        components=[_component(scene.konfliktraad.agency),
                    _component(scene.kriminalomsorg.agency, kind="programme",
                               text="Sinnemestringsprogram", days=30)])
    own, other = result.components
    task = Task.objects.get(pk=own.salto_task_id)
    assert task.plan.case == salto and task.agency == scene.konfliktraad.agency
    assert task.title == "Møte: Stormøte i konfliktrådet"
    assert task.due_on == TODAY + dt.timedelta(days=14)
    assert own.component.salto_task_id == task.pk
    # the konfliktråd may not give the kriminalomsorg a task: the plan's own rule, said plainly
    assert other.salto_task_id is None and "Ikke lagt i SaLTo-planen" in other.not_in_plan_reason
    # the reaction plan is linked in the SaLTo plan through the measures registry
    assert result.linked_in_salto
    link = PlanMeasure.objects.get(plan__case=salto, kind=reactions.MEASURE_KIND)
    view = measures.describe(link)
    assert view.known and view.name == "Ungdomsstraff, Møte i konfliktrådet"
    assert AuditEvent.objects.filter(action=Action.FASTTRACK_REACTION).count() == 1
    assert AuditEvent.objects.filter(action=Action.TASK_CHANGE).count() == 1


@pytest.mark.django_db
def test_without_a_salto_team_the_plan_says_so_without_revealing_a_case(scene, case):
    # the person has an open SaLTo case, but the konfliktråd is not on its team: the reason reads
    # the same as when there is no case at all
    case_open(actor=scene.coordinator, person=scene.person)
    result = reactions.reaction_plan_create(
        actor=scene.konfliktraad, case=case, forms=["ungdomsoppfolging"],
        components=[_component(scene.konfliktraad.agency)])
    assert result.components[0].not_in_plan_reason == str(NOT_ON_TEAM)
    assert not result.linked_in_salto and Task.objects.count() == 0


@pytest.mark.django_db
def test_breaches_are_recorded_with_the_reaction_to_them(scene, case):
    result = reactions.reaction_plan_create(
        actor=scene.konfliktraad, case=case, forms=["ungdomsstraff"],
        components=[_component(scene.konfliktraad.agency)])
    component = result.components[0].component
    breach = reactions.breach_record(actor=scene.konfliktraad, reaction=result.plan,
                                     occurred_on=TODAY, response="advarsel",
                                     component=component, note="Møtte ikke")
    assert breach.component == component and breach.response == "advarsel"
    with pytest.raises(DomainError):
        reactions.breach_record(actor=scene.konfliktraad, reaction=result.plan,
                                occurred_on=TODAY, response="pisk")
    with pytest.raises(DomainError):
        reactions.breach_record(actor=scene.other_prosecutor, reaction=result.plan,
                                occurred_on=TODAY, response="advarsel")
    assert Breach.objects.count() == 1
    # the reaction completed ends the case
    services.milestone_record(actor=scene.prosecutor, case=case, kind="charge_decision",
                              occurred_on=TODAY, outcome="konfliktraad")
    services.milestone_record(actor=scene.konfliktraad, case=case, kind="reaction_started",
                              occurred_on=TODAY)
    services.milestone_record(actor=scene.kriminalomsorg, case=case, kind="reaction_completed",
                              occurred_on=TODAY)
    case.refresh_from_db()
    assert case.status == "closed"


@pytest.mark.django_db
def test_the_youth_team_is_kept_with_the_reaction_plan(scene, case):
    from laget.accounts.tests.factories import AgencyFactory
    from laget.fasttrack.models import ReactionTeamMember
    from laget.people.tests.factories import GuardianFactory

    reaction = reactions.reaction_plan_create(
        actor=scene.konfliktraad, case=case, forms=["ungdomsstraff"],
        components=[_component(scene.konfliktraad.agency)]).plan
    mother = GuardianFactory(person=scene.person, given_name="Mor")
    banned = GuardianFactory(person=scene.person, given_name="Far", restricted_contact=True)
    school = AgencyFactory(type="skole", district_id="030111")
    add = reactions.reaction_team_add
    add(actor=scene.konfliktraad, reaction=reaction, role="ungdomskoordinator",
        agency=scene.konfliktraad.agency)
    add(actor=scene.konfliktraad, reaction=reaction, role="skole", agency=school)
    add(actor=scene.konfliktraad, reaction=reaction, role="foresatt", guardian=mother)
    add(actor=scene.konfliktraad, reaction=reaction, role="annen", name="Trener i bokseklubben")
    assert sorted(reaction.team.values_list("role", flat=True)) == [
        "annen", "foresatt", "skole", "ungdomskoordinator"]

    def refused(code, **kwargs):
        before = ReactionTeamMember.objects.count()
        with pytest.raises(DomainError) as error:
            add(actor=scene.konfliktraad, reaction=reaction, **kwargs)
        assert error.value.code == code
        assert ReactionTeamMember.objects.count() == before

    refused("agency", role="barnevern", agency=school)           # wrong type for the role
    refused("duplicate", role="skole", agency=school)
    refused("guardian", role="foresatt", guardian=banned)       # restricted contact
    refused("guardian", role="foresatt",
            guardian=GuardianFactory(person=PersonFactory(district_id="030111")))
    refused("name", role="annen", name="  ")
    refused("role", role="trener", name="X")
    with pytest.raises(DomainError):                             # only those who make the plan
        add(actor=scene.officer, reaction=reaction, role="annen", name="Noen")
    member = reaction.team.get(role="annen")
    reactions.reaction_team_remove(actor=scene.konfliktraad, member=member)
    assert not reaction.team.filter(role="annen").exists()
    ops = [e.details["op"] for e in AuditEvent.objects.filter(action=Action.FASTTRACK_REACTION)]
    assert ops.count("team_add") == 4 and ops.count("team_remove") == 1
