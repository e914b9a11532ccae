from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "laget.audit"
    label = "audit"

    def ready(self) -> None:
        from laget.audit import receivers  # noqa: F401  (connects the account-event receivers)
