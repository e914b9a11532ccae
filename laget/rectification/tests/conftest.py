"""Fixtures of the rectification tests: the family scene (a Stovner case with a coordinator, a
school and a barnevern caseworker on the team, the school's entry, a plan, and the guardians'
consent that lets barnevern read the school's entries) and the family login against the test
OIDC provider process."""

import pytest

from laget.family.tests.scene import FamilyScene, family_scene
from laget.family.tests.test_family import family_on  # noqa: F401 (fixture)
from tests.oidc.harness import oidc_provider_fixture  # noqa: F401 (fixture)


@pytest.fixture
def scene(make_member, rulebook) -> FamilyScene:
    return family_scene(make_member)
