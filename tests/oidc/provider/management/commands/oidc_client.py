"""Register (or update) the relying party's client: confidential, authorization code, RS256,
no consent screen, the given redirect URIs."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from oauth2_provider.models import Application


class Command(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("redirect_uris", nargs="+")

    def handle(self, *args: Any, **options: Any) -> None:
        app = Application.objects.filter(client_id=options["client_id"]).first() or Application(
            client_id=options["client_id"]
        )
        app.name = "Laget"
        app.client_secret = options["client_secret"]
        app.client_type = Application.CLIENT_CONFIDENTIAL
        app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        app.algorithm = Application.RS256_ALGORITHM
        app.skip_authorization = True
        app.redirect_uris = " ".join(options["redirect_uris"])
        app.save()
