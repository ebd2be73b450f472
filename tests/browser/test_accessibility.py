"""WCAG 2.1 AA of every page in every language: axe-core finds nothing serious or critical,
and the layout reflows at 320 CSS px (400 % zoom) and at 640 CSS px (200 % zoom)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.async_api import BrowserContext, Page

from backend.lib.offline import OfflineDeadline
from tests.browser.conftest import (
    LANGUAGES,
    ProvideDeadlines,
    SignIn,
    axe_violations,
    controlled_by_service_worker,
    set_language,
)
from tests.browser.mail_helpers import deliver
from tests.sandbox_driver import Sandbox

PAGES = {
    "home": "/",
    "offline": "/offline",
    "login-failed": "/auth/callback",  # no login in progress: "the login took too long"
    "not-found": "/no-such-page",
    "step-up": "/auth/step-up?level=substantial&next=/mail",
    "statistics": "/statistics",
    "problem-report": "/feedback/report?page=/services",
}


def serious(violations: list[dict[str, object]]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"  # type: ignore[attr-defined]
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
async def test_page_has_no_serious_violations(
    page: Page, browser_context: BrowserContext, base_url: str, name: str, language: str
) -> None:
    await set_language(browser_context, base_url, language)
    await page.goto(base_url + PAGES[name])
    assert await page.get_attribute("html", "lang") == language
    assert serious(await axe_violations(page)) == []


@pytest.mark.parametrize("language", LANGUAGES)
async def test_signed_in_home_has_no_serious_violations(
    page: Page, base_url: str, sign_in: SignIn, deadlines: ProvideDeadlines, language: str
) -> None:
    deadlines([OfflineDeadline("Nekustamā īpašuma nodoklis", date(2027, 3, 31), "Anna", "/x")])
    await set_language(page.context, base_url, language)
    await sign_in()
    await page.goto(base_url + "/")
    await page.locator("[data-module=offline-snapshot]").wait_for(state="visible")
    assert serious(await axe_violations(page)) == []


# Pages behind the login, added as features land (a non-resident's account: no registry).
SIGNED_IN_PAGES = {
    "account": "/account",
    "mail": "/mail",
    "notifications": "/notifications",
    "notification-settings": "/settings/notifications",
    "more": "/more",
    "survey": "/feedback/survey",
}
# Pages that show registry data, as a sandbox persona: (path, persona).
PERSONA_PAGES = {
    "dashboard": ("/", "anna"),
    # Two municipalities' real-estate tax notices, one with an unpaid instalment.
    "dashboard-debts": ("/", "martins"),
    "obligations": ("/obligations", "martins"),
    "privacy": ("/privacy", "anna"),
    "company": ("/company", "martins"),
    "applications": ("/applications", "laura"),
    "application-form": ("/applications/new/childbirth-benefit", "laura"),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PERSONA_PAGES)
async def test_persona_page_has_no_serious_violations(
    page: Page,
    base_url: str,
    sign_in: SignIn,
    registry_sandbox: Sandbox,
    name: str,
    language: str,
) -> None:
    path, who = PERSONA_PAGES[name]
    await set_language(page.context, base_url, language)
    await sign_in(persona_slug=who)
    await page.goto(base_url + path)
    assert await page.get_attribute("html", "lang") == language
    assert serious(await axe_violations(page)) == []
    if name == "company":  # and the workspace of a company, chosen with the page's own form
        await page.locator("form:has(input[value='company:40003123459']) button").click()
        await page.wait_for_url(base_url + "/company")
        await page.locator("#company-facts-heading").wait_for()
        assert serious(await axe_violations(page)) == []


@pytest.mark.parametrize("width", [320, 640])
@pytest.mark.parametrize("name", PERSONA_PAGES)
async def test_persona_pages_reflow(
    page: Page, base_url: str, sign_in: SignIn, registry_sandbox: Sandbox, name: str, width: int
) -> None:
    path, who = PERSONA_PAGES[name]
    await sign_in(persona_slug=who)
    await page.set_viewport_size({"width": width, "height": 800})
    await page.goto(base_url + path)
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
async def test_signed_in_page_has_no_serious_violations(
    page: Page, base_url: str, sign_in: SignIn, name: str, language: str
) -> None:
    await set_language(page.context, base_url, language)
    await sign_in()
    await page.goto(base_url + SIGNED_IN_PAGES[name])
    assert await page.get_attribute("html", "lang") == language
    assert serious(await axe_violations(page)) == []


@pytest.mark.parametrize("language", LANGUAGES)
async def test_mail_pages_with_a_message_have_no_serious_violations(
    page: Page, base_url: str, sign_in: SignIn, language: str
) -> None:
    await set_language(page.context, base_url, language)
    message_id = await deliver(base_url, await sign_in(), "Lēmums par pabalstu")
    for path in ("/mail", f"/mail/messages/{message_id}"):
        await page.goto(base_url + path)
        assert await page.get_attribute("html", "lang") == language
        assert serious(await axe_violations(page)) == [], path


async def test_offline_page_with_saved_deadlines_has_no_serious_violations(
    page: Page, base_url: str
) -> None:
    await page.goto(base_url + "/offline")
    await controlled_by_service_worker(page)
    assert serious(await axe_violations(page)) == []


@pytest.mark.parametrize("width", [320, 640])
@pytest.mark.parametrize("path", ["/", "/offline", "/auth/callback", "/no-such-page"])
async def test_content_reflows_without_horizontal_scrolling(
    page: Page, base_url: str, path: str, width: int
) -> None:
    await page.set_viewport_size({"width": width, "height": 800})
    await page.goto(base_url + path)
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


async def test_motion_is_reduced_when_asked(page: Page, base_url: str) -> None:
    transition = "() => getComputedStyle(document.querySelector('.button')).transitionDuration"
    await page.goto(base_url + "/")
    assert await page.evaluate(transition) != "0s"  # buttons do animate their colours
    await page.emulate_media(reduced_motion="reduce")
    assert set((await page.evaluate(transition)).split(", ")) == {"0s"}
