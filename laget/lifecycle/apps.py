from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "laget.lifecycle"
    label = "lifecycle"
    verbose_name = "Records lifecycle"
