"""The catalogue's public pages in Chromium on a 390 px phone: no axe violations at all in any
language, nothing wider than the screen, and search, help and the widget with the keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import BrowserContext, Page

from backend.catalogue.files import load_content
from tests.browser.conftest import SignIn, axe_violations, set_language
from tests.browser.test_keyboard import FOCUSED, tab
from tests.sandbox_driver import Sandbox

CONTENT = load_content()
PHONE = {"width": 390, "height": 844}
LANGUAGES = ("lv", "en", "ru")
PAGES = {
    "home": "/",
    "services": "/services?audience=residents",
    "service": f"/services/{CONTENT.services['declare-residence'].slug}",
    "situations": "/life-situations",
    "situation": f"/life-situations/{CONTENT.life_situations['child-birth'].slug}?event=2026-11-06",
    "institution": f"/institutions/{CONTENT.institutions['pmlp'].slug}",
    "centres": "/service-centres",
    "search": "/search?q=gimenes+arsts",
    "help": "/help-me-find-it?who=me",
    "help-answer": "/help-me-find-it?who=me&what=child-birth&when=happened",
    "embed-service": f"/embed/services/{CONTENT.services['passport'].slug}",
    "embed-situation": f"/embed/life-situations/{CONTENT.life_situations['turning-18'].slug}",
}
WIDTH = "() => document.documentElement.scrollWidth"


def described(violations: list[dict[str, Any]]) -> list[str]:
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in violations]


async def next_question(page: Page) -> None:
    """Tab from the chosen answer to the form's button and press it."""
    focused = await tab(page)
    assert focused["tag"] == "button", focused
    assert focused["outline"], "the focused button shows a focus ring"
    async with page.expect_navigation():
        await page.keyboard.press("Enter")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
async def test_no_violations_on_a_phone(
    page: Page, browser_context: BrowserContext, base_url: str, name: str, language: str
) -> None:
    await set_language(browser_context, base_url, language)
    await page.set_viewport_size(PHONE)
    path = PAGES[name]
    if name.startswith("embed"):
        path += f"?lang={language}"  # the host page names its language
    await page.goto(base_url + path)
    assert await page.get_attribute("html", "lang") == language
    assert described(await axe_violations(page)) == []
    assert await page.evaluate(WIDTH) <= PHONE["width"], "the page scrolls sideways"


async def test_laura_sees_her_progress_accessibly(
    page: Page, base_url: str, sign_in: SignIn, registry_sandbox: Sandbox
) -> None:
    await sign_in(persona_slug="laura")
    await page.set_viewport_size(PHONE)
    slug = CONTENT.life_situations["child-birth"].slug
    await page.goto(f"{base_url}/life-situations/{slug}")
    assert "Jūsu virzība" in await page.locator("#progress-heading").inner_text()
    assert await page.locator(".tag--done").count() >= 1
    assert described(await axe_violations(page)) == []
    assert await page.evaluate(WIDTH) <= PHONE["width"]


async def test_searching_from_the_home_page_with_the_keyboard(page: Page, base_url: str) -> None:
    await page.set_viewport_size(PHONE)
    await page.goto(base_url + "/")
    await tab(page)
    await page.keyboard.press("Enter")  # the skip link
    focused = await tab(page)
    assert focused["tag"] == "input"
    assert focused["id"] == "home-q"  # search comes first
    assert focused["outline"], "the search box shows a focus ring"
    await page.keyboard.type("gimenes arsts")  # no diacritics, as people type on a phone
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert "/search?q=gimenes+arsts" in page.url
    first = page.locator(".search-results a").first
    assert await page.locator(".search-results mark").count() >= 1
    await first.focus()
    href = await first.get_attribute("href")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert page.url.endswith(href or "?")


async def test_help_me_find_it_with_the_keyboard(page: Page, base_url: str) -> None:
    await page.set_viewport_size(PHONE)
    await page.goto(base_url + "/help-me-find-it")
    await page.locator("#who-me").focus()
    await page.keyboard.press("ArrowDown")  # "someone in my family"
    assert (await page.evaluate(FOCUSED))["id"] == "who-family"
    await next_question(page)
    assert "who=family" in page.url
    await page.locator("#what-child-birth").focus()
    for _ in range(10):
        await page.keyboard.press("ArrowDown")
        if (await page.evaluate(FOCUSED))["id"] == "what-death-of-relative":
            break
    await next_question(page)
    assert "what=death-of-relative" in page.url
    await page.locator("#when-happened").focus()  # chosen already
    await next_question(page)
    slug = CONTENT.life_situations["death-of-relative"].slug
    link = page.locator(f"a[href='/life-situations/{slug}']")
    await link.focus()
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert page.url.endswith(f"/life-situations/{slug}")
