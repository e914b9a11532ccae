"""URLs of the area analytics pages, included from laget.web.urls (names in the `web` namespace)."""

from django.urls import path

from laget.web.views import analytics

urlpatterns: list = [
    path("", analytics.index, name="analytics_index"),
    path("indikator/<slug:key>/", analytics.indicator, name="analytics_indicator"),
    path("indikator/<slug:key>/xlsx/", analytics.indicator_export,
         name="analytics_indicator_xlsx"),
    path("bydel/<str:code>/", analytics.district, name="analytics_district"),
]
