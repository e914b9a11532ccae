"""A kriminalomsorg unit, a police unit and a NAV office with an advisor (and a second NAV user),
a Stovner coordinator, and the shipped rulebook."""

from dataclasses import dataclass

import pytest

from laget.accounts.actor import Actor
from laget.accounts.models import Membership, User


def actor_of(user: User) -> Actor:
    return Actor(user, Membership.objects.select_related("agency").get(user=user))


@dataclass
class Scene:
    ko: Actor
    ko_other: Actor
    police: Actor
    nav: Actor
    coordinator: Actor


@pytest.fixture
def scene(make_member, rulebook) -> Scene:
    ko = actor_of(make_member("caseworker", agency_type="kriminalomsorg", district=None))
    ko_other = actor_of(make_member("caseworker", agency_type="kriminalomsorg", district=None))
    police = actor_of(make_member("caseworker", agency_type="politi", district=None))
    nav = actor_of(make_member("caseworker", agency_type="nav", district="030111"))
    coordinator = actor_of(make_member("coordinator"))
    return Scene(ko, ko_other, police, nav, coordinator)
