"""URLs of the area analytics pages, included from laget.web.urls (names in the `web` namespace)."""

from django.urls import path

from laget.web.views import analytics, analytics_evaluation, analytics_programmes

urlpatterns: list = [
    path("", analytics.index, name="analytics_index"),
    path("indikator/<slug:key>/", analytics.indicator, name="analytics_indicator"),
    path("indikator/<slug:key>/xlsx/", analytics.indicator_export,
         name="analytics_indicator_xlsx"),
    path("bydel/<str:code>/", analytics.district, name="analytics_district"),
    path("bydel/<str:code>/xlsx/", analytics.district_export, name="analytics_district_xlsx"),
    # the evaluation of measures and the bydel profile PDF (laget.analytics.evaluation, .profile)
    path("bydel/<str:code>/pdf/", analytics_evaluation.district_pdf,
         name="analytics_district_pdf"),
    path("evaluering/", analytics_evaluation.index, name="analytics_evaluation"),
    path("evaluering/<slug:key>/", analytics_evaluation.measure,
         name="analytics_evaluation_measure"),
    path("evaluering/<slug:key>/csv/", analytics_evaluation.export, {"fmt": "csv"},
         name="analytics_evaluation_csv"),
    path("evaluering/<slug:key>/xlsx/", analytics_evaluation.export, {"fmt": "xlsx"},
         name="analytics_evaluation_xlsx"),
    # the targeting index and the områdesatsinger (laget.analytics.targeting, .programmes)
    path("malretting/", analytics_programmes.targeting_index, name="analytics_targeting"),
    path("malretting/csv/", analytics_programmes.targeting_csv, name="analytics_targeting_csv"),
    path("malretting/xlsx/", analytics_programmes.targeting_xlsx,
         name="analytics_targeting_xlsx"),
    path("satsinger/", analytics_programmes.programme_list, name="analytics_programmes"),
    path("satsinger/ny/", analytics_programmes.programme_create,
         name="analytics_programme_create"),
    path("satsinger/<uuid:area_programme_id>/", analytics_programmes.programme_detail,
         name="analytics_programme"),
    path("satsinger/<uuid:area_programme_id>/xlsx/", analytics_programmes.programme_export,
         name="analytics_programme_xlsx"),
    path("satsinger/<uuid:area_programme_id>/endre/", analytics_programmes.programme_edit,
         name="analytics_programme_edit"),
    path("satsinger/<uuid:area_programme_id>/forpliktelser/ny/",
         analytics_programmes.commitment_create, name="analytics_commitment_create"),
    path("satsinger/<uuid:area_programme_id>/planer/ny/", analytics_programmes.plan_create,
         name="analytics_devplan_create"),
    path("forpliktelser/<uuid:commitment_id>/", analytics_programmes.commitment_detail,
         name="analytics_commitment"),
    path("planer/<uuid:devplan_id>/", analytics_programmes.plan_detail,
         name="analytics_devplan"),
]
