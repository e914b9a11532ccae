from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "laget.pathways"
    label = "pathways"
    verbose_name = "Pathways (activities, jobs, referrals)"

    def ready(self) -> None:
        # The SaLTo plan shows referrals through the measures registry (laget.cases.measures).
        from laget.pathways import plan

        plan.register_measure()
