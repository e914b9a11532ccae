"""URLs of the mentors pages, included from laget.web.urls (names in the `web` namespace)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
