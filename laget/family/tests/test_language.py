"""The family pages in the guardian messages' languages (laget.family.language): the family's own
choice, stored in a cookie for /familie/ only, renders the pages in nn, so, ar, ur, pl or ti with
the right `lang` and `dir`; staff pages stay nb/en whatever is asked for; a string a draft catalogue
lacks falls back to bokmål; and what the family does in another language reaches staff in
bokmål."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from laget.family import language
from laget.family.tests.test_family import citizen_login, page, person_url
from laget.notify import templates as notify_templates
from laget.notify.models import Message

pytestmark = pytest.mark.django_db
DRAFTS = ("nn", "so", "ar", "ur", "pl", "ti")
#: (language, msgid) a draft rightly writes as bokmål does: nynorsk shares some of its words
SAME_AS_BOKMAL = frozenset({("nn", "Planen for %(name)s"), ("nn", "Trekk tilbake samtykket")})
HTML = re.compile(r'<html lang="(?P<lang>[^"]+)" dir="(?P<dir>rtl|ltr)">')
H1 = re.compile(r"<h1[^>]*>(?P<text>.*?)</h1>", re.S)


def in_language(code: str, msgid: str) -> str:
    with translation.override(code):
        return gettext(msgid)


def html_attributes(text: str) -> tuple[str, str]:
    match = HTML.search(text)
    assert match is not None, text[:300]
    return match.group("lang"), match.group("dir")


def heading(text: str) -> str:
    match = H1.search(text)
    assert match is not None
    return match.group("text").strip()


def choose(client, code: str, next_path: str = "/familie/"):
    return client.post(reverse("family:language"), {"language": code, "next": next_path})


def test_the_family_languages_are_the_guardian_messages_languages():
    message_languages = {info.language for info in notify_templates.template_list()}
    assert set(DRAFTS) == language.DRAFT_CODES
    assert message_languages >= language.DRAFT_CODES
    assert language.DRAFT_CODES | {"nb", "en"} == language.CODES
    assert {"ar", "ur"} == language.RTL_CODES


@pytest.mark.parametrize("code", DRAFTS)
def test_the_start_page_in_each_draft_language(client, code):
    response = choose(client, code)
    assert response.status_code == 302 and response["Location"] == "/familie/"
    cookie = response.cookies[language.COOKIE_NAME]
    assert cookie.value == code and cookie["path"] == "/familie/" and cookie["httponly"]

    response = client.get(reverse("family:start"))
    text = response.content.decode()
    assert response["Content-Language"] == code
    assert html_attributes(text) == (code, "rtl" if code in ("ar", "ur") else "ltr")
    translated = in_language(code, "Familiesiden")
    assert translated != "Familiesiden"
    assert heading(text) == translated
    assert "Innloggingen for familier er ikke satt opp ennå" not in text
    # The choice shows every language in itself, the current one selected.
    assert f'<option value="{code}" lang="{code}"' in text
    assert re.search(rf'<option value="{code}"[^>]*selected', text)
    assert "ትግርኛ" in text and "العربية" in text and "Soomaali" in text and "Nynorsk" in text


def test_a_logged_in_guardian_reads_the_plan_in_each_language_and_staff_hear_bokmal(
        client, family_on, scene):
    citizen_login(client, family_on, scene.mother.national_id)
    for code in DRAFTS:
        choose(client, code, person_url(scene))
        text = page(client, person_url(scene))
        assert html_attributes(text) == (code, "rtl" if code in ("ar", "ur") else "ltr")
        with translation.override(code):
            title = gettext("Planen for %(name)s") % {"name": "Sara Syntetisk"}
        assert heading(text) == title
        if (code, "Planen for %(name)s") not in SAME_AS_BOKMAL:
            assert title != "Planen for Sara Syntetisk"
        for msgid in ("Samtykker", "Trekk tilbake samtykket", "Skole"):
            assert in_language(code, msgid) in text
            assert (code, msgid) in SAME_AS_BOKMAL or in_language(code, msgid) != msgid
        assert "Sara er på skolen hver dag" in text  # what the team wrote stays as written

    # Withdrawing in Tigrinya: the family's confirmation in Tigrinya, the team's notice in bokmål.
    url = reverse("family:consent_withdraw", kwargs={"person_id": scene.person.pk,
                                                     "consent_id": scene.consent.pk})
    choose(client, "ti", url)
    response = client.post(url, follow=True)
    assert in_language("ti", "Samtykket er trukket tilbake. Det gjelder fra nå.") in (
        response.content.decode())
    notices = Message.objects.filter(idempotency_key__startswith="family-consent-withdrawn:")
    assert notices.exists()
    assert {m.subject for m in notices} == {"Et samtykke er trukket tilbake"}


def test_without_a_choice_the_family_pages_follow_the_staff_language(client):
    assert html_attributes(page(client, "/familie/")) == ("nb", "ltr")
    choose(client, "en")
    text = page(client, "/familie/")
    assert html_attributes(text) == ("en", "ltr")
    assert heading(text) == in_language("en", "Familiesiden")


def test_an_unknown_language_or_a_foreign_target_changes_nothing(client):
    response = choose(client, "xx")
    assert response.status_code == 302 and language.COOKIE_NAME not in response.cookies
    for target in ("https://evil.example/familie/", "/konto/logg-inn/", "//evil.example/"):
        response = choose(client, "pl", target)
        assert response["Location"] == "/familie/", target
    assert client.get(reverse("family:language")).status_code == 405


def test_staff_pages_refuse_the_family_languages(client):
    for code in DRAFTS:
        # Django's own switch: the cookie it may set is not a language staff pages accept.
        client.post(reverse("set_language"), {"language": code, "next": "/konto/logg-inn/"})
        # The family cookie (the test client sends it everywhere; a browser only to /familie/).
        client.cookies[language.COOKIE_NAME] = code
        response = client.get("/konto/logg-inn/", HTTP_ACCEPT_LANGUAGE=f"{code},en;q=0.1")
        text = response.content.decode()
        assert response.status_code == 200
        lang, direction = html_attributes(text)
        assert lang in ("nb", "en") and direction == "ltr", (code, lang)
        assert in_language(code, "Hopp til hovedinnhold") not in text


def test_a_string_the_draft_lacks_falls_back_to_bokmal():
    # A staff-only string, deliberately not in the family catalogues.
    assert in_language("en", "Bytt rolle") != "Bytt rolle"
    for code in DRAFTS:
        assert in_language(code, "Bytt rolle") == "Bytt rolle"
