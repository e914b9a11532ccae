"""The guide and rulebook pages (open without login, no personal data) and the administrator's
page that compares a new rulebook with the one in force and loads it."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from laget.accounts.actor import Actor
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.sharing.models import RulebookVersion
from laget.sharing.rulebook import current_version, rulebook_load
from laget.sharing.tests.rulebooks import dump, rule, shipped, variant

pytestmark = pytest.mark.django_db

QUESTION = {"source": "skole", "recipient": "politi", "category": "skole",
            "purpose": "forebygging", "person_age": "14", "consent": "none", "programme": ""}
FLIPPED = {"prl-forebyggende-utlevering": {"effect": "deny"}}


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_guide_without_a_question(client, rulebook):
    page = text(client.get(reverse("web:sharing_guide")))
    assert "Kan jeg dele dette?" in page and 'id="id_source"' in page
    assert 'data-testid="guide-answer"' not in page
    assert "versjon 2026.1" in page


def test_the_guide_answers_only_with_consent(client, rulebook):
    page = text(client.get(reverse("web:sharing_guide"), QUESTION))
    assert 'data-testid="answer">Bare med samtykke</h2>' in page
    assert "forvaltningsloven § 13 a nr. 1" in page
    assert "hjemmelen er delvis kontrollert" in page
    assert "utkast — til juridisk gjennomgang" in page
    assert "For en person på 14 år: foresatte med foreldreansvar." in page
    assert f'href="{reverse("web:case_list")}"' in page
    assert "Taushetsbelagte opplysninger kan deles" in page
    # The rules considered, each condition met or missing.
    assert 'data-testid="considered"' in page
    assert "oppfylt:</span> Kilden er av en type regelen gjelder for" in page
    assert "ikke oppfylt:</span> Kilden er av en type regelen gjelder for" in page
    assert "utkast: «Tillatt» når regelen er juridisk vurdert" in page  # kriminalomsorg-politi


def test_the_guide_with_consent_and_by_age(client, rulebook):
    page = text(client.get(reverse("web:sharing_guide"), {**QUESTION, "consent": "both"}))
    assert 'data-testid="answer">Ja</h2>' in page
    assert "Ja, fordi samtykket dekker dette." in page
    page = text(client.get(reverse("web:sharing_guide"), {**QUESTION, "person_age": "16"}))
    assert "For en person på 16 år: både den unge og foresatte." in page


def test_the_guide_says_no_and_why(client, rulebook):
    page = text(client.get(reverse("web:sharing_guide"), {
        **QUESTION, "source": "nav", "category": "nav", "purpose": "straffesak",
        "consent": "both"}))
    assert 'data-testid="answer">Nei</h2>' in page
    assert "NAV-loven § 7 (forvaltningsloven § 13 b nr. 5–6 gjelder ikke)" in page
    assert "Hvem må samtykke" not in page
    page = text(client.get(reverse("web:sharing_guide"), {**QUESTION, "recipient": "familie",
                                                           "category": "politi"}))
    assert 'data-testid="answer">Nei</h2>' in page
    assert "Ingen regel gir grunnlag for å dele dette." in page


def test_the_guide_in_english(client, rulebook):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get(reverse("web:sharing_guide"), QUESTION))
    assert "Confidential information may be shared" in page
    assert "Taushetsbelagte" not in page


@pytest.mark.parametrize("bad", [{"source": "sirkus"}, {"person_age": "fjorten"},
                                 {"person_age": "121"}, {"recipient": ""},
                                 {"programme": "ukjent"}])
def test_bad_input_is_a_form_error(client, rulebook, bad):
    page = text(client.get(reverse("web:sharing_guide"), {**QUESTION, **bad}))
    assert "Skjemaet har feil" in page
    assert 'data-testid="guide-answer"' not in page


def test_the_rulebook_page(client, rulebook):
    page = text(client.get(reverse("web:sharing_rules")))
    assert "Versjon 2026.1" in page
    for rule_row in rulebook.rules.all():
        assert f'id="regel-{rule_row.rule_id}"' in page
    assert "<dd>Politi → Kriminalomsorgen</dd>" in page  # politi-kriminalomsorg
    assert "personen er høyst 17 år; saken har en åpen våpenutløser" in page
    assert "utkast — til juridisk gjennomgang" in page
    assert "hjemmelen er ikke kontrollert" in page  # kriminalomsorg-politi ✖


def test_the_rulebook_page_without_a_rulebook(client):
    assert "Ingen regelbok er lastet ennå." in text(client.get(reverse("web:sharing_rules")))


def test_a_rules_history_highlights_what_changed(client):
    with clock.frozen(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)):
        rulebook_load(text=variant("2026.1"), file_name="a.yaml")
    with clock.frozen(dt.datetime(2026, 2, 5, 9, tzinfo=dt.UTC)):
        rulebook_load(text=variant("2026.2", **FLIPPED), file_name="b.yaml")
    data = shipped()
    data["version"] = "2026.3"
    data["rules"] = [r for r in data["rules"] if r["id"] != "prl-forebyggende-utlevering"]
    with clock.frozen(dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC)):
        rulebook_load(text=dump(data), file_name="c.yaml")
    url = reverse("web:sharing_rule", kwargs={"rule_id": "prl-forebyggende-utlevering"})
    page = text(client.get(url))
    assert page.count('data-testid="history-row"') == 3
    assert "Regelen er ikke med i regelboken som gjelder nå." in page
    removed, changed, added = (page.index(f"Versjon {v} (lastet") for v in
                               ("2026.3", "2026.2", "2026.1"))
    assert removed < changed < added  # newest first
    assert "Regelen ble tatt ut av regelboken i denne versjonen." in page[removed:changed]
    changed_part = page[changed:added]
    assert ('Virkning <span class="pkt-tag pkt-tag--small pkt-tag--yellow">endret</span>'
            in changed_part)
    assert "Ikke tillatt" in changed_part
    assert changed_part.count(">endret</span>") == 2  # the version tag and the effect
    assert ">endret</span>" not in page[added:]
    assert client.get(reverse("web:sharing_rule", kwargs={"rule_id": "finnes-ikke"})
                      ).status_code == 404


def test_the_versions_page(client, make_member, login):
    admin = make_member("admin", agency_type="by", district=None, first_name="Ada",
                        last_name="Admin")
    rulebook_load(text=variant("2026.1"), file_name="a.yaml")
    rulebook_load(text=variant("2026.2", **FLIPPED), file_name="b.yaml",
                  actor=Actor(admin, admin.memberships.get()))
    page = text(client.get(reverse("web:sharing_versions")))
    for version in RulebookVersion.objects.all():
        assert version.sha256 in page
    assert "kommandolinjen" in page and "en administrator" in page
    assert "Ada Admin" not in page  # staff names only to those logged in
    login(client, admin)
    assert "Ada Admin" in text(client.get(reverse("web:sharing_versions")))


def test_links_from_the_footer_and_the_start_page(client, make_member, login):
    page = text(client.get(reverse("web:accessibility")))
    assert f'href="{reverse("web:sharing_guide")}"' in page
    assert f'href="{reverse("web:sharing_rules")}"' in page
    login(client, make_member("caseworker"))
    page = text(client.get(reverse("web:start")))
    assert 'data-testid="sharing-guide-link"' in page


@pytest.fixture
def admin_client(client, make_member, login):
    admin = make_member("admin", agency_type="by", district=None, is_staff=True)
    login(client, admin)
    client.admin = admin
    return client


def _upload(client, content: str, name: str = "ny.yaml"):
    return client.post(reverse("web:sharing_change"), {
        "action": "compare", "file": SimpleUploadedFile(name, content.encode("utf-8")),
    })


def _load_form(page: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input type="hidden" name="(file_name|content|base)" '
                             r'value="([^"]*)"', page))
    return {"action": "load", **fields}


def test_the_admin_compares_and_loads_a_new_rulebook(admin_client, rulebook):
    assert 'type="file" name="file"' in text(admin_client.get(reverse("web:sharing_change")))
    page = text(_upload(admin_client, variant("2026.2", **FLIPPED)))
    assert 'data-testid="diff"' in page
    assert "prl-forebyggende-utlevering (effect)" in page
    assert "mister tilgang" in page and "Politi → Skole" in page
    assert "<td class=\"pkt-table__data-cell\">Politi</td>" in page  # the category
    assert "Koordinert forebygging" in page
    assert "Bare med samtykke → Nei: samtykke: Ikke gitt" in page
    assert "Ja → Nei: samtykke: Både foresatte og den unge" in page
    assert current_version().version == "2026.1"  # nothing loaded yet

    response = admin_client.post(reverse("web:sharing_change"), _load_form(page))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:sharing_versions")
    loaded = current_version()
    assert loaded.version == "2026.2" and loaded.loaded_by == admin_client.admin
    assert loaded.file_name == "ny.yaml"
    event = AuditEvent.objects.filter(action="rulebook.load").latest("occurred_at")
    assert event.actor == admin_client.admin and event.role == "admin"
    assert event.details["previous"] == "2026.1"


def test_a_stale_comparison_is_not_loaded(admin_client, rulebook):
    page = text(_upload(admin_client, variant("2026.2", **FLIPPED)))
    rulebook_load(text=variant("2026.3"), file_name="annen.yaml")  # someone else, meanwhile
    page = text(admin_client.post(reverse("web:sharing_change"), _load_form(page)))
    assert "En annen versjon av regelboken er lastet siden du sammenlignet." in page
    assert current_version().version == "2026.3"
    # The new comparison is against 2026.3, and loading it now works.
    response = admin_client.post(reverse("web:sharing_change"), _load_form(page))
    assert response.status_code == 302 and current_version().version == "2026.2"


def test_a_bad_upload_shows_the_rule_and_the_reason(admin_client, rulebook):
    data = shipped()
    rule(data, "nav-fare-liv-helse")["recipients"] = ["nav", "sirkus"]
    page = text(_upload(admin_client, dump(data), "feil.yaml"))
    assert "feil.yaml: rule nav-fare-liv-helse: " in page and "unknown recipient: sirkus" in page
    assert 'data-testid="diff"' not in page
    page = text(_upload(admin_client, "version: [", "feil.yaml"))
    assert "feil.yaml: not valid YAML" in page
    latin1 = SimpleUploadedFile("latin1.yaml", "tittel: Bærum".encode("latin-1"))
    page = text(admin_client.post(reverse("web:sharing_change"),
                                  {"action": "compare", "file": latin1}))
    assert "Filen må være tekst i UTF-8." in page
    page = text(admin_client.post(reverse("web:sharing_change"),
                                  {"action": "load", "file_name": "x.yaml", "content": "%%%"}))
    assert "Filen kom ikke riktig fram." in page
    assert RulebookVersion.objects.count() == 1
