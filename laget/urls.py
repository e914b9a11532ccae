from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from laget.web.admin_site import install_admin_login

install_admin_login(admin.site)

urlpatterns = [
    path("", include("laget.web.urls")),
    path("konto/", include("laget.accounts.urls")),
    path("logg/", include("laget.audit.urls")),
    path("i18n/sprak/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler400 = "laget.web.views.pages.error_400"
handler403 = "laget.web.views.pages.error_403"
handler404 = "laget.web.views.pages.error_404"
handler500 = "laget.web.views.pages.error_500"
