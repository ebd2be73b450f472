"""Switching language from the footer, remembered across pages and visits."""

from __future__ import annotations

from playwright.async_api import Page


async def test_language_switch_is_remembered(page: Page, base_url: str) -> None:
    await page.goto(base_url + "/no-such-page")
    assert await page.get_attribute("html", "lang") == "lv"
    assert await page.locator("h1").inner_text() == "Lapa nav atrasta"

    language_nav = page.get_by_role("navigation", name="Valoda")
    await language_nav.get_by_role("link", name="English").click()
    await page.wait_for_url(base_url + "/no-such-page")  # back where the person was
    assert await page.get_attribute("html", "lang") == "en"
    assert await page.locator("h1").inner_text() == "Page not found"

    await page.goto(base_url + "/")  # another page, same choice
    assert await page.get_attribute("html", "lang") == "en"
    current = page.get_by_role("navigation", name="Language").locator("[aria-current]")
    assert await current.inner_text() == "English"

    await (
        page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    )
    await page.wait_for_url(base_url + "/")
    assert await page.get_attribute("html", "lang") == "ru"
    assert await page.get_by_role("link", name="Войти").first.is_visible()
    cookies = {c["name"]: c for c in await page.context.cookies(base_url)}
    assert cookies["lang"]["value"] == "ru"
    assert cookies["lang"]["expires"] > 0  # kept across browser restarts, not a session cookie
