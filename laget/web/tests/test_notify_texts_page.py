"""The page of guardian message texts (/varsler/tekster/): every key in every language, the
unreviewed drafts clearly marked, Arabic and Urdu right to left, the SMS cost, for any logged-in
user and without an audit event (no personal data)."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from laget.audit.models import AuditEvent
from laget.notify import sms
from laget.notify.templates import RTL_LANGUAGES, render, template_list
from laget.web.selectors.texts import EXAMPLE_FIRST_NAME, EXAMPLE_UNIT, text_catalogue

pytestmark = pytest.mark.django_db

URL = "/varsler/tekster/"
UNREVIEWED = "Ikke gjennomgått av et menneske"


def _rows(html: str) -> dict[tuple[str, str], str]:
    """Each table row's HTML by (key, language)."""
    rows = re.findall(r'(<tr [^>]*data-testid="text-row".*?</tr>)', html, re.S)
    found = {}
    for row in rows:
        key = re.search(r'data-key="([^"]+)"', row).group(1)
        language = re.search(r'data-language="([^"]+)"', row).group(1)
        found[(key, language)] = row
    return found


def test_the_url_is_named():
    assert reverse("web:notify_texts") == URL


def test_every_key_and_language_with_review_state_direction_and_sms_cost(make_member, login):
    client = login(Client(), make_member("caseworker", agency_type="skole"))
    before = AuditEvent.objects.count()
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    rows = _rows(html)
    expected = template_list()
    assert set(rows) == {(t.key, t.language) for t in expected}
    assert len(expected) >= 3 * 8
    for info in expected:
        row = rows[(info.key, info.language)]
        assert (UNREVIEWED in row) is (not info.reviewed), (info.key, info.language)
        assert f'data-reviewed="{"true" if info.reviewed else "false"}"' in row
        direction = "rtl" if info.language in RTL_LANGUAGES else "ltr"
        assert re.search(rf'<div lang="{info.language}" dir="{direction}" '
                         r'data-testid="message-text">', row), (info.key, info.language)
        assert re.search(r"\d+ del(er)?", row)
    # the drafts are the languages no person has read; the scripts outside GSM-7 cost UCS-2
    assert {lang for (_, lang), row in rows.items() if UNREVIEWED in row} == {
        "so", "ar", "ur", "pl", "ti"}
    assert "UCS-2" in rows[("police.stop_search", "ar")]
    assert "GSM-7" in rows[("police.stop_search", "nb")]
    assert 'dir="rtl"' in rows[("police.weapon", "ur")]
    # the placeholders are shown as code, isolated from right-to-left text
    assert '<code dir="ltr">${first_name}</code>' in rows[("police.weapon", "ar")]
    assert 'data-testid="drafts-note"' in html
    assert "Persisk" in html  # a language with no text falls back to bokmål, and the page says so
    # no personal data, so no audit event (as the district and rulebook pages)
    assert AuditEvent.objects.count() == before


def test_the_catalogue_counts_segments_of_the_filled_in_text():
    catalogue = text_catalogue()
    rows = {(r.key, r.language): r for g in catalogue.groups for r in g.rows}
    arabic = rows[("police.weapon", "ar")]
    assert arabic.encoding == "UCS-2" and arabic.segments >= 3
    # with the longest unit name in use the bokmål stop-and-search text just passes 160
    example = {"first_name": EXAMPLE_FIRST_NAME, "unit": EXAMPLE_UNIT,
               "phone": settings.LAGET_POLICE_PHONE}
    body = render("police.stop_search", "nb", example).body
    bokmal = rows[("police.stop_search", "nb")]
    assert bokmal.encoding == "GSM-7" and bokmal.characters == len(body)
    assert bokmal.segments == sms.segments(body) == (1 if len(body) <= 160 else 2)
    assert catalogue.drafts == sum(1 for t in template_list() if not t.reviewed)
    assert [r.language for r in catalogue.groups[0].rows][:3] == ["nb", "nn", "en"]


def test_open_to_every_logged_in_role_but_not_to_anonymous(make_member, login):
    assert Client().get(URL).status_code == 302
    for role in ("analyst", "auditor", "admin", "coordinator"):
        assert login(Client(), make_member(role)).get(URL).status_code == 200, role


def test_the_failed_messages_page_links_here(make_member, login):
    html = login(Client(), make_member("caseworker")).get(reverse("web:failed_messages"))
    assert f'href="{URL}"' in html.content.decode()
