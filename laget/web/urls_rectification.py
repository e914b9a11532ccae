"""URLs of the rectification and objection pages (GDPR art. 16 and 21), included from
laget.web.urls (names in the `web` namespace)."""

from django.urls import path

from laget.web.views import rectification

urlpatterns: list = [
    path("", rectification.request_list, name="rectification_list"),
    path("sak/<uuid:case_id>/", rectification.request_create, name="rectification_create"),
    path("<uuid:rectification_id>/", rectification.request_detail,
         name="rectification_detail"),
]
