"""The family pages' fixtures, shared by their test modules: the login against the test OIDC
provider process and the family scene."""

from laget.family.tests.test_family import family_on, scene  # noqa: F401 (fixtures)
from tests.oidc.harness import oidc_provider_fixture  # noqa: F401 (fixture)
