"""Factories for cases and teams (entries are written through laget.sharing.services)."""

import factory

from laget.accounts.tests.factories import AgencyFactory, UserFactory
from laget.people.tests.factories import PersonFactory
from laget.records.models import Case, TeamMember


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    person = factory.SubFactory(PersonFactory)
    district_id = factory.SelfAttribute("person.district_id")
    opened_by = factory.SubFactory(UserFactory)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    added_by = factory.SelfAttribute("user")
