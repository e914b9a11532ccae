"""Factories for reentry's tests: the release flow goes through the services (they are what is
tested); these only make the people and agencies around it."""

import datetime as dt

from laget.people.models import Person
from laget.people.tests.factories import PersonFactory


def person_aged(years: int, *, today: dt.date, **kwargs) -> Person:
    """A synthetic person who turns `years` about a month before `today`."""
    born = today.replace(year=today.year - years) - dt.timedelta(days=30)
    return PersonFactory(birth_date=born, **kwargs)
