"""The admin site logs in through Laget's own two-step login, never its own form."""

from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def install_admin_login(site: AdminSite) -> None:
    def login(request: HttpRequest, extra_context: object = None) -> HttpResponseRedirect:
        target = request.GET.get("next", reverse("admin:index"))
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")

    site.login = login  # type: ignore[method-assign]
    site.site_header = _("Laget – administrasjon")
    site.site_title = _("Laget")
    site.index_title = _("Referansedata, virksomheter og brukere")
