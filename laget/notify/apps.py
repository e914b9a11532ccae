from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "laget.notify"
    label = "notify"
    verbose_name = "Notifications"
