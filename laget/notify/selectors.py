"""Reads of the outbox for the pages: the messages that could not be delivered and wait for a
human to follow up by hand (call instead), and the messages sent about a person with their
delivery status."""

import uuid

from django.db.models import Q, QuerySet

from laget.accounts.actor import Actor
from laget.notify.models import Message, MessageStatus


def failed_messages_for(*, actor: Actor) -> QuerySet[Message]:
    """Failed messages the actor should act on: those their agency follows up, and their own
    staff notifications that never arrived. Address and text are deferred: showing them is a
    read of personal data that the page must audit."""
    who = Q(recipient_user=actor.user)
    if actor.agency is not None:
        who |= Q(follow_up_agency=actor.agency)
    return (Message.objects.filter(who, status=MessageStatus.FAILED)
            .defer("to_address", "body").order_by("-failed_at", "id"))


def messages_about_person(*, person_id: uuid.UUID, limit: int = 20) -> list[Message]:
    """The newest messages sent about a person (to the guardians), with their delivery status;
    the text is deferred (the person page shows what happened to each message, not what it
    said). The caller audits the page it shows them on."""
    return list(Message.objects.filter(person_id=person_id).defer("body")
                .order_by("-created_at", "-id")[:limit])
