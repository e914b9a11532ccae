from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from laget.api.main import api
from laget.api.main import not_found as api_not_found
from laget.web.admin_site import install_admin_login

install_admin_login(admin.site)

urlpatterns = [
    path("", include("laget.web.urls")),
    path("konto/", include("laget.accounts.urls")),
    path("familie/", include("laget.family.urls")),
    path("logg/", include("laget.audit.urls")),
    path("log/", include("laget.audit.log_urls")),
    path("i18n/sprak/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    re_path(r"^api/docs/?$", RedirectView.as_view(pattern_name="api:openapi-view"),
            name="api_docs"),
    # [\s\S]: the rest may hold an encoded newline, which `.` would not match.
    re_path(r"^api/(?P<rest>[\s\S]*)$", api_not_found),
    path("admin/", admin.site.urls),
]

handler400 = "laget.web.views.pages.error_400"
handler403 = "laget.web.views.pages.error_403"
handler404 = "laget.web.views.pages.error_404"
handler500 = "laget.web.views.pages.error_500"
