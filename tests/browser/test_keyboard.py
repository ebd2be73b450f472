"""The shell with the keyboard alone: skip link first, a visible focus ring, a sensible order."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page

from tests.browser.conftest import SignIn, log_out
from tests.sandbox_driver import Sandbox

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(), id: el.id, text: el.innerText.trim(),
        href: el.getAttribute('href'),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        visible: box.width > 0 && box.height > 0 && box.top >= 0 && box.top < innerHeight,
    };
}"""


async def tab(page: Page) -> dict[str, Any]:
    await page.keyboard.press("Tab")
    focused: dict[str, Any] = await page.evaluate(FOCUSED)
    return focused


async def test_skip_link_then_header_then_main_then_footer(page: Page, base_url: str) -> None:
    await page.goto(base_url + "/")
    skip = await tab(page)
    assert skip["href"] == "#main"
    assert skip["text"] == "Pāriet uz galveno saturu"
    assert skip["visible"], "the skip link must show when focused"
    assert skip["outline"]

    # Five more: the install offer's button may or may not be among them (Chromium decides when
    # to offer installation), so the first four others are checked.
    order = [await tab(page) for _ in range(5)]
    texts = [item["text"] for item in order if item["text"] != "Instalēt lietotni"]
    # The visitors' home puts its search box first in the main content.
    assert texts[:2] == ["Vienuviet", "Pieslēgties"]
    assert [order[2]["id"], texts[3]] == ["home-q", "Meklēt"]
    unseen = [item for item in order if not (item["outline"] and item["visible"])]
    assert not unseen, "every focused element shows a focus ring"

    await page.goto(base_url + "/")
    await tab(page)
    await page.keyboard.press("Enter")  # follow the skip link
    assert (await page.evaluate(FOCUSED))["id"] == "main"
    after_skip = await tab(page)
    assert after_skip["tag"] == "input"
    assert after_skip["id"] == "home-q"


async def test_logging_out_with_the_keyboard(page: Page, base_url: str, sign_in: SignIn) -> None:
    await sign_in()
    await page.goto(base_url + "/")
    focused: dict[str, Any] = {}
    for _ in range(10):
        focused = await tab(page)
        if focused["text"] == "Iziet":
            break
    assert focused["tag"] == "button"
    await log_out(page, base_url, lambda: page.keyboard.press("Enter"))
    assert "Pieslēgties" in await page.locator("header").inner_text()


async def test_site_navigation_and_a_consent_form_with_the_keyboard(
    page: Page, base_url: str, sign_in: SignIn, registry_sandbox: Sandbox
) -> None:
    await sign_in(persona_slug="ilze")
    await page.goto(base_url + "/")
    focused: dict[str, Any] = {}
    for _ in range(15):  # skip link, brand, logout, then the site navigation
        focused = await tab(page)
        if focused["text"] == "Privātums":
            break
    assert focused["href"] == "/privacy"
    assert focused["outline"]
    await page.keyboard.press("Enter")
    await page.wait_for_url(base_url + "/privacy")
    assert await page.get_attribute("nav.site-nav a[href='/privacy']", "aria-current") == "page"
    for _ in range(30):
        focused = await tab(page)
        if focused["text"].startswith("Atsaukt piekrišanu"):
            break
    assert focused["tag"] == "button"
    async with page.expect_navigation():
        await page.keyboard.press("Enter")  # withdraw the first source's consent
    assert "Piekrišana atsaukta" in await page.locator("[role=status]").inner_text()
    allow = page.get_by_role("button", name="Atļaut atkal").first
    await allow.focus()
    async with page.expect_navigation():
        await page.keyboard.press("Enter")  # and give it back, with the keyboard too
    assert "atkal drīkst" in await page.locator("[role=status]").inner_text()


async def test_the_obligations_filter_folds_and_opens_with_the_keyboard(
    page: Page, base_url: str, sign_in: SignIn, registry_sandbox: Sandbox
) -> None:
    await sign_in(persona_slug="martins")
    await page.set_viewport_size({"width": 390, "height": 800})
    await page.goto(base_url + "/obligations")
    summary = page.locator("details.filter-panel > summary")
    date_from = page.locator("#ob-from")
    assert await date_from.is_hidden()  # folded: the list comes first on a phone
    assert "Mārtiņš Ozols" in await summary.inner_text()  # it says what is shown now
    await summary.focus()
    assert (await page.evaluate(FOCUSED))["outline"]
    await page.keyboard.press("Enter")
    assert await date_from.is_visible()
    await page.keyboard.press("Tab")
    assert (await page.evaluate(FOCUSED))["tag"] in ("select", "input")
