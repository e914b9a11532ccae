"""The operations URLs (names in the `web` namespace), included from laget.web.urls and answered
by laget.web.probes.ProbeMiddleware ahead of the other middleware (docs/DEPLOYMENT.md)."""

from django.urls import path

from laget.web.views import metrics, operations

urlpatterns: list = [
    path("healthz", operations.healthz, name="healthz"),
    path("readyz", operations.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
]
