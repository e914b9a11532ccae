"""Every role's start page after a real login: styled by Punkt, free of browser errors, and every
link card on it leads to a page that works."""

import pytest
from playwright.sync_api import expect

from tests.browser.tab import Tab, assert_accessible, assert_punkt_styled, log_in
from tests.browser.users import ROLE_AGENCIES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", list(ROLE_AGENCIES))
def test_start_page_and_its_link_cards_work(in_browser, role_member, role):
    user, device = role_member(role)

    def scenario(tab: Tab) -> None:
        page = tab.page
        log_in(tab, user, device)
        response = tab.goto("/")
        assert response.status == 200, f"start page answered {response.status}"
        expect(page.get_by_test_id("current-user")).to_contain_text(user.get_full_name())
        expect(page.get_by_test_id("role-intro")).to_be_visible()
        assert_punkt_styled(page)
        tab.assert_no_problems(f"{role}'s start page")
        assert_accessible(tab, f"{role}'s start page")
        tab.assert_no_problems(f"{role}'s start page after the axe-core scan")

        cards = page.get_by_test_id("start-action")
        hrefs = [cards.nth(i).get_attribute("href") for i in range(cards.count())]
        assert hrefs, f"no link cards on the {role}'s start page"
        for href in hrefs:
            tab.goto("/")
            tab.take_problems()
            with page.expect_navigation() as navigation:
                page.locator(f'[data-testid="start-action"][href="{href}"]').click()
            response = navigation.value
            assert response is not None and response.status < 400, (
                f"{role}: link card {href} answered {response and response.status}"
            )
            assert tab.path().startswith(href), f"{role}: card {href} ended on {tab.path()}"
            if not href.startswith("/admin/"):  # the admin site has its own styles
                assert_punkt_styled(page)
            tab.assert_no_problems(f"{role}: page behind the link card {href}")

    in_browser(scenario)
