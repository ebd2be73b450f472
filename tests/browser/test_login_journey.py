"""A whole journey through the real login: the development identity provider's picker, the
callback, the home page, keeping deadlines on the device, and logging out with the keyboard."""

from __future__ import annotations

from datetime import date

from playwright.async_api import Page

from backend.lib.offline import OfflineDeadline
from tests.browser.conftest import ProvideDeadlines
from tests.browser.test_keyboard import tab
from tests.idp_driver import RunningIdP


async def tab_to(page: Page, name: str, limit: int = 20) -> dict[str, object]:
    """Press Tab until the element with this text (or id) has the focus."""
    for _ in range(limit):
        focused = await tab(page)
        if name in (focused["text"], focused["id"]):
            return focused
    raise AssertionError(f"{name!r} is not reachable with Tab")


async def test_log_in_keep_deadlines_and_log_out_with_the_keyboard(
    page: Page, base_url: str, idp: RunningIdP, deadlines: ProvideDeadlines
) -> None:
    deadlines([OfflineDeadline("Ienākumu deklarācija", date(2027, 6, 1), "Anna Bērziņa", "/")])
    await page.goto(base_url + "/")
    await tab_to(page, "Pieslēgties")
    await page.keyboard.press("Enter")
    await page.wait_for_url(f"{idp.url}/**")

    # The identity provider's picker (not our product): choose the persona and method there.
    await page.check("#persona-anna")
    await page.check("#method-eparaksts")
    async with page.expect_navigation(url=base_url + "/"):
        await page.get_by_role("button", name="Log in").click()

    assert await page.locator("h1").inner_text() == "Sveiki, Anna!"
    assert "Anna Bērziņa" in await page.locator("header").inner_text()

    # The dashboard's links and forms come first: the device panel is last in main.
    box = await tab_to(page, "keep-deadlines", limit=80)
    assert box["tag"] == "input"
    await page.keyboard.press("Space")
    await page.locator("[data-module=offline-snapshot][data-state=saved]").wait_for()

    for _ in range(80):  # back up past the dashboard to the header's logout button
        await page.keyboard.press("Shift+Tab")
        if await page.evaluate("() => document.activeElement.innerText") == "Iziet":
            break
    else:
        raise AssertionError("the logout button is not reachable with Shift+Tab")
    async with page.expect_navigation(url=base_url + "/"):
        await page.keyboard.press("Enter")
    assert "Pieslēgties" in await page.locator("header").inner_text()
    names = await page.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)")
    assert "vienuviet-offline" not in names
