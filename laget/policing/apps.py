from django.apps import AppConfig


class PolicingConfig(AppConfig):
    name = "laget.policing"
    label = "policing"
    verbose_name = "Policing"
