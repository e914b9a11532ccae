import pytest
from django.db import transaction

from laget.accounts.actor import Actor
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.audit.services import audit_record
from laget.core import requestcontext
from laget.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_event_carries_actor_role_agency_persons_and_request(make_member):
    user = make_member("caseworker")
    membership = user.memberships.get()
    person = PersonFactory()
    token = requestcontext.begin(ip_address="127.0.0.1", request_id="abc123")
    try:
        event = audit_record(action=Action.PERSON_VIEW, actor=Actor(user, membership),
                             obj=person, persons=[person, person.pk], purpose="registrering")
    finally:
        requestcontext.end(token)
    assert event.actor == user and event.agency == membership.agency
    assert event.role == "caseworker"
    assert event.object_type == "people.person" and event.object_id == str(person.pk)
    assert list(event.subjects.values_list("person_id", flat=True)) == [person.pk]
    assert event.request_id == "abc123" and event.ip_address == "127.0.0.1"


def test_unknown_action_or_purpose_is_refused():
    with pytest.raises(ValueError):
        audit_record(action="person.peek", actor=None)
    with pytest.raises(ValueError):
        audit_record(action=Action.PERSON_VIEW, actor=None, purpose="nysgjerrighet")
    assert AuditEvent.objects.count() == 0


def test_details_must_be_plain_values():
    with pytest.raises(TypeError):
        audit_record(action=Action.PERSON_VIEW, actor=None, details={"person": object()})


def test_event_is_part_of_the_callers_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action=Action.PERSON_CREATE, actor=None)
        raise RuntimeError("the write failed after the event")
    assert AuditEvent.objects.count() == 0


def test_read_fails_closed_when_the_event_cannot_be_written(client, make_member, login,
                                                            monkeypatch):
    """If the audit event of a read cannot be written, the page is not shown."""
    from laget.sharing import persons as selectors

    user = make_member("coordinator")
    login(client, user)
    person = PersonFactory(district_id="030111")

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(selectors, "audit_record", broken)
    client.raise_request_exception = False
    response = client.get(f"/personer/{person.pk}/")
    assert response.status_code == 500
    assert person.given_name not in response.content.decode()
    assert "Noe gikk galt" in response.content.decode()
