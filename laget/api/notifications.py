"""The delivery status of a message the client's agency follows up (`follow_up_agency`; scope
`notifications:read`): status and times only — never the address, subject or text. A message the
agency does not follow up does not exist for the client (404)."""

import datetime as dt
import uuid

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from laget.api.auth import api_actor, audited, callers
from laget.api.idempotency import json_response
from laget.api.problems import Problem, problem
from laget.apiclients.models import Scope
from laget.notify.models import Message, MessageStatus

router = Router(tags=["notifications"], auth=callers(Scope.NOTIFICATIONS_READ))


class DeliveryStatus(Schema):
    id: uuid.UUID
    channel: str
    status: str
    status_label: str
    attempts: int
    queued_at: dt.datetime
    sent_at: dt.datetime | None
    delivered_at: dt.datetime | None
    failed_at: dt.datetime | None
    follow_up_by_hand: bool


@router.get(
    "/{uuid:message_id}", response={200: DeliveryStatus, 401: Problem, 403: Problem,
                                    404: Problem},
    url_name="notification_status", operation_id="notification_status",
    summary="Delivery status of a message",
)
@audited
def notification_status(request: HttpRequest, message_id: uuid.UUID) -> HttpResponse:
    message = (Message.objects.filter(pk=message_id, follow_up_agency=api_actor(request).agency)
               .only("id", "channel", "status", "attempts", "created_at", "sent_at",
                     "delivered_at", "failed_at", "person_id").first())
    if message is None:
        return problem(404, _("Fant ikke det du ba om."))
    request.audit_persons = [message.person_id] if message.person_id else []  # type: ignore[attr-defined]
    return json_response(200, DeliveryStatus(
        id=message.pk, channel=message.channel, status=message.status,
        status_label=str(message.get_status_display()), attempts=message.attempts,
        queued_at=message.created_at, sent_at=message.sent_at,
        delivered_at=message.delivered_at, failed_at=message.failed_at,
        follow_up_by_hand=message.status == MessageStatus.FAILED))
