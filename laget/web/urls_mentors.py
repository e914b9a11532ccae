"""URLs of the mentors pages, included from laget.web.urls (names in the `web` namespace)."""

from django.urls import path

from laget.web.views import mentors

urlpatterns: list = [
    path("", mentors.programme_list, name="mentors_programmes"),
    path("mine-soknader/", mentors.mine, name="mentors_mine"),
    path("<uuid:programme_id>/", mentors.programme_detail, name="mentors_programme"),
    path("<uuid:programme_id>/sok/", mentors.apply, name="mentors_apply"),
    path("<uuid:programme_id>/henvis/", mentors.refer, name="mentors_refer"),
    path("<uuid:programme_id>/soknader/", mentors.desk, name="mentors_desk"),
    path("soknad/<uuid:application_id>/", mentors.application_detail,
         name="mentors_application"),
    path("forbilde/<uuid:mentor_id>/", mentors.mentor_detail, name="mentors_mentor"),
]
