"""The page of messages that could not be delivered ("Ring selv") and its start-page card: the
person's name only for the agency that follows the message up and the coordinator of the person's
bydel, never the address or the text, and every reading audited."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from laget.accounts.tests.factories import AgencyFactory
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.notify.models import Channel, Message, MessageStatus
from laget.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

STOVNER = "030111"
T0 = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
URL = "/varsler/feilet/"


def _failed(*, key, person=None, agency=None, user=None) -> Message:
    return Message.objects.create(
        channel=Channel.SMS, to_address="+4798765432", body="Hemmelig tekst til foresatte",
        idempotency_key=key, person_id=person.pk if person else None, follow_up_agency=agency,
        recipient_user=user, status=MessageStatus.FAILED, attempts=4, failed_at=T0,
        last_error="HTTP 500",
    )


@pytest.fixture
def scene(make_member):
    police = AgencyFactory(type="politi", district_id=None, name="Politiet Øst")
    person = PersonFactory(district_id=STOVNER, given_name="Sara", family_name="Varslet")
    message = _failed(key="m1", person=person, agency=police)
    return {
        "person": person, "message": message,
        "officer": make_member("caseworker", agency=police),
        "coordinator": make_member("coordinator", agency_type="bydel", district=STOVNER),
        "bydel_caseworker": make_member("caseworker", agency_type="bydel", district=STOVNER),
        "outsider": make_member("caseworker", agency_type="skole"),
    }


def _get(login, user):
    return login(Client(), user).get(URL)


def test_the_url_is_named():
    assert reverse("web:failed_messages") == URL


def test_the_follow_up_agency_sees_the_name_channel_reason_and_ring_selv(scene, login):
    response = _get(login, scene["officer"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sara Varslet" in html
    assert "HTTP 500" in html
    assert "Ring selv" in html
    assert "98765432" not in html
    assert "Hemmelig tekst" not in html
    event = AuditEvent.objects.get(action=Action.NOTIFY_FAILED_VIEW)
    assert event.details == {"count": 1}
    assert [s.person_id for s in event.subjects.all()] == [scene["person"].pk]


def test_only_the_follow_up_agency_gets_the_row(scene, login):
    for who in ("coordinator", "bydel_caseworker", "outsider"):
        html = _get(login, scene[who]).content.decode()
        assert "HTTP 500" not in html, who
        assert "Sara Varslet" not in html, who


def test_the_bydel_coordinator_sees_the_name_when_the_bydel_follows_it_up(scene, login,
                                                                         make_member):
    bydel = AgencyFactory(type="bydel", district_id=STOVNER)
    caseworker = make_member("caseworker", agency=bydel)
    _failed(key="m2", person=scene["person"], agency=bydel)
    assert "Sara Varslet" in _get(login, caseworker).content.decode()


def test_a_staff_notification_names_the_person_only_to_the_coordinator_of_their_bydel(
        scene, login, make_member):
    other_coordinator = make_member("coordinator", agency_type="bydel", district="030112")
    _failed(key="m3", person=scene["person"], user=scene["coordinator"])
    _failed(key="m4", person=scene["person"], user=other_coordinator)
    _failed(key="m5", person=scene["person"], user=scene["bydel_caseworker"])
    assert "Sara Varslet" in _get(login, scene["coordinator"]).content.decode()
    for who in (other_coordinator, scene["bydel_caseworker"]):
        html = _get(login, who).content.decode()
        assert "HTTP 500" in html
        assert "Sara Varslet" not in html
        assert "—" in html
        event = AuditEvent.objects.filter(action=Action.NOTIFY_FAILED_VIEW).latest("id")
        assert event.details == {"count": 1}
        assert list(event.subjects.all()) == []


def test_own_staff_notification_that_never_arrived_is_listed(scene, login):
    _failed(key="m6", user=scene["outsider"])
    html = _get(login, scene["outsider"]).content.decode()
    assert "HTTP 500" in html
    assert "Ring selv" in html


def test_the_start_page_card_shows_the_count_only_to_those_who_have_any(scene, login):
    _failed(key="m7", person=scene["person"], agency=scene["message"].follow_up_agency)
    html = login(Client(), scene["officer"]).get("/").content.decode()
    assert "2 varsler kom ikke fram" in html
    assert URL in html
    html = login(Client(), scene["outsider"]).get("/").content.decode()
    assert "kom ikke fram" not in html


def test_roles_without_cases_are_refused(make_member, login):
    auditor = make_member("auditor")
    assert _get(login, auditor).status_code == 403
    assert Client().get(URL).status_code == 302
