from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "laget.pathways"
    label = "pathways"
    verbose_name = "Pathways (activities, jobs, referrals)"
