"""`manage.py apiclient create|token|revoke|deactivate|list`: API clients and their tokens. A token
is printed once, when issued. Exit code 2 and one line on stderr on bad input."""

import uuid
from typing import Any

from django.core.management.base import CommandParser

from laget.accounts.models import Agency
from laget.apiclients import services
from laget.apiclients.models import ApiClient, ApiToken, Scope
from laget.core.commands import BadInput, VerbCommand


def _client(value: str) -> ApiClient:
    try:
        return ApiClient.objects.select_related("agency", "membership").get(
            pk=uuid.UUID(value))
    except (ValueError, ApiClient.DoesNotExist):
        raise BadInput(f"no API client with id {value!r}") from None


class Command(VerbCommand):
    help = ("API clients of agencies and their bearer tokens. `create AGENCY_CODE NAME --scope "
            "S …` prints the client's id; `token CLIENT_ID [--days N] [--rotate [--grace-hours "
            "H]]` prints a new token once; `revoke PREFIX`; `deactivate CLIENT_ID`; `list`. "
            f"Scopes: {', '.join(Scope.values)}. Exit code 2 and one line on bad input.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create")
        create.add_argument("agency")
        create.add_argument("name")
        create.add_argument("--scope", action="append", default=[], dest="scopes")
        token = sub.add_parser("token")
        token.add_argument("client")
        token.add_argument("--days", type=int, default=None)
        token.add_argument("--rotate", action="store_true")
        token.add_argument("--grace-hours", type=int, default=24)
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")
        deactivate = sub.add_parser("deactivate")
        deactivate.add_argument("client")
        sub.add_parser("list")

    def _create(self, *, agency: str, name: str, scopes: list[str], **_: Any) -> None:
        found = Agency.objects.filter(code=agency).first()
        if found is None:
            raise BadInput(f"no agency with code {agency!r}")
        if not scopes:
            raise BadInput("give at least one --scope")
        client = services.client_create(agency=found, name=name, scopes=scopes)
        self.stdout.write(str(client.pk))

    def _token(self, *, client: str, days: int | None, rotate: bool, grace_hours: int,
               **_: Any) -> None:
        found = _client(client)
        if grace_hours < 0:
            raise BadInput("--grace-hours must not be negative")
        if rotate:
            issued = services.token_rotate(client=found, days=days, grace_hours=grace_hours)
        else:
            issued = services.token_issue(client=found, days=days)
        self.stdout.write(issued.token)

    def _revoke(self, *, prefix: str, **_: Any) -> None:
        token = ApiToken.objects.select_related("client__agency").filter(prefix=prefix).first()
        if token is None:
            raise BadInput(f"no token with prefix {prefix!r}")
        services.token_revoke(token=token)

    def _deactivate(self, *, client: str, **_: Any) -> None:
        services.client_deactivate(client=_client(client))

    def _list(self, **_: Any) -> None:
        for client in ApiClient.objects.select_related("agency").prefetch_related("tokens"):
            valid = [t.prefix for t in client.tokens.all() if t.is_valid()]
            self.stdout.write(f"{client.pk}\t{client.agency.code}\t{client.name}\t"
                              f"{','.join(client.scopes)}\t"
                              f"{'active' if client.active else 'inactive'}\t{','.join(valid)}")
