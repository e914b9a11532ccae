"""URLs of the records-lifecycle pages (archive, privacy paperwork), included from laget.web.urls
(names in the `web` namespace)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
