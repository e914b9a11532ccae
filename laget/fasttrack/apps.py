from django.apps import AppConfig


class FasttrackConfig(AppConfig):
    name = "laget.fasttrack"
    label = "fasttrack"
    verbose_name = "Fast track"

    def ready(self) -> None:
        # The SaLTo plan links reaction plans through the measures registry (laget.cases.measures).
        from laget.fasttrack import reactions

        reactions.register_measure()
