from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "laget.accounts"
    label = "accounts"

    def ready(self) -> None:
        # The login receiver that marks a session as freshly authenticated must be connected
        # before the first login, whatever imports the views first.
        from laget.accounts import freshness  # noqa: F401
