from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "laget.analytics"
    label = "analytics"
    verbose_name = "Områdeanalyse"
