"""/log/…: the audit log in the C2SP tlog-tiles layout (paths fixed by the spec, so in English)."""

from django.urls import path, re_path

from laget.audit import log_views

app_name = "log"

_TILE = r"(?P<path>(?:x\d{3}/)*\d{3}(?:\.p/\d{1,3})?)"

urlpatterns = [
    path("key", log_views.key, name="key"),
    path("checkpoint", log_views.checkpoint, name="checkpoint"),
    re_path(rf"^tile/entries/{_TILE}$", log_views.entries, name="entries"),
    re_path(rf"^tile/(?P<level>\d{{1,2}})/{_TILE}$", log_views.tile, name="tile"),
]
