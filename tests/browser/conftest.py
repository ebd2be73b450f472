"""Browser tests: Playwright for Python driving Debian's Chromium against the app on loopback.

One browser for the whole session, on a persistent profile (installability, push and
notifications are unavailable in incognito-like contexts), and a fresh page per test. After
each test the origin's cookies, storage, caches and service worker are cleared, so tests do not
see each other's state.

Logging in: `sign_in` creates a real person and a real server-side session and hands the
browser its cookie: the fast path for tests about a page. test_login_journey.py goes through
the development identity provider itself (the `idp` fixture, which the settings point at).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from playwright.async_api import BrowserContext, Page, async_playwright

from backend.auth.assurance import Level
from backend.auth.oidc import Identity
from backend.auth.people import PersonRecord, upsert_from_identity
from backend.auth.viewer import Viewer
from backend.lib.offline import OfflineDeadline
from backend.services import Services
from integrations.devstack.personas import persona

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ("lv", "en", "ru")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
async def browser_context(
    tmp_path_factory: pytest.TempPathFactory, base_url: str
) -> AsyncIterator[BrowserContext]:
    if not CHROMIUM.exists():  # noqa: ASYNC240 - one stat before the session starts
        pytest.fail(
            "Debian's Chromium is missing: `make test` installs it (scripts/ensure-test-deps)"
        )
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"),
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            viewport={"width": 1280, "height": 800},
            locale="lv-LV",  # Accept-Language: lv, as most of our visitors' browsers send
        )
        await context.grant_permissions(["notifications"], origin=base_url)
        try:
            yield context
        finally:
            await context.close()


async def forget_origin(context: BrowserContext, base_url: str) -> None:
    """Cookies, storage, Cache Storage, IndexedDB and the service worker of the app's origin."""
    await context.clear_cookies()
    await context.set_offline(False)
    blank = await context.new_page()
    try:
        cdp = await context.new_cdp_session(blank)
        await cdp.send("Storage.clearDataForOrigin", {"origin": base_url, "storageTypes": "all"})
    finally:
        await blank.close()


@pytest.fixture
async def page(browser_context: BrowserContext, base_url: str) -> AsyncIterator[Page]:
    page = await browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        await page.close()
        await forget_origin(browser_context, base_url)
    assert not errors, f"uncaught script errors: {errors}"


async def set_language(context: BrowserContext, base_url: str, language: str) -> None:
    await context.add_cookies([{"name": "lang", "value": language, "url": base_url}])


SignIn = Callable[..., Awaitable[PersonRecord]]


@pytest.fixture
def sign_in(browser_context: BrowserContext, services: Services, base_url: str) -> SignIn:
    """Log the browser in as a new person (a real person row and server-side session)."""

    async def sign_in(
        given_name: str = "Anna", family_name: str = "Bērziņa", *, persona_slug: str | None = None
    ) -> PersonRecord:
        """A non-resident (foreign eID, no registry data), or with `persona_slug` a sandbox persona
        (the test then needs the `registry_sandbox` fixture)."""
        who = persona(persona_slug) if persona_slug else None
        identity = Identity(
            issuer=services.settings.oidc.issuer,
            sub=uuid.uuid4().hex,
            personal_code=who.personal_code if who else None,
            eidas_id=None if who else f"EE/LV/{uuid.uuid4().hex[:16]}",
            given_name=who.given_name if who else given_name,
            family_name=who.family_name if who else family_name,
            level=Level.SUBSTANTIAL,
            locale="lv",
            id_token="",
        )
        person = await upsert_from_identity(identity, services.engine)
        epoch = await services.auth.sessions.current_epoch(str(person.id))
        session_id, _ = await services.auth.sessions.create(
            str(person.id), epoch, int(Level.SUBSTANTIAL), None
        )
        await browser_context.add_cookies(
            [{"name": services.auth.cookies.session, "value": session_id, "url": base_url}]
        )
        return person

    return sign_in


ProvideDeadlines = Callable[[Sequence[OfflineDeadline]], None]


@pytest.fixture
def deadlines(app: Litestar) -> Iterator[ProvideDeadlines]:
    """Plug a deadline source into the app, as the obligations feature will."""
    previous = app.state.get("offline_deadlines")

    def provide(items: Sequence[OfflineDeadline]) -> None:
        async def source(viewer: Viewer) -> Sequence[OfflineDeadline]:
            return items

        app.state["offline_deadlines"] = source

    yield provide
    if previous is None:
        app.state.pop("offline_deadlines", None)
    else:
        app.state["offline_deadlines"] = previous


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the current page (evaluated through the DevTools protocol, which
    the page's CSP does not apply to)."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it (npm ci in tests/browser/node)")
    if not await page.evaluate("typeof window.axe === 'object'"):
        await page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = await page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
    )
    return list(result["violations"])


async def log_out(page: Page, base_url: str, press: Callable[[], Awaitable[None]]) -> None:
    """Submit the logout form with `press` and come back to the home page.

    Once the development identity provider runs (the session-wide `idp` fixture), logout goes on
    to its end-session page, which asks before ending a session it did not see begin (sessions
    made by `sign_in` have no ID token); the app's own part is done at its 303.
    """
    async with (
        page.expect_navigation(url=lambda url: not url.endswith("/auth/logout")),
        page.expect_response(
            lambda response: response.url == f"{base_url}/auth/logout" and response.status == 303
        ),
    ):
        await press()
    await page.goto(base_url + "/")


async def controlled_by_service_worker(page: Page) -> None:
    """Wait until the service worker has installed, activated and taken the page."""
    await page.wait_for_function(
        "() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)"
    )
