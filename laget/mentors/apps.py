from django.apps import AppConfig


class MentorsConfig(AppConfig):
    name = "laget.mentors"
    label = "mentors"
    verbose_name = "Unge forbilder"
