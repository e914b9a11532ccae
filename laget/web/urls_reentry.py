"""URLs of the reentry pages, included from laget.web.urls (names in the `web` namespace)."""

from django.urls import path

from laget.web.views import reentry

urlpatterns: list = [
    path("", reentry.home, name="reentry_home"),
    path("ny/", reentry.release_new, name="reentry_release_new"),
    path("<uuid:release_id>/", reentry.release_detail, name="reentry_release"),
    path("<uuid:release_id>/overlever/", reentry.release_handover, name="reentry_handover"),
    path("<uuid:release_id>/loslatt/", reentry.release_confirm, name="reentry_confirm"),
    path("plan/<uuid:plan_id>/", reentry.plan_detail, name="reentry_plan"),
    path("plan/<uuid:plan_id>/sjekkliste/", reentry.plan_checklist, name="reentry_checklist"),
    path("plan/<uuid:plan_id>/resultat/<int:milestone>/", reentry.outcome,
         name="reentry_outcome"),
    path("meldinger/", reentry.message_list, name="reentry_messages"),
    path("meldinger/ny/", reentry.message_new, name="reentry_message_new"),
    path("meldinger/<uuid:message_id>/", reentry.message_detail, name="reentry_message"),
    path("nettverk/", reentry.networks, name="reentry_networks"),
    path("nettverk/<uuid:affiliation_id>/avslutt/", reentry.network_end,
         name="reentry_network_end"),
    path("plassering/", reentry.placements, name="reentry_placements"),
]
