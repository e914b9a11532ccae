from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "laget.core"
    label = "core"
    verbose_name = "Laget core"
