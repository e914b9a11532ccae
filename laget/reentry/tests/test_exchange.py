"""The kriminalomsorg–politi exchange: sent only on a rulebook rule, read receipts, audit, and
never visible to NAV."""

import pytest

from laget.audit.models import AuditEvent
from laget.core.errors import DomainError, NotFound
from laget.people.tests.factories import PersonFactory
from laget.reentry import exchange
from laget.reentry.models import ExchangeMessage, MessageCategory


def send(sender, receiver, person, category=MessageCategory.INCIDENT, purpose="straffesak"):
    return exchange.message_send(actor=sender, person=person, receiver=receiver.agency,
                                 category=category, purpose=purpose,
                                 text="Slåsskamp på avdeling B i går kveld.")


def test_message_both_ways_with_read_receipts(scene, draft_rules_in_force):
    person = PersonFactory()
    to_police = send(scene.ko, scene.police, person)
    assert to_police.rule_id == "kriminalomsorg-politi"
    assert "straffegjennomføringsloven" in to_police.rule_citation
    to_ko = send(scene.police, scene.ko, person, category=MessageCategory.NETWORK,
                 purpose="forebygging")
    assert to_ko.rule_id == "prl-forebyggende-utlevering"
    assert to_ko.info_category == "politi"

    # the sender opens its own message: no receipt
    exchange.message_read_for(actor=scene.ko, message_id=to_police.pk)
    to_police.refresh_from_db()
    assert to_police.read_at is None
    # the receiver's first read is the receipt; a second read keeps it
    exchange.message_read_for(actor=scene.police, message_id=to_police.pk)
    to_police.refresh_from_db()
    first = to_police.read_at
    assert first is not None and to_police.read_by == scene.police.user
    exchange.message_read_for(actor=scene.police, message_id=to_police.pk)
    to_police.refresh_from_db()
    assert to_police.read_at == first
    reads = AuditEvent.objects.filter(action="reentry.message_read", outcome="ok",
                                      basis="kriminalomsorg-politi")
    assert reads.count() == 3
    assert AuditEvent.objects.filter(action="reentry.message_send",
                                     basis="prl-forebyggende-utlevering").count() == 1

    mailbox = exchange.messages_for(actor=scene.ko)
    assert mailbox.received == [to_ko] and mailbox.sent == [to_police]


def test_nav_never_sees_police_intelligence(scene, draft_rules_in_force):
    person = PersonFactory()
    message = send(scene.police, scene.ko, person, category=MessageCategory.NETWORK)
    with pytest.raises(NotFound):
        exchange.message_read_for(actor=scene.nav, message_id=message.pk)
    with pytest.raises(NotFound):
        exchange.message_read_for(actor=scene.ko_other, message_id=message.pk)
    assert exchange.messages_for(actor=scene.nav).received == []
    assert not exchange.receivers_for(scene.nav).exists()
    with pytest.raises(DomainError) as error:
        exchange.message_send(actor=scene.police, person=person, receiver=scene.nav.agency,
                              category=MessageCategory.NETWORK, purpose="forebygging",
                              text="x")
    assert error.value.code == "receiver"
    assert AuditEvent.objects.filter(action="reentry.message_read", outcome="denied").count() == 2
    message.refresh_from_db()
    assert message.read_at is None


def test_no_rule_no_message(scene):
    """Outside the demo an unreviewed allow rule is no basis: nothing is sent, the refusal is
    logged."""
    person = PersonFactory()
    with pytest.raises(DomainError) as error:
        send(scene.ko, scene.police, person)
    assert error.value.code == "no_basis"
    assert not ExchangeMessage.objects.exists()
    assert AuditEvent.objects.filter(action="reentry.message_send", outcome="denied").exists()


def test_only_the_police_send_network_intelligence(scene, draft_rules_in_force):
    with pytest.raises(DomainError) as error:
        send(scene.ko, scene.police, PersonFactory(), category=MessageCategory.NETWORK)
    assert error.value.code == "category"
