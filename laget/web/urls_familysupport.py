"""URLs of the familysupport pages, included from laget.web.urls (names in the `web` namespace)."""

from django.urls import path

from laget.web.views import familysupport as views

urlpatterns: list = [
    path("foreldrestotte/", views.parent_received, name="familysupport_parent_received"),
    path("foreldrestotte/statistikk/", views.parent_statistics,
         name="familysupport_parent_statistics"),
    path("foreldrestotte/sak/<uuid:case_id>/", views.parent_case,
         name="familysupport_parent_case"),
    path("foreldrestotte/<uuid:parent_referral_id>/", views.parent_detail,
         name="familysupport_parent_detail"),
    path("flyttehjelp/", views.relocation_list, name="familysupport_relocation_list"),
    path("flyttehjelp/sak/<uuid:case_id>/ny/", views.relocation_create,
         name="familysupport_relocation_create"),
    path("flyttehjelp/<uuid:relocation_id>/", views.relocation_detail,
         name="familysupport_relocation_detail"),
    path("tolk/sak/<uuid:case_id>/", views.interpreter_case,
         name="familysupport_interpreter_case"),
    path("tolk/rapport/", views.interpreter_report, name="familysupport_interpreter_report"),
    path("tolk/rapport.xlsx", views.interpreter_report_export,
         name="familysupport_interpreter_report_xlsx"),
]
