"""registration_create: guardians told for a child, SaLTo told (an entry on the open case, else a
concern), a weapon trigger for a weapon — all in one transaction, or nothing at all."""

import datetime as dt
import json

import pytest

from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.cases.models import Concern, ConcernStatus
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify.models import Channel, Message
from laget.policing import services
from laget.policing.models import PoliceRegistration
from laget.policing.services import SaltoRoute, registration_create
from laget.records.access import entries_opened
from laget.records.models import CaseMarker, Entry, MarkerKind

from .conftest import STOVNER, born

pytestmark = pytest.mark.django_db


def _register(world, person=None, **kwargs):
    values = {
        "actor": world.police, "kind": "stop_search", "subdistrict": world.place,
        "occurred_at": clock.now() - dt.timedelta(minutes=5),
        "given_name": person.given_name if person else "Ukjent",
        "family_name": person.family_name if person else "Ungdom",
        "national_id": person.national_id if person else "",
        "grounds": "Lukt av cannabis.", "found_items": "Ingenting.",
        **kwargs,
    }
    return registration_create(**values)


def _entries(case):
    with entries_opened():
        return list(Entry.objects.filter(case=case))


def test_child_with_open_case_guardians_told_and_entry_on_case(world):
    person, case = world.young(15, case=True)
    result = _register(world, person)
    registration = result.registration
    assert registration.person == person and registration.unit == world.police.agency
    [notice] = result.notices
    assert notice.guardian.startswith("Mor") and notice.channel == "sms" and notice.message_id
    message = Message.objects.get(pk=notice.message_id)
    assert message.channel == Channel.SMS and message.follow_up_agency == world.police.agency
    assert message.idempotency_key.startswith(f"police:{registration.pk}:")
    assert person.given_name in message.body and world.police.agency.name in message.body
    [entry] = _entries(case)
    assert (entry.category, entry.source_agency) == ("politi", world.police.agency)
    assert "Lukt av cannabis." in entry.text and world.place.name in entry.text
    assert person.national_id not in entry.text
    assert (registration.salto_route, registration.salto_case_id) == (SaltoRoute.ENTRY, case.pk)
    assert not Concern.objects.exists()
    assert not CaseMarker.objects.filter(kind=MarkerKind.WEAPON_TRIGGER).exists()
    event = AuditEvent.objects.get(action=Action.POLICE_REGISTER)
    assert event.details["guardians_notified"] == 1


def test_child_without_case_concern_to_the_bydel_coordinator(world):
    person, _ = world.young(14)
    result = _register(world, person, kind="apprehension", offence_category="tyveri", held=True)
    concern = Concern.objects.get()
    assert (concern.person, concern.district_id, concern.status) == (
        person, STOVNER, ConcernStatus.NEW)
    assert "Pågripelse" in concern.text and "Holdt i arrest." in concern.text
    assert result.registration.salto_route == SaltoRoute.CONCERN
    assert Message.objects.get().body.startswith("Barnet ditt")
    assert "pågrepet" in Message.objects.get().body


def test_adult_guardians_not_told(world):
    person, case = world.young(19, case=True)
    result = _register(world, person)
    assert result.notices == [] and not Message.objects.exists()
    assert len(_entries(case)) == 1


def test_outside_salto_age_range_not_sent(world):
    person, _ = world.young(30)
    result = _register(world, person)
    assert result.registration.salto_route == SaltoRoute.NONE
    assert not Concern.objects.exists() and not Message.objects.exists()


def test_unregistered_child_guardians_called_by_hand(world):
    result = _register(world, None, birth_date=born(13))
    [notice] = result.notices
    assert notice.manual_reason and not notice.message_id
    concern = Concern.objects.get()
    assert concern.person is None and concern.district_id == world.place.district_id


def test_guardian_without_contact_details_is_a_manual_notice(world):
    person, _ = world.young(15, phone="")
    [notice] = _register(world, person).notices
    assert notice.manual_reason and not Message.objects.exists()


def test_weapon_on_open_case_sets_the_weapon_trigger(world):
    person, case = world.young(16, case=True)
    result = _register(world, person, kind="apprehension", offence_category="vapenloven",
                       weapon_type="kniv")
    marker = CaseMarker.objects.get(case=case)
    assert marker.kind == MarkerKind.WEAPON_TRIGGER
    assert "Kniv" in _entries(case)[0].text
    message = Message.objects.get(pk=result.notices[0].message_id)
    assert "gjelder våpen" in message.body


def test_repeated_weapon_registrations_are_flagged_to_salto(world):
    person, case = world.young(16, case=True)
    _register(world, person, weapon_type="kniv", occurred_at=clock.now() - dt.timedelta(days=9))
    _register(world, person)  # no weapon: not counted
    _register(world, person, kind="apprehension", offence_category="vapenloven",
              weapon_type="kniv")
    texts = sorted((e.text for e in _entries(case)), key=len)
    assert not any("Gjentatt" in t for t in texts[:-1])
    assert "Gjentatt: personen er registrert med våpen 1 gang før." in texts[-1]


def test_weapon_without_case_the_concern_says_so(world):
    person, _ = world.young(16)
    _register(world, person, weapon_type="skytevapen")
    assert "Våpenutløser" in Concern.objects.get().text
    assert not CaseMarker.objects.exists()


def test_a_concern_without_a_weapon_does_not_message_guardians(world):
    person, case = world.young(15, case=True)
    result = _register(world, person, kind="concern")
    assert result.notices == [] and not Message.objects.exists()
    assert len(_entries(case)) == 1


def _fail(*args, **kwargs):
    raise DomainError("Feil.", code="boom")


@pytest.mark.parametrize("target", ["case_marker_add", "audit_record", "guardian_notify"])
def test_a_failure_anywhere_writes_and_queues_nothing(world, monkeypatch, target):
    person, case = world.young(15, case=True)
    monkeypatch.setattr(services, target, _fail)
    with pytest.raises(DomainError):
        _register(world, person, weapon_type="kniv")
    assert not PoliceRegistration.objects.exists()
    assert not Message.objects.exists()
    assert _entries(case) == []
    assert not CaseMarker.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.POLICE_REGISTER).exists()


def test_a_failing_concern_writes_and_queues_nothing(world, monkeypatch):
    person, _ = world.young(15)
    monkeypatch.setattr(services.concerns, "concern_submit", _fail)
    with pytest.raises(DomainError):
        _register(world, person)
    assert not PoliceRegistration.objects.exists() and not Message.objects.exists()


def test_only_police_may_register(world):
    person, _ = world.young(15)
    with pytest.raises(DomainError) as error:
        _register(world, person, actor=world.coordinator)
    assert error.value.code == "role"
    assert not PoliceRegistration.objects.exists()


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"kind": "apprehension"}, "offence"),
    ({"kind": "bogus"}, "kind"),
    ({"weapon_type": "sverd"}, "weapon_type"),
    ({"occurred_at": clock.now() + dt.timedelta(hours=2)}, "occurred_at"),
    ({"given_name": " "}, "required"),
    ({"kind": "concern", "grounds": ""}, "required"),
])
def test_bad_input_is_refused(world, kwargs, code):
    person, _ = world.young(15)
    with pytest.raises(DomainError) as error:
        _register(world, person, **kwargs)
    assert error.value.code == code
    assert not PoliceRegistration.objects.exists()


def test_a_weapon_trigger_is_told_to_the_bydel_system_by_webhook(world):
    from laget.notify import webhooks
    from laget.notify.models import WebhookEvent

    hook = webhooks.endpoint_create(agency=world.coordinator.agency,
                                    url="https://bydel.example/hook",
                                    events=[WebhookEvent.WEAPON_TRIGGER])
    person, case = world.young(16, case=True)
    _register(world, person, kind="apprehension", offence_category="vapenloven",
              weapon_type="kniv")
    [message] = Message.objects.filter(channel=Channel.WEBHOOK)
    assert message.to_address == f"webhook:{hook.pk}"
    body = json.loads(message.body)
    assert (body["event"], body["data"]) == ("case.weapon_trigger", {"case": str(case.pk)})
    assert person.given_name not in message.body
