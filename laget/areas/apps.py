from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "laget.areas"
    label = "areas"
