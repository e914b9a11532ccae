from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntensiveConfig(AppConfig):
    name = "laget.intensive"
    label = "intensive"
    verbose_name = "Intensive follow-up"

    def ready(self) -> None:
        # An enrolment is a measure in the coordinated plan (laget.cases.measures).
        from laget.cases import measures
        from laget.intensive.selectors import MEASURE_KIND, measure_resolve

        measures.register(MEASURE_KIND, _("Intensiv oppfølging"), resolve=measure_resolve)
