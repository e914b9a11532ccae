"""URLs of the schools pages, included from laget.web.urls (names in the `web` namespace)."""

from django.urls import path

from laget.web.views import schools

urlpatterns: list = [
    path("", schools.overview, name="schools_overview"),
    path("hendelser/ny/", schools.incident_create, name="schools_incident_create"),
    path("hendelser/<uuid:incident_id>/", schools.incident_detail, name="schools_incident"),
    path("ambulant/", schools.board, name="schools_board"),
    path("ambulant/ny/", schools.ambulant_request_create, name="schools_request_create"),
    path("ambulant/<uuid:request_id>/", schools.request_detail, name="schools_request"),
    path("statistikk/", schools.statistics_page, name="schools_statistics"),
    path("skolebytte/ny/", schools.change_create, name="schools_change_create"),
    path("skolebytte/<uuid:change_id>/", schools.change_detail, name="schools_change"),
    path("overlevering/", schools.handovers, name="schools_handovers"),
]
