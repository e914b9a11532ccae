from django.apps import AppConfig


class ReentryConfig(AppConfig):
    name = "laget.reentry"
    label = "reentry"
    verbose_name = "Tilbakeføring etter soning"
