"""Reads of the outbox for the pages: the messages that could not be delivered and wait for a
human to follow up by hand (call instead)."""

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
