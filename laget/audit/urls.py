from django.urls import path

from laget.audit import views

app_name = "audit"

urlpatterns = [
    path("hendelser/", views.event_list, name="event_list"),
]
