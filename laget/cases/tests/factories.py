"""Factories for the coordinated plan (Plan, Goal, Task, PlanMeasure). They write rows directly,
without the services' checks or audit events: use them to set up a scene, and the services in
laget.cases.plan to test the rules."""

import uuid

import factory
from factory.django import DjangoModelFactory

from laget.accounts.tests.factories import AgencyFactory, UserFactory
from laget.cases.models import Goal, Plan, PlanMeasure, Task
from laget.records.tests.factories import CaseFactory


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ("case",)

    case = factory.SubFactory(CaseFactory)


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Mål {n}")
    indicator = "Oppmøte over 90 %"
    created_by = factory.SubFactory(UserFactory)


class TaskFactory(DjangoModelFactory):
    """A task of `plan` (or of `goal`'s plan) for `agency`; give an agency that is on the team when
    the services will touch the task."""

    class Meta:
        model = Task

    plan = factory.LazyAttribute(lambda t: t.goal.plan if t.goal else PlanFactory())
    goal = None
    title = factory.Sequence(lambda n: f"Oppgave {n}")
    agency = factory.SubFactory(AgencyFactory)
    created_by = factory.SubFactory(UserFactory)


class PlanMeasureFactory(DjangoModelFactory):
    class Meta:
        model = PlanMeasure

    plan = factory.SubFactory(PlanFactory)
    kind = "test-tiltak"
    ref = factory.LazyFunction(uuid.uuid4)
    linked_by = factory.SubFactory(UserFactory)
