from django.urls import path

from laget.web.views import pages, people

app_name = "web"

urlpatterns = [
    path("", pages.start, name="start"),
    path("tilgjengelighet/", pages.accessibility, name="accessibility"),
    path("bydeler/", pages.district_list, name="district_list"),
    path("bydeler/<str:code>/", pages.district_detail, name="district_detail"),
    path("personer/", people.person_list, name="person_list"),
    path("personer/ny/", people.person_create, name="person_create"),
    path("personer/<uuid:person_id>/", people.person_detail, name="person_detail"),
    path("personer/<uuid:person_id>/endre/", people.person_edit, name="person_edit"),
    path("personer/<uuid:person_id>/foresatte/ny/", people.guardian_create,
         name="guardian_create"),
]
