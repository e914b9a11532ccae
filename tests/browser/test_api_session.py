"""The JSON API from a logged-in browser page: `fetch` with the page's session reads the case, a
write carries the CSRF token the page holds for htmx (`hx-headers` on <body>), and the same write
without it is refused as a problem document. From a page of another origin nothing works: the
browser sends no cookie to it and no token is readable there."""

import datetime as dt

import pytest

from laget.accounts.actor import Actor
from laget.accounts.models import Membership
from laget.cases.models import Concern
from laget.cases.services import case_open
from laget.core import clock
from laget.people.tests.factories import PersonFactory
from tests.browser.tab import Tab, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FETCH = """async ([url, method, body, withToken]) => {
    const headers = {"Content-Type": "application/json", "Idempotency-Key": "browser-1"};
    if (withToken) {
        const held = JSON.parse(document.body.getAttribute("hx-headers"));
        headers["X-CSRFToken"] = held["X-CSRFToken"];
    }
    const response = await fetch(url, {method, headers, credentials: "same-origin",
                                       body: body ? JSON.stringify(body) : undefined});
    return {status: response.status, type: response.headers.get("Content-Type"),
            body: await response.json()};
}"""


def test_the_page_calls_the_api_with_its_session(in_browser, member_with_device, rulebook):
    coordinator, device = member_with_device("coordinator")
    today = clock.today()
    person = PersonFactory(district_id="030111",
                           birth_date=today.replace(year=today.year - 14) - dt.timedelta(days=40))
    case = case_open(actor=Actor(coordinator, Membership.objects.get(user=coordinator)),
                     person=person)
    concern = {"district": "030111", "given_name": "Sara", "family_name": "Syntetisk",
               "birth_date": (today.replace(year=today.year - 13)).isoformat(),
               "text": "Bekymring sendt fra nettleseren."}
    outcomes = {}

    def scenario(tab: Tab) -> None:
        log_in(tab, coordinator, device)
        evaluate = tab.page.evaluate
        outcomes["read"] = evaluate(FETCH, [f"/api/v1/cases/{case.pk}", "GET", None, False])
        outcomes["no_token"] = evaluate(FETCH, ["/api/v1/concerns", "POST", concern, False])
        outcomes["token"] = evaluate(FETCH, ["/api/v1/concerns", "POST", concern, True])
        tab.page.goto("about:blank")  # another origin: no cookie, no token; writes nothing
        evaluate(
            """async (url) => { try { await fetch(url, {method: "POST", credentials: "include",
                 mode: "no-cors"}); return "sent"; } catch (e) { return "blocked"; } }""",
            tab.url("/api/v1/concerns"))

    in_browser(scenario)
    assert outcomes["read"]["status"] == 200
    assert outcomes["read"]["body"]["id"] == str(case.pk)
    assert outcomes["no_token"]["status"] == 403
    assert outcomes["no_token"]["type"] == "application/problem+json"
    assert "CSRF" in outcomes["no_token"]["body"]["detail"]
    assert outcomes["token"]["status"] == 202, outcomes["token"]
    # one concern: the call from the other origin wrote nothing
    assert Concern.objects.get().text == "Bekymring sendt fra nettleseren."
