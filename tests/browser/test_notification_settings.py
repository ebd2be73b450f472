"""Changing a notification preference in Chromium: the settings page's own form, no script
needed; the choice is stored for the subject, and the page reflows at 320 CSS px."""

from __future__ import annotations

from playwright.async_api import Page

from backend.notifications.preferences.choices import preferences_matrix
from tests.browser.conftest import SignIn


async def test_change_a_preference(page: Page, base_url: str, sign_in: SignIn) -> None:
    person = await sign_in()
    assert (await preferences_matrix(person.id, person.subject_key))["obligations"]["email"]
    await page.set_viewport_size({"width": 320, "height": 800})
    await page.goto(base_url + "/settings/notifications")
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0  # the matrix scrolls inside its own box, the page does not
    locked = page.locator("#pref-EADDRESS-INAPP")
    assert await locked.is_checked()
    assert await locked.is_disabled()
    box = page.locator("#pref-OBLIGATIONS-EMAIL")
    await box.uncheck()
    await page.locator("form[action='/settings/notifications/preferences'] button").click()
    await page.wait_for_url("**/settings/notifications?notice=preferences_saved*")
    await page.locator(".notice[role=status]").wait_for()
    assert not await page.locator("#pref-OBLIGATIONS-EMAIL").is_checked()
    matrix = await preferences_matrix(person.id, person.subject_key)
    assert not matrix["obligations"]["email"]
    assert matrix["eaddress"]["inapp"]
