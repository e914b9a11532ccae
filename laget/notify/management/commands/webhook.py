"""`manage.py webhook add|rotate|remove|list`: where agencies' own systems take Laget's webhooks
(laget.notify.webhooks). `add` and `rotate` print the endpoint's signing secret once. Exit code 2
and one line on stderr on bad input."""

import uuid
from typing import Any

from django.core.management.base import CommandParser
from django.db.models import Count, Q

from laget.accounts.models import Agency
from laget.core.commands import BadInput, VerbCommand
from laget.notify import webhooks
from laget.notify.channels import WEBHOOK_PREFIX
from laget.notify.models import Message, MessageStatus, WebhookEndpoint, WebhookEvent


def _endpoint(value: str) -> WebhookEndpoint:
    try:
        return WebhookEndpoint.objects.select_related("agency").get(pk=uuid.UUID(value))
    except (ValueError, WebhookEndpoint.DoesNotExist):
        raise BadInput(f"no webhook endpoint with id {value!r}") from None


class Command(VerbCommand):
    help = ("Webhook endpoints of agencies' systems. `add AGENCY_CODE URL --event E …` prints the "
            "endpoint's id and secret; `rotate ID [--grace-hours H]` prints the new secret (the "
            "old one signs too for H hours); `remove ID`; `list`. "
            f"Events: {', '.join(WebhookEvent.values)}. Exit code 2 and one line on bad input.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        add = sub.add_parser("add")
        add.add_argument("agency")
        add.add_argument("url")
        add.add_argument("--event", action="append", default=[], dest="events")
        rotate = sub.add_parser("rotate")
        rotate.add_argument("endpoint")
        rotate.add_argument("--grace-hours", type=int, default=None)
        remove = sub.add_parser("remove")
        remove.add_argument("endpoint")
        sub.add_parser("list")

    def _add(self, *, agency: str, url: str, events: list[str], **_: Any) -> None:
        found = Agency.objects.filter(code=agency).first()
        if found is None:
            raise BadInput(f"no agency with code {agency!r}")
        endpoint = webhooks.endpoint_create(agency=found, url=url, events=events)
        self.stdout.write(f"{endpoint.pk}\t{endpoint.secret()}")

    def _rotate(self, *, endpoint: str, grace_hours: int | None, **_: Any) -> None:
        rotated = webhooks.endpoint_rotate(endpoint=_endpoint(endpoint), grace_hours=grace_hours)
        self.stdout.write(rotated.secret())

    def _remove(self, *, endpoint: str, **_: Any) -> None:
        webhooks.endpoint_deactivate(endpoint=_endpoint(endpoint))

    def _list(self, **_: Any) -> None:
        counts = {
            row["to_address"]: row for row in Message.objects.filter(
                to_address__startswith=WEBHOOK_PREFIX).values("to_address").annotate(
                queued=Count("id", filter=Q(status__in=[MessageStatus.QUEUED,
                                                        MessageStatus.SENDING])),
                failed=Count("id", filter=Q(status=MessageStatus.FAILED)))
        }
        for endpoint in WebhookEndpoint.objects.select_related("agency"):
            row = counts.get(f"{WEBHOOK_PREFIX}{endpoint.pk}", {})
            self.stdout.write(
                f"{endpoint.pk}\t{endpoint.agency.code}\t{endpoint.url}\t"
                f"{','.join(endpoint.events)}\t{'active' if endpoint.active else 'inactive'}\t"
                f"queued={row.get('queued', 0)}\tfailed={row.get('failed', 0)}")
