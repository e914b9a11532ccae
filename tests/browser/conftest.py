"""Fixtures for the browser tests: one Chromium per test session, a fresh context per test.

Playwright's sync API keeps an asyncio event loop marked as running in the thread that uses it,
between calls too, and Django refuses ORM access in such a thread (SynchronousOnlyOperation) —
including pytest-django's own flush after a transactional test. So Playwright lives in a thread of
its own (`BrowserThread`): tests set up their data with the ORM in the main thread as usual, then
hand a *scenario* (a function taking a `Tab`) to `in_browser`, which runs it in the browser thread.
Scenarios must not touch the ORM; they talk to the app only through the browser.
"""

import contextlib
import datetime as dt
import functools
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import pytest

pytest.register_assert_rewrite("tests.browser.tab")

from tests.browser.tab import SHOTS_DIR, Tab  # noqa: E402
from tests.browser.users import ROLE_AGENCIES, TOTP_KEY  # noqa: E402

CHROMIUM = os.environ.get("LAGET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Longest a whole scenario may take before the test fails instead of hanging.
SCENARIO_TIMEOUT = 120

T = TypeVar("T")


class BrowserThread:
    """Playwright and one Chromium, driven from a single dedicated thread."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        self._playwright: Any = None
        self.browser: Any = None
        self.call(self._start)

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )

    def _stop(self) -> None:
        try:
            if self.browser is not None:
                self.browser.close()
        finally:
            if self._playwright is not None:
                self._playwright.stop()

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return self._executor.submit(fn, *args, **kwargs).result(timeout=SCENARIO_TIMEOUT)

    def close(self) -> None:
        try:
            self.call(self._stop)
        finally:
            self._executor.shutdown(wait=True)


@pytest.fixture(scope="session")
def browser_thread() -> Iterator[BrowserThread]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    thread = BrowserThread()
    yield thread
    thread.close()


@pytest.fixture
def in_browser(
    browser_thread: BrowserThread, live_server: Any, request: pytest.FixtureRequest
) -> Callable[..., Any]:
    """in_browser(scenario) -> scenario's result.

    Runs `scenario(tab)` in the browser thread, in a new browser context against the live server.
    The app's Content-Security-Policy stays in force, so a violation shows up as a console error
    (axe-core gets in without a <script> tag, see tab.axe_violations). On failure a full-page
    screenshot goes to /tmp/laget-shots/failure-<test>.png.
    """

    def run(scenario: Callable[[Tab], T]) -> T:
        def body() -> T:
            context = browser_thread.browser.new_context(
                base_url=live_server.url,
                locale="nb-NO",
                viewport={"width": 1280, "height": 900},
            )
            context.set_default_timeout(10_000)
            tab = Tab(context.new_page(), live_server.url)
            try:
                return scenario(tab)
            except BaseException:
                SHOTS_DIR.mkdir(parents=True, exist_ok=True)
                name = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
                # A failed screenshot must not hide the original failure.
                with contextlib.suppress(Exception):
                    tab.page.screenshot(path=str(SHOTS_DIR / f"failure-{name}.png"), full_page=True)
                raise
            finally:
                context.close()

        return browser_thread.call(body)

    return run


# --- data --------------------------------------------------------------------------------------


@functools.cache
def _area_reference_data() -> Any:
    """The area files, read once, with single-age population only for the years the district
    list shows (writing all 20 years per test would cost seconds)."""
    from laget.areas.importer import default_data_dir, read_area_data
    from laget.core import clock

    data = read_area_data(data_dir=default_data_dir())
    latest = max(key[1] for key in data.population_by_age)
    years = {latest, clock.today().year, (clock.today() - dt.timedelta(days=366)).year}
    return replace(
        data,
        population_by_age={k: v for k, v in data.population_by_age.items() if k[1] in years},
    )


@pytest.fixture(autouse=True)
def area_reference_data(transactional_db: None) -> None:
    """Districts (and their population) as the data migration loads them.

    Live-server tests are transactional: pytest-django empties every table after each one, so
    the migration's reference data is gone for the next test. `serialized_rollback` would bring
    it back, but re-reading ~120 000 population rows per test takes far longer than writing the
    part these tests need.
    """
    from laget.areas.importer import write_area_data
    from laget.areas.models import District

    if not District.objects.exists():
        write_area_data(data=_area_reference_data())


@pytest.fixture
def member_with_device(make_member: Callable[..., Any]) -> Callable[..., Any]:
    """member_with_device(role, agency_type='bydel', district='030111', **user fields)
    -> (user, confirmed TOTP device)."""
    from laget.accounts.services import totp_device_set

    def make(
        role: str, agency_type: str = "bydel", district: str | None = "030111", **kwargs: Any
    ) -> tuple[Any, Any]:
        user = make_member(role, agency_type=agency_type, district=district, **kwargs)
        return user, totp_device_set(user=user, key_hex=TOTP_KEY)

    return make


@pytest.fixture
def role_member(member_with_device: Callable[..., Any]) -> Callable[[str], tuple[Any, Any]]:
    """role_member(role) -> (user, device) in the agency ROLE_AGENCIES gives that role; the
    administrator is also staff (the admin site needs it)."""

    def make(role: str) -> tuple[Any, Any]:
        agency_type, district = ROLE_AGENCIES[role]
        extra = {"is_staff": True} if role == "admin" else {}
        return member_with_device(role, agency_type, district, **extra)

    return make
