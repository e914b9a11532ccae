"""The API for agencies' own systems: bearer tokens of API clients (401/403 problem documents
with WWW-Authenticate), idempotency keys on creating POSTs, the concern receipt, a message's
delivery status without address or text, and one audit event per call naming the client."""

import datetime as dt
import json
import uuid

import pytest
from django.test import Client

from laget.accounts.tests.factories import AgencyFactory
from laget.apiclients import services
from laget.apiclients.models import IdempotencyRecord, Scope
from laget.audit.actions import Action, Outcome
from laget.audit.models import AuditEvent
from laget.cases.models import Concern
from laget.core import clock
from laget.notify.models import Channel, Message, MessageStatus
from laget.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CONCERNS = "/api/v1/concerns"
STOVNER = "030111"


def born(years: int) -> dt.date:
    today = clock.today()
    return today.replace(year=today.year - years, day=1) - dt.timedelta(days=31)


BODY = {"district": STOVNER, "given_name": "Sara", "family_name": "Syntetisk",
        "text": "Skulker og har fått nye, eldre venner.", "birth_date": born(14).isoformat()}


@pytest.fixture
def agency():
    return AgencyFactory(type="skole", district_id=STOVNER)


@pytest.fixture
def api_client(agency):
    return services.client_create(agency=agency, name="Skolesystem",
                                  scopes=[Scope.CONCERNS_WRITE, Scope.NOTIFICATIONS_READ])


@pytest.fixture
def token(api_client):
    return services.token_issue(client=api_client).token


def post(client: Client, token: str | None, body: dict, key: str | None = "k-1"):
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(CONCERNS, json.dumps(body), content_type="application/json",
                       headers=headers)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def calls(outcome: str = Outcome.OK):
    return AuditEvent.objects.filter(action=Action.API_CALL, outcome=outcome)


def test_concern_is_submitted_once_and_a_retry_replays_the_receipt(client, token, api_client):
    first = post(client, token, BODY)
    assert first.status_code == 202, first.content
    receipt = first.json()
    assert set(receipt) == {"submitted_at", "district", "district_name", "detail"}
    assert receipt["district"] == STOVNER
    again = post(client, token, BODY)
    assert again.status_code == 202 and again.json() == receipt
    assert again["Idempotent-Replayed"] == "true"
    assert Concern.objects.count() == 1
    concern = Concern.objects.get()
    assert concern.submitted_by == api_client.user
    assert concern.submitting_agency == api_client.agency
    assert AuditEvent.objects.filter(action=Action.CONCERN_SUBMIT).count() == 1
    events = list(calls().order_by("occurred_at", "id"))
    assert len(events) == 2
    assert all(e.details["client"] == str(api_client.pk) for e in events)
    assert all(e.actor_id == api_client.user_id for e in events)
    assert [e.details["replayed"] for e in events] == [False, True]


def test_same_key_other_body_is_a_problem(client, token):
    assert post(client, token, BODY).status_code == 202
    problem(post(client, token, {**BODY, "text": "Noe annet."}), 422)
    assert Concern.objects.count() == 1


def test_missing_key_is_a_problem_and_creates_nothing(client, token):
    body = problem(post(client, token, BODY, key=None), 400)
    assert "Idempotency-Key" in body["detail"]
    assert Concern.objects.count() == 0 and IdempotencyRecord.objects.count() == 0


def test_keys_are_per_client(client, token, agency):
    other = services.client_create(agency=agency, name="Annet", scopes=[Scope.CONCERNS_WRITE])
    assert post(client, token, BODY).status_code == 202
    second = post(client, services.token_issue(client=other).token, BODY)
    assert second.status_code == 202 and not second.has_header("Idempotent-Replayed")
    assert Concern.objects.count() == 2


def test_the_receipt_is_the_same_for_a_registered_person(client, token):
    person = PersonFactory(birth_date=born(14))
    unknown = post(client, token, BODY, key="a").json()
    known = post(client, token, {**BODY, "national_id": person.national_id,
                                 "birth_date": None}, key="b").json()
    assert set(known) == set(unknown) and known["detail"] == unknown["detail"]


def test_bad_input_is_a_problem_and_not_stored(client, token):
    problem(post(client, token, {**BODY, "district": "999999"}), 400)
    problem(post(client, token, {**BODY, "extra": 1}), 400)
    problem(post(client, token, {**BODY, "birth_date": born(5).isoformat()}, key="age"), 400)
    assert Concern.objects.count() == 0 and IdempotencyRecord.objects.count() == 0
    # A failed call is audited too, naming the client.
    assert calls(Outcome.FAILED).count() >= 2


@pytest.mark.parametrize("case", ["none", "garbage", "expired", "revoked", "deactivated"])
def test_no_valid_token_is_401_with_www_authenticate(client, api_client, token, case):
    given: str | None = token
    if case == "none":
        given = None
    elif case == "garbage":
        given = "lgt_deadbeef_" + "x" * 43
    elif case == "revoked":
        services.token_revoke(token=api_client.tokens.get())
    elif case == "deactivated":
        services.client_deactivate(client=api_client)
    if case == "expired":
        with clock.frozen(clock.now() + dt.timedelta(days=400)):
            response = post(client, given, BODY)
    else:
        response = post(client, given, BODY)
    problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    if case != "none":
        assert 'error="invalid_token"' in response["WWW-Authenticate"]
    assert Concern.objects.count() == 0


def test_wrong_scope_is_403_and_audited(client, agency):
    narrow = services.client_create(agency=agency, name="Bare status",
                                    scopes=[Scope.NOTIFICATIONS_READ])
    response = post(client, services.token_issue(client=narrow).token, BODY)
    problem(response, 403)
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
    assert 'scope="concerns:write"' in response["WWW-Authenticate"]
    event = calls(Outcome.DENIED).get()
    assert event.details["client"] == str(narrow.pk)
    assert event.details["scope"] == "concerns:write"
    assert Concern.objects.count() == 0


def _message(agency, status=MessageStatus.FAILED, person=None) -> Message:
    return Message.objects.create(
        channel=Channel.SMS, to_address="+4799999999", subject="Emne", body="Hemmelig tekst",
        idempotency_key=str(uuid.uuid4()), follow_up_agency=agency, status=status,
        person_id=person.pk if person else None, attempts=3, failed_at=clock.now())


def test_notification_status_without_address_or_text(client, token, agency, api_client):
    person = PersonFactory()
    message = _message(agency, person=person)
    response = client.get(f"/api/v1/notifications/{message.pk}",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "failed" and body["follow_up_by_hand"] is True
    assert set(body) == {"id", "channel", "status", "status_label", "attempts", "queued_at",
                         "sent_at", "delivered_at", "failed_at", "follow_up_by_hand"}
    assert b"4799999999" not in response.content and b"Hemmelig" not in response.content
    event = calls().get()
    assert event.details["client"] == str(api_client.pk)
    assert event.details["operation"] == "notification_status"
    assert list(event.subjects.values_list("person_id", flat=True)) == [person.pk]


def test_another_agencys_message_does_not_exist(client, token):
    message = _message(AgencyFactory())
    headers = {"Authorization": f"Bearer {token}"}
    problem(client.get(f"/api/v1/notifications/{message.pk}", headers=headers), 404)
    problem(client.get(f"/api/v1/notifications/{uuid.uuid4()}", headers=headers), 404)


@pytest.mark.django_db(transaction=True)
def test_two_retries_at_once_create_one_concern(agency):
    """Two requests under one key at the same moment: the second waits on the key's row and
    replays the first answer (PostgreSQL; SQLite serialises writers anyway)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL matter; SQLite serialises them")
    api_client = services.client_create(agency=agency, name="Samtidig",
                                        scopes=[Scope.CONCERNS_WRITE])
    token = services.token_issue(client=api_client).token
    barrier = threading.Barrier(2)
    responses = []

    def send() -> None:
        try:
            barrier.wait()
            responses.append(post(Client(), token, BODY, key="same"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in responses) == [202, 202]
    assert responses[0].json() == responses[1].json()
    assert sum(r.has_header("Idempotent-Replayed") for r in responses) == 1
    assert Concern.objects.count() == 1
