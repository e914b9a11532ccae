"""What a browser scenario works with: a page that records its problems, and the checks the tests
share (login through the real forms, the Punkt stylesheet, axe-core). Runs in the browser thread:
nothing here may touch the ORM."""

import functools
import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Response, expect

from laget.accounts.services import totp_current_token
from laget.accounts.tests.factories import TEST_PASSWORD

SHOTS_DIR = Path("/tmp/laget-shots")
AXE_JS = Path(__file__).resolve().parents[2] / "laget/web/static/vendor/axe/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PUNKT_CSS = "vendor/punkt/css/pkt.min.css"


class Tab:
    """A page of a fresh browser context, with everything that went wrong on it so far:
    console errors, uncaught exceptions, failed requests and sub-resources answered >= 400."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.problems: list[str] = []
        page.on("console", self._on_console)
        page.on(
            "pageerror",
            lambda error: self.problems.append(f"uncaught exception on {page.url}: {error}"),
        )
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            where = location.get("url") or self.page.url
            self.problems.append(f"console error on {where}: {message.text}")

    def _on_request_failed(self, request: Any) -> None:
        failure = request.failure or ""
        # A navigation that replaces the page aborts what the old page still loaded.
        if "ERR_ABORTED" not in failure:
            self.problems.append(f"request failed: {request.method} {request.url}: {failure}")

    def _on_response(self, response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(
                f"{response.request.resource_type} {response.url} answered {response.status}"
            )

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> Response:
        response = self.page.goto(self.url(path))
        assert response is not None, f"no response for {path}"
        return response

    def take_problems(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems

    def assert_no_problems(self, where: str) -> None:
        problems = self.take_problems()
        assert not problems, f"{where}: " + "\n  ".join(["problems in the browser:", *problems])

    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url)


def password_step(tab: Tab, username: str, password: str = TEST_PASSWORD) -> None:
    page = tab.page
    tab.goto("/konto/logg-inn/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord", exact=True).fill(password)
    page.get_by_role("button", name="Neste").click()


def code_step(tab: Tab, code: str) -> None:
    tab.page.get_by_label("Engangskode").fill(code)
    tab.page.get_by_role("button", name="Logg inn").click()


def log_in(tab: Tab, user: Any, device: Any) -> None:
    """Both steps of the login through the forms; ends on the start page."""
    password_step(tab, user.username)
    expect(tab.page).to_have_url(tab.url("/konto/logg-inn/kode/"))
    code_step(tab, totp_current_token(device=device))
    expect(tab.page).to_have_url(tab.url("/"))


def log_out(tab: Tab) -> None:
    """Log out with the header's button (a POST form)."""
    tab.page.get_by_role("button", name="Logg ut").click()
    expect(tab.page.get_by_label("Brukernavn")).to_be_visible()


def wrong_code(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def punkt_stylesheet_rules(page: Page) -> int:
    """Rules in the loaded Punkt stylesheet: -1 if the page has no such sheet, -2 if its rules
    cannot be read."""
    return int(
        page.evaluate(
            """(suffix) => {
            const sheet = [...document.styleSheets].find(s => s.href && s.href.endsWith(suffix));
            if (!sheet) return -1;
            try { return sheet.cssRules.length; } catch (e) { return -2; }
        }""",
            PUNKT_CSS,
        )
    )


def assert_punkt_styled(page: Page) -> None:
    rules = punkt_stylesheet_rules(page)
    assert rules > 100, f"Punkt stylesheet not loaded on {page.url} (rules: {rules})"
    # And it applies: a Punkt button does not look like the browser's default button.
    styled = page.evaluate(
        """() => {
            const button = document.querySelector('.pkt-btn');
            if (!button) return null;
            const plain = document.createElement('button');
            document.body.appendChild(plain);
            const a = getComputedStyle(button), b = getComputedStyle(plain);
            const differs = a.fontFamily !== b.fontFamily || a.borderTopWidth !== b.borderTopWidth
                || a.backgroundColor !== b.backgroundColor;
            plain.remove();
            return differs;
        }"""
    )
    assert styled is not False, f"a .pkt-btn on {page.url} has the browser's default style"


def axe_violations(tab: Tab) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the current page; serious and critical
    violations only. The source is evaluated through the DevTools protocol, which the page's
    Content-Security-Policy does not govern (a <script> tag would need bypass_csp)."""
    page = tab.page
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def format_violations(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} serious/critical violation(s) on {where}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(tab: Tab, where: str) -> None:
    violations = axe_violations(tab)
    assert not violations, format_violations(f"{where} ({tab.path()})", violations)


def heading(page: Page) -> str:
    return re.sub(r"\s+", " ", page.locator("h1").first.inner_text()).strip()
