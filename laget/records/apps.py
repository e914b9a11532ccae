from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "laget.records"
    label = "records"
    verbose_name = "Records"
