from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "laget.api"
    label = "api"
    verbose_name = "API"
