"""Shared fixtures: agencies, users with memberships and TOTP devices, logged-in clients."""

import os

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from laget.accounts.tests.factories import AgencyFactory, MembershipFactory, UserFactory

hypothesis_settings.register_profile("dev", max_examples=100)
hypothesis_settings.register_profile(
    "ci", max_examples=200, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# `make fuzz`: many examples, new ones each run (tests/fuzz).
hypothesis_settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("LAGET_FUZZ_EXAMPLES", "1000")), deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def make_member(db):
    """make_member(role, agency_type='bydel', district='030111') -> User with one membership."""

    def make(role: str, agency_type: str = "bydel", district: str | None = "030111", **kwargs):
        agency = kwargs.pop("agency", None) or AgencyFactory(type=agency_type,
                                                             district_id=district)
        user = UserFactory(**kwargs)
        MembershipFactory(user=user, agency=agency, role=role)
        return user

    return make


@pytest.fixture
def login(db):
    """login(client, user): a verified session (password and second factor), as after the
    real two-step login (which the accounts tests drive through the forms)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from laget.accounts.services import totp_device_set

    def do(client: Client, user) -> Client:
        device = user.totpdevice_set.filter(confirmed=True).first() or totp_device_set(
            user=user, key_hex="3132333435363738393031323334353637383930")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return do


@pytest.fixture
def rulebook(db):
    """The shipped rulebook, loaded as the version in force."""
    from laget.sharing.rulebook import DEFAULT_RULEBOOK, rulebook_load

    return rulebook_load(
        text=DEFAULT_RULEBOOK.read_text(encoding="utf-8"), file_name=DEFAULT_RULEBOOK.name
    ).version


@pytest.fixture
def draft_rules_in_force(settings):
    """Unreviewed allow rules in force, as in the demo (production treats them as
    consent-required)."""
    settings.LAGET_RULES_UNREVIEWED_IN_FORCE = True


@pytest.fixture(autouse=True)
def _bokmal_to_begin_with():
    """Each test starts in bokmål: a request in another language leaves that language active in
    the worker's thread (the locale middleware does not switch back), which would otherwise leak
    into whichever test runs next there."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


#: Fixtures through which a test reaches the database (pytest-django refuses it otherwise).
_DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences",
                "django_db_serialized_rollback", "live_server"}


def pytest_collection_modifyitems(config, items):
    """With LAGET_DB_TESTS_ONLY=1 (scripts/test.sh's second run, on PostgreSQL) only tests that
    use the database run: pytest-django keeps every other test away from it, so it has already
    given its answer in the first run on SQLite."""
    if os.environ.get("LAGET_DB_TESTS_ONLY") != "1":
        return
    keep, skip = [], []
    for item in items:
        uses_db = (item.get_closest_marker("django_db") is not None
                   or item.get_closest_marker("postgres_only") is not None
                   or item.get_closest_marker("browser") is not None
                   or bool(_DB_FIXTURES & set(getattr(item, "fixturenames", ()))))
        (keep if uses_db else skip).append(item)
    if skip:
        config.hook.pytest_deselected(items=skip)
        items[:] = keep
