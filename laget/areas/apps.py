from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AreasConfig(AppConfig):
    name = "laget.areas"
    label = "areas"

    def ready(self) -> None:
        from laget.areas.signals import reload_reference_data

        post_migrate.connect(reload_reference_data, sender=self,
                             dispatch_uid="laget.areas.reload_reference_data")
