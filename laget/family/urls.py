from django.urls import path

from laget.family import language, views, views_messages, views_rectification

app_name = "family"

urlpatterns = [
    path("", views.start, name="start"),
    path("logg-inn/", views.login_start, name="login"),
    path("logg-inn/tilbake/", views.login_callback, name="login_callback"),
    path("logg-ut/", views.logout, name="logout"),
    path("sprak/", language.language_set, name="language"),
    path("<uuid:person_id>/", views.person, name="person"),
    path("<uuid:person_id>/innsyn/", views.innsyn_report, name="innsyn"),
    path("<uuid:person_id>/meldinger/", views_messages.thread_page, name="messages"),
    path("<uuid:person_id>/retting/", views_rectification.rectification_page,
         name="rectification"),
    path("<uuid:person_id>/samtykker/<uuid:consent_id>/trekk-tilbake/", views.consent_withdraw,
         name="consent_withdraw"),
    path("<uuid:person_id>/samtykkeforslag/<uuid:proposal_id>/", views.consent_proposal,
         name="consent_proposal"),
]
