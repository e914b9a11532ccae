from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "laget.schools"
    label = "schools"
    verbose_name = "Skoler"
