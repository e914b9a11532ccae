from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "laget.web"
    label = "web"
