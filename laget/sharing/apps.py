from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "laget.sharing"
    label = "sharing"
    verbose_name = "Sharing"

    def ready(self) -> None:
        from laget.sharing import checks  # noqa: F401  (registers the system check)
