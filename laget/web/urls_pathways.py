"""URLs of the pathways pages, included from laget.web.urls (names in the `web` namespace)."""

from django.urls import path

from laget.web.views import pathways

urlpatterns: list = [
    path("", pathways.catalogue, name="pathways_catalogue"),
    path("nytt/", pathways.offer_create, name="pathways_offer_create"),
    path("import/", pathways.catalogue_import, name="pathways_import"),
    path("dekning/", pathways.coverage_page, name="pathways_coverage"),
    path("henvisninger/", pathways.referral_list, name="pathways_referrals"),
    path("henvisninger/<uuid:referral_id>/", pathways.referral_detail,
         name="pathways_referral"),
    path("henvis/<uuid:case_id>/", pathways.refer, name="pathways_refer"),
    path("<uuid:offer_id>/", pathways.offer_detail, name="pathways_offer"),
    path("<uuid:offer_id>/endre/", pathways.offer_edit, name="pathways_offer_edit"),
    path("<uuid:offer_id>/apningstider/", pathways.offer_hours, name="pathways_offer_hours"),
]
