"""The events an agency's system hears of by webhook (laget.notify.webhooks), queued in the
transaction of what causes them: a task for the agency, a concern to the bydel. Ids only."""

import json

import pytest
from django.db import transaction

from laget.cases.plan import task_create
from laget.notify import webhooks
from laget.notify.models import Message, WebhookEvent

from .test_concerns import STOVNER, member, submit  # noqa: F401 (member: a fixture)
from .test_concerns import school as school  # a fixture

pytestmark = pytest.mark.django_db


def _hook(agency, event):
    return webhooks.endpoint_create(agency=agency, url="https://system.example/hook",
                                    events=[event])


def _bodies():
    return [json.loads(m.body) for m in Message.objects.filter(channel="webhook")]


def test_a_task_is_told_to_its_agency_only(scene):
    police = _hook(scene.police.agency, WebhookEvent.TASK_CREATED)
    _hook(scene.coordinator.agency, WebhookEvent.TASK_CREATED)
    task = task_create(actor=scene.coordinator, case=scene.case, title="Bekymringssamtale",
                       agency=scene.police.agency)
    [message] = Message.objects.filter(channel="webhook")
    assert message.to_address == f"webhook:{police.pk}"
    assert message.person_id == scene.case.person_id  # in the person's access report
    [body] = _bodies()
    assert body["event"] == "task.created"
    assert body["data"] == {"task": str(task.pk), "case": str(scene.case.pk)}
    assert "Bekymringssamtale" not in message.body


def test_nothing_is_told_when_the_task_is_rolled_back(scene):
    _hook(scene.police.agency, WebhookEvent.TASK_CREATED)
    with pytest.raises(RuntimeError), transaction.atomic():
        task_create(actor=scene.coordinator, case=scene.case, title="Angret",
                    agency=scene.police.agency)
        raise RuntimeError
    assert not Message.objects.exists()


def test_a_concern_is_told_to_the_bydel_it_is_sent_to(scene, school):
    _hook(scene.coordinator.agency, WebhookEvent.CONCERN_RECEIVED)  # Stovner's bydel agency
    _hook(scene.other_coordinator.agency, WebhookEvent.CONCERN_RECEIVED)  # another bydel
    concern = submit(school, given_name="Sara", family_name="Syntetisk")
    [body] = _bodies()
    assert body["data"] == {"concern": str(concern.pk), "district": STOVNER}
    assert "Sara" not in json.dumps(body) and "Skulker" not in json.dumps(body)
