"""API clients and tokens: issued once, only a hash at rest, expiry, revocation, rotation with a
grace period, deactivation, and `manage.py apiclient` (exit code 2 and one line on bad input)."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import call_command

from laget.accounts.models import Membership
from laget.accounts.tests.factories import AgencyFactory
from laget.apiclients import services
from laget.apiclients.models import ApiClient, ApiToken, Scope
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_row():
    return services.client_create(agency=AgencyFactory(type="skole"), name="Skolesystem",
                                  scopes=[Scope.CONCERNS_WRITE])


def test_issue_shows_token_once_and_stores_only_its_hash(client_row):
    issued = services.token_issue(client=client_row)
    row = ApiToken.objects.get(pk=issued.row.pk)
    assert issued.token.startswith(f"lgt_{row.prefix}_")
    assert row.hash == hashlib.sha256(issued.token.encode()).hexdigest()
    stored = " ".join(str(v) for v in ApiToken.objects.filter(pk=row.pk).values().first().values())
    assert issued.token not in stored and issued.token.split("_")[-1] not in stored
    assert services.token_resolve(issued.token) == client_row
    assert ApiToken.objects.get(pk=row.pk).last_used_at is not None
    assert AuditEvent.objects.filter(action=Action.API_CLIENT_CHANGE,
                                     details__change="token_issue").count() == 1


def test_service_user_cannot_log_in_and_acts_as_the_agency(client_row):
    user = client_row.user
    assert not user.has_usable_password() and not user.is_active
    actor = services.client_actor(client_row)
    assert actor.agency == client_row.agency and actor.role == "caseworker"


def test_expiry_and_revocation(client_row):
    issued = services.token_issue(client=client_row, days=1)
    with clock.frozen(clock.now() + dt.timedelta(days=1, seconds=1)):
        assert services.token_resolve(issued.token) is None
    services.token_revoke(token=issued.row)
    assert services.token_resolve(issued.token) is None
    assert services.token_resolve("lgt_nonsense") is None
    assert services.token_resolve("Bearer whatever") is None


def test_rotation_keeps_the_old_token_for_the_grace_period(client_row):
    old = services.token_issue(client=client_row)
    new = services.token_rotate(client=client_row, grace_hours=2)
    assert services.token_resolve(old.token) == client_row
    with clock.frozen(clock.now() + dt.timedelta(hours=2, seconds=1)):
        assert services.token_resolve(old.token) is None
        assert services.token_resolve(new.token) == client_row


def test_deactivation_stops_every_token_and_ends_the_membership(client_row):
    issued = services.token_issue(client=client_row)
    services.client_deactivate(client=client_row)
    assert services.token_resolve(issued.token) is None
    assert not Membership.objects.active().filter(pk=client_row.membership_id).exists()
    with pytest.raises(DomainError):
        services.token_issue(client=client_row)


def test_ended_membership_closes_the_client(client_row):
    issued = services.token_issue(client=client_row)
    Membership.objects.filter(pk=client_row.membership_id).update(valid_to=clock.today())
    assert services.token_resolve(issued.token) is None


def test_bad_input_is_a_domain_error():
    agency = AgencyFactory()
    with pytest.raises(DomainError):
        services.client_create(agency=agency, name="X", scopes=["everything"])
    services.client_create(agency=agency, name="X", scopes=[])
    with pytest.raises(DomainError):
        services.client_create(agency=agency, name="X", scopes=[])


def test_command_create_token_revoke(client_row):
    agency = AgencyFactory(code="haugen-skole")
    out = io.StringIO()
    call_command("apiclient", "create", "haugen-skole", "Elevsystem", "--scope",
                 "concerns:write", stdout=out)
    created = ApiClient.objects.get(pk=out.getvalue().strip())
    assert created.agency == agency and created.scopes == ["concerns:write"]
    out = io.StringIO()
    call_command("apiclient", "token", str(created.pk), "--days", "7", stdout=out)
    token = out.getvalue().strip()
    assert services.token_resolve(token) == created
    prefix = token.split("_")[1]
    call_command("apiclient", "revoke", prefix)
    assert services.token_resolve(token) is None


@pytest.mark.parametrize("argv", [
    ["create", "no-such-agency", "X", "--scope", "concerns:write"],
    ["create", "AGENCY", "X"],
    ["create", "AGENCY", "X", "--scope", "root"],
    ["token", "not-a-uuid"],
    ["token", "00000000-0000-0000-0000-000000000000"],
    ["token", "CLIENT", "--days", "0"],
    ["revoke", "nope"],
])
def test_command_bad_input_exit_2_one_line(client_row, argv, capsys):
    values = {"AGENCY": client_row.agency.code, "CLIENT": str(client_row.pk)}
    with pytest.raises(SystemExit) as exit_info:
        call_command("apiclient", *[values.get(a, a) for a in argv])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err


def test_admin_shows_the_client_and_its_tokens_but_no_hash(client, login, client_row):
    from laget.accounts.tests.factories import UserFactory

    issued = services.token_issue(client=client_row)
    admin_user = UserFactory(password=None, is_staff=True, is_superuser=True)
    page = login(client, admin_user).get(f"/admin/apiclients/apiclient/{client_row.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert issued.row.prefix in text
    assert issued.row.hash not in text and issued.token not in text
    assert client.get("/admin/apiclients/apiclient/").status_code == 200
    response = client.post("/admin/apiclients/apiclient/", {
        "action": "deactivate", "_selected_action": [str(client_row.pk)]})
    assert response.status_code == 302
    client_row.refresh_from_db()
    assert not client_row.active and services.token_resolve(issued.token) is None


def test_old_idempotency_records_are_pruned(settings):
    from laget.apiclients.models import IdempotencyRecord

    client = services.client_create(agency=AgencyFactory(type="skole"), name="System",
                                    scopes=["concerns:write"])
    settings.LAGET_API_IDEMPOTENCY_HOURS = 48
    old = IdempotencyRecord.objects.create(client=client, key="gammel", fingerprint="f",
                                           status=202, content_type="application/json",
                                           body=b"{}")
    IdempotencyRecord.objects.filter(pk=old.pk).update(
        created_at=clock.now() - dt.timedelta(hours=49))
    IdempotencyRecord.objects.create(client=client, key="ny", fingerprint="f", status=202,
                                     content_type="application/json", body=b"{}")
    assert services.idempotency_prune() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["ny"]
