from django.urls import path

from laget.audit import views

app_name = "audit"

urlpatterns = [
    path("hendelser/", views.event_list, name="event_list"),
    path("hendelser/eksport/", views.event_export, name="event_export"),
]
