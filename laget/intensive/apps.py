from django.apps import AppConfig


class IntensiveConfig(AppConfig):
    name = "laget.intensive"
    label = "intensive"
    verbose_name = "Intensive follow-up"
