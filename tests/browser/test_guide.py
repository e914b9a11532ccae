"""«Kan jeg dele dette?» in a real browser, without logging in: the answer changes with consent,
the page works without errors and axe-core finds no serious violations; the rulebook pages too.
Screenshots for a human look go to /tmp/laget-shots/."""

import pytest
from playwright.sync_api import expect

from laget.sharing.tests.rulebooks import variant
from tests.browser.tab import SHOTS_DIR, Tab, assert_accessible, assert_punkt_styled, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _screenshot(tab: Tab, name: str) -> None:
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SHOTS_DIR / f"{name}.png"), full_page=True)


def test_the_guide_without_login(in_browser, rulebook):
    def scenario(tab: Tab) -> None:
        page = tab.page
        response = tab.goto("/deling/veileder/")
        assert response.status == 200
        assert_punkt_styled(page)
        assert_accessible(tab, "the guide before a question")

        page.get_by_label("Hvem har opplysningen?").select_option("skole")
        page.get_by_label("Hvem vil du dele med?").select_option("politi")
        page.get_by_label("Hva slags opplysning?").select_option("skole")
        page.get_by_label("Hvorfor skal den deles?").select_option("forebygging")
        page.get_by_label("Personens alder").fill("14")
        page.get_by_label("Hvem har samtykket?").select_option("none")
        page.get_by_role("button", name="Vis svaret").click()

        expect(page.get_by_test_id("answer")).to_have_text("Bare med samtykke")
        answer = page.get_by_test_id("guide-answer")
        expect(answer.get_by_test_id("citation")).to_have_text("forvaltningsloven § 13 a nr. 1")
        expect(answer.get_by_test_id("draft")).to_have_text("utkast — til juridisk gjennomgang")
        expect(page.get_by_test_id("consent-from")).to_contain_text("foresatte med foreldreansvar")
        expect(page.get_by_role("link", name="Gå til sakene")).to_have_attribute("href", "/saker/")
        expect(page.get_by_test_id("considered")).to_contain_text("fvl-13a-samtykke")
        # The form keeps the question, so one change asks again.
        expect(page.get_by_label("Personens alder")).to_have_value("14")
        assert_accessible(tab, "the guide answering «only with consent»")
        _screenshot(tab, "guide-consent-required")

        page.get_by_label("Hvem har samtykket?").select_option("both")
        page.get_by_role("button", name="Vis svaret").click()
        expect(page.get_by_test_id("answer")).to_have_text("Ja")
        expect(page.get_by_test_id("guide-answer")).to_contain_text(
            "Ja, fordi samtykket dekker dette.")
        assert_accessible(tab, "the guide answering «yes»")
        _screenshot(tab, "guide-yes")

        page.get_by_role("link", name="fvl-13a-samtykke").first.click()
        expect(page.locator("h1")).to_have_text("Regel fvl-13a-samtykke")
        assert_accessible(tab, "a rule's history")
        tab.goto("/deling/regler/")
        expect(page.get_by_test_id("version")).to_contain_text("Versjon 2026.1")
        assert_accessible(tab, "the rulebook")
        _screenshot(tab, "rulebook")
        tab.goto("/deling/regler/versjoner/")
        assert_accessible(tab, "the rulebook versions")
        tab.assert_no_problems("the guide and the rulebook pages")

    in_browser(scenario)


def test_the_admin_compares_and_loads_a_rulebook(in_browser, role_member, rulebook, tmp_path):
    user, device = role_member("admin")
    new_file = tmp_path / "regelbok-2026.2.yaml"
    new_file.write_text(variant("2026.2", **{"prl-forebyggende-utlevering": {"effect": "deny"}}),
                        encoding="utf-8")

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, user, device)
        tab.goto("/deling/regler/endring/")
        assert_accessible(tab, "the rulebook change page")
        page.get_by_label("Ny regelbok (YAML)").set_input_files(str(new_file))
        page.get_by_role("button", name="Sammenlign med regelboken som gjelder").click()
        expect(page.get_by_test_id("access-changes")).to_contain_text("mister tilgang")
        assert_accessible(tab, "the rulebook comparison")
        _screenshot(tab, "rulebook-change")
        page.get_by_role("button", name="Last inn").click()
        expect(page).to_have_url(tab.url("/deling/regler/versjoner/"))
        expect(page.locator("table")).to_contain_text("2026.2")
        tab.assert_no_problems("the rulebook change pages")

    in_browser(scenario)
