from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "laget.sharing"
    label = "sharing"
    verbose_name = "Sharing"
