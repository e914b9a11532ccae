"""A bydel's profile (laget.analytics.profile) as a printable PDF (WeasyPrint): published
aggregates only, charts as static SVG, sources and «syntetisk» labels. Nothing personal is read,
so nothing is audited — as for the fact sheet page it prints."""

from django.template.loader import render_to_string
from django.utils import translation

from laget.analytics.profile import CHART_HEIGHT, CHART_WIDTH, Profile
from laget.core import clock
from laget.web.services.consent_form import _asset_uris, _fetcher


def district_profile_pdf(*, profile: Profile) -> bytes:
    from weasyprint import HTML

    root, assets = _asset_uris()
    html = render_to_string("web/analytics/evaluation/profile_pdf.html", {
        "profile": profile, "printed": clock.now(), "assets": assets,
        "chart_width": CHART_WIDTH, "chart_height": CHART_HEIGHT,
        "LANGUAGE_CODE": translation.get_language() or "nb"})
    return bytes(HTML(string=html, url_fetcher=_fetcher(root)).write_pdf())
