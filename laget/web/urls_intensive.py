"""URLs of the intensive pages, included from laget.web.urls (names in the `web` namespace)."""

from django.urls import path

from laget.web.views import intensive

urlpatterns: list = [
    path("", intensive.enrolment_list, name="intensive_list"),
    path("hull/", intensive.heatmap, name="intensive_heatmap"),
    path("oppmote/", intensive.checkins, name="intensive_checkins"),
    path("oppmote/<uuid:slot_id>/", intensive.checkin, name="intensive_checkin"),
    path("ny/<uuid:case_id>/", intensive.enrol, name="intensive_enrol"),
    path("<uuid:enrolment_id>/", intensive.enrolment_detail, name="intensive_detail"),
    path("<uuid:enrolment_id>/okt/", intensive.slot_add, name="intensive_slot_add"),
    path("<uuid:enrolment_id>/okt/<uuid:slot_id>/fjern/", intensive.slot_remove,
         name="intensive_slot_remove"),
    path("<uuid:enrolment_id>/team/", intensive.member_add, name="intensive_member_add"),
    path("<uuid:enrolment_id>/team/<uuid:member_id>/fjern/", intensive.member_remove,
         name="intensive_member_remove"),
    path("<uuid:enrolment_id>/avslutt/", intensive.enrolment_end, name="intensive_end"),
]
