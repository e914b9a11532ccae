"""The family pages for everyone who may (and may not) use them, in a real browser through the
real OIDC login (the test provider process on loopback, as in test_family.py):

- a guardian who uses the keyboard alone (Tab, Enter, Space) logs in, reaches the plan and the
  consents, withdraws a consent, and can always see where the focus is; axe-core finds no serious
  or critical violation on the family pages, in bokmål and in Arabic (right-to-left);
- at 200 % zoom: a 1280 × 900 window zoomed to 200 % lays pages out in 640 × 450 CSS pixels, so
  the pages run in a 640 px wide viewport with deviceScaleFactor 2 (each CSS pixel drawn as two
  device pixels, as a zoomed browser does); nothing scrolls sideways and all main content is on
  screen (data tables may scroll inside their own focusable region, as WCAG 1.4.10 allows);
- a young person of 16 sees their own plan;
- a guardian without parental responsibility sees «Du har ikke tilgang via familiesiden» and no
  name.
"""

import uuid
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from laget.family.tests.scene import family_scene
from tests.browser.tab import SHOTS_DIR, Tab, assert_accessible
from tests.oidc.harness import PASSWORD, oidc_provider_fixture  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CALLBACK_PATH = "/familie/logg-inn/tilbake/"
NO_ACCESS = "Du har ikke tilgang via familiesiden"


@pytest.fixture
def family_on(oidc_provider, live_server, settings):
    oidc_provider.allow_redirect(live_server.url + CALLBACK_PATH)
    settings.LAGET_FAMILY_OIDC_ISSUER = oidc_provider.issuer
    settings.LAGET_FAMILY_OIDC_CLIENT_ID = oidc_provider.client_id
    settings.LAGET_FAMILY_OIDC_CLIENT_SECRET = oidc_provider.client_secret
    return oidc_provider


def provider_user(provider: Any, pid: str, acr: str = "idporten-loa-high") -> str:
    username = f"c-{uuid.uuid4().hex[:8]}"
    provider.add_user(username, claims={"sub": uuid.uuid4().hex, "acr": acr, "pid": pid})
    return username


def log_in(tab: Tab, username: str) -> None:
    """From /familie/ through the provider's login form and back to /familie/."""
    page = tab.page
    tab.goto("/familie/")
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    expect(page.locator("h1")).to_have_text("Test identity provider")
    page.get_by_label("Provider user").fill(username)
    page.get_by_label("Provider password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in at provider").click()
    expect(page).to_have_url(tab.url("/familie/"))
    tab.take_problems()  # the provider's page is not Laget's


# --- keyboard ------------------------------------------------------------------------------------


def focused(page: Page) -> dict[str, Any]:
    """The focused element: its text (a select: its id) and whether the focus can be seen on
    it (`:focus-visible` matches and the element draws an outline or a box-shadow)."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || el === document.body) return {name: '', visible: false};
        const style = getComputedStyle(el);
        const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
        const shadow = style.boxShadow && style.boxShadow !== 'none';
        const text = el.getAttribute('aria-label') || el.innerText || el.value || el.name
                     || el.id || '';
        const name = el.tagName === 'SELECT' ? el.id : text.trim().replace(/\\s+/g, ' ');
        return {name, visible: Boolean(outline || shadow), tag: el.tagName,
                focusVisible: el.matches(':focus-visible')};
    }""")


def tab_to(page: Page, name: str, *, limit: int = 60) -> None:
    """Press Tab until the control named `name` has the focus, and check that it shows."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["name"] == name:
            assert now["focusVisible"] and now["visible"], f"no visible focus on {now}"
            return
    raise AssertionError(f"Tab never reached {name!r} (focus is on {focused(page)!r})")


def test_guardian_keyboard_only(in_browser, make_member, rulebook, family_on):
    scene = family_scene(make_member)
    mona = provider_user(family_on, scene.mother.national_id)
    person_path = f"/familie/{scene.person.pk}/"

    def scenario(tab: Tab) -> None:
        page = tab.page
        tab.goto("/familie/")
        assert_accessible(tab, "family start page")
        tab_to(page, "Logg inn med ID-porten")
        page.keyboard.press("Enter")
        expect(page.locator("h1")).to_have_text("Test identity provider")
        page.keyboard.press("Tab")  # the provider's form, by the keyboard too
        while page.evaluate("() => document.activeElement.name") != "username":
            page.keyboard.press("Tab")
        page.keyboard.type(mona)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        expect(page).to_have_url(tab.url("/familie/"))
        tab.take_problems()  # the provider's page is not Laget's
        assert_accessible(tab, "family start page, logged in")

        tab_to(page, "Sara Syntetisk")
        page.keyboard.press("Enter")
        expect(page).to_have_url(tab.url(person_path))
        expect(page.get_by_role("heading", name="Planen for Sara Syntetisk")).to_be_visible()
        expect(page.get_by_test_id("family-plan")).to_contain_text("Ukentlig samtale med Sara")
        expect(page.get_by_test_id("family-consents")).to_contain_text("Skole")
        assert_accessible(tab, "family plan page")

        tab_to(page, "Trekk tilbake samtykket")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Vil du trekke tilbake samtykket?")).to_be_visible()
        assert_accessible(tab, "withdrawal confirmation")
        tab_to(page, "Ja, trekk tilbake samtykket")
        page.keyboard.press("Space")
        expect(page).to_have_url(tab.url(person_path))
        expect(page.get_by_text("Samtykket er trukket tilbake.")).to_be_visible()
        expect(page.get_by_role("link", name="Trekk tilbake samtykket")).to_have_count(0)
        expect(page.get_by_test_id("family-consents")).to_contain_text("trukket tilbake")
        assert_accessible(tab, "family plan page after the withdrawal")

        tab_to(page, "Se hvem som har sett eller endret opplysningene, når og på hvilket grunnlag")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Hvem har sett opplysningene?")).to_be_visible()
        assert_accessible(tab, "family innsyn")
        tab.goto(f"{person_path}meldinger/")
        assert_accessible(tab, "family messages")

        # The language choice by keyboard: Arabic, right to left, still without violations.
        tab.goto(person_path)
        tab_to(page, "familie-sprak")
        page.keyboard.press("End")  # the select's options: down to the last, then up to Arabic
        for _ in range(3):
            page.keyboard.press("ArrowUp")
        assert page.evaluate("() => document.activeElement.value") == "ar"
        tab_to(page, "Bytt språk")
        page.keyboard.press("Enter")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("html")).to_have_attribute("lang", "ar")
        expect(page.get_by_role("heading", name="خطة Sara Syntetisk")).to_be_visible()
        assert_accessible(tab, "family plan page in Arabic")
        tab.assert_no_problems("family pages by keyboard")

    in_browser(scenario)


# --- 200 % zoom -----------------------------------------------------------------------------------

#: Where main content sticks out of the viewport: elements in <main>, outside the scrolling table
#: regions, that are rendered and reach past either edge.
OFF_SCREEN_JS = """() => {
    const width = window.innerWidth;
    const out = [];
    for (const el of document.querySelectorAll('main *')) {
        if (el.closest('.laget-table-wrap') || el.closest('.pkt-sr-only')) continue;
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        if (box.right > width + 1 || box.left < -1) {
            out.push(`${el.tagName.toLowerCase()}.${el.className}: ${Math.round(box.left)}`
                     + `–${Math.round(box.right)} of ${width}`);
        }
    }
    return out;
}"""


def assert_reflows(tab: Tab, where: str) -> None:
    page = tab.page
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{where}: scrolls sideways ({widths[0]} > {widths[1]})"
    off = page.evaluate(OFF_SCREEN_JS)
    assert not off, f"{where}: main content off screen:\n  " + "\n  ".join(off[:10])
    expect(page.locator("main h1")).to_be_visible()


def test_family_pages_at_200_percent_zoom(in_browser, make_member, rulebook, family_on):
    scene = family_scene(make_member)
    mona = provider_user(family_on, scene.mother.national_id)
    person_path = f"/familie/{scene.person.pk}/"
    withdraw_path = f"{person_path}samtykker/{scene.consent.pk}/trekk-tilbake/"

    def scenario(tab: Tab) -> None:
        # 1280 × 900 at 200 %: 640 × 450 CSS pixels, two device pixels each.
        context = tab.page.context.browser.new_context(
            base_url=tab.base_url, locale="nb-NO", viewport={"width": 640, "height": 450},
            device_scale_factor=2,
        )
        zoomed = Tab(context.new_page(), tab.base_url)
        try:
            page = zoomed.page
            zoomed.goto("/familie/")
            assert page.evaluate("() => window.devicePixelRatio") == 2
            assert page.evaluate("() => window.innerWidth") == 640
            assert_reflows(zoomed, "start page")
            log_in(zoomed, mona)
            for language in ("nb", "ar"):
                for path, name in (("/familie/", "start"), (person_path, "plan"),
                                   (withdraw_path, "withdrawal"),
                                   (f"{person_path}innsyn/", "innsyn"),
                                   (f"{person_path}meldinger/", "messages")):
                    zoomed.goto(path)
                    assert_reflows(zoomed, f"{name} ({language})")
                    if name == "plan":  # for a human look
                        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(SHOTS_DIR / f"family-plan-200-{language}.png"),
                                        full_page=True)
                if language == "nb":
                    page.get_by_label("Språk", exact=True).select_option("ar")
                    page.get_by_role("button", name="Bytt språk").click()
                    expect(page.locator("html")).to_have_attribute("dir", "rtl")
            zoomed.goto(person_path)
            consents = page.get_by_test_id("family-consents")
            consents.scroll_into_view_if_needed()
            expect(consents).to_be_visible()
            zoomed.assert_no_problems("family pages at 200 %")
        finally:
            context.close()

    in_browser(scenario)


# --- who sees what --------------------------------------------------------------------------------


def test_young_person_of_16_sees_their_own_plan(in_browser, make_member, rulebook, family_on):
    scene = family_scene(make_member, age=16)
    sara = provider_user(family_on, scene.person.national_id, acr="idporten-loa-substantial")
    person_path = f"/familie/{scene.person.pk}/"

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, sara)
        page.get_by_role("link", name="Min sak").click()
        expect(page).to_have_url(tab.url(person_path))
        expect(page.get_by_role("heading", name="Min plan", exact=True)).to_be_visible()
        plan = page.get_by_test_id("family-plan")
        expect(plan).to_contain_text("Sara er på skolen hver dag")
        expect(plan).to_contain_text("Ukentlig samtale med Sara")
        expect(page.get_by_text("Hjemmebesøk")).to_have_count(0)
        expect(page.get_by_text("Internt teammål")).to_have_count(0)
        # At 16 the young person gave the consent with the guardians: theirs to withdraw.
        expect(page.get_by_role("link", name="Trekk tilbake samtykket")).to_be_visible()
        assert_accessible(tab, "the young person's own plan")
        tab.assert_no_problems("the young person's pages")

    in_browser(scenario)


def test_guardian_without_parental_responsibility_sees_nothing(in_browser, make_member, rulebook,
                                                               family_on):
    scene = family_scene(make_member)
    scene.father.parental_responsibility = False
    scene.father.save()
    frank = provider_user(family_on, scene.father.national_id)
    person_path = f"/familie/{scene.person.pk}/"
    names = ("Sara", "Syntetisk", "Mona", "Frank", "Kari", "Lars", "Bente")

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, frank)
        expect(page.get_by_test_id("family-no-access")).to_have_text(NO_ACCESS)
        expect(page.get_by_test_id("family-persons")).to_have_count(0)
        body = page.locator("body").inner_text()
        assert not [name for name in names if name in body], body
        assert_accessible(tab, "family start page without access")
        # The person's own address gives the same answer, and no more.
        response = tab.goto(person_path)
        assert response.status == 404
        tab.take_problems()  # the console reports the 404 of the page itself
        expect(page.get_by_test_id("family-no-access")).to_have_text(NO_ACCESS)
        body = page.locator("body").inner_text()
        assert not [name for name in names if name in body], body
        assert_accessible(tab, "family no-access page")
        tab.assert_no_problems("family pages without access")

    in_browser(scenario)
