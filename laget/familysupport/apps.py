from django.apps import AppConfig


class FamilysupportConfig(AppConfig):
    name = "laget.familysupport"
    label = "familysupport"
    verbose_name = "Family support"
