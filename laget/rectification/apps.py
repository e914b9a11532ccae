from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "laget.rectification"
    label = "rectification"
    verbose_name = "Rectification and objection"
