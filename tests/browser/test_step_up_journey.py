"""The step-up journey on a phone (390 px, issue 15), in Chromium through the development
identity provider: a bank login asks to act for a company, is told why and with which methods
(axe: no violations; nothing wider than the screen), logs in with eParaksts and lands acting
for the company, the header saying so with one tap back — in Latvian, English and Russian."""

from __future__ import annotations

import pytest
from playwright.async_api import Page

from tests.browser.conftest import LANGUAGES, axe_violations, set_language
from tests.idp_driver import RunningIdP
from tests.sandbox_driver import Sandbox

PHONE = {"width": 390, "height": 844}

# What each step says, per language (the catalogs' words for the same msgids).
SAYS = {
    "lv": {
        "mail": "Oficiālās e-adreses pasts",
        "heading": "Nepieciešama drošāka pieslēgšanās",
        "eid": "eID karte",
        "then": "Pēc pieslēgšanās jūs rīkosieties Ozols Tech SIA vārdā",
        "login": "Pieslēgties ar eParakstu vai eID karti",
        "acting": "Rīkojaties Ozols Tech SIA vārdā",
        "back": "Rīkoties savā vārdā",
    },
    "en": {
        "mail": "Official e-address mail",
        "heading": "A stronger login is needed",
        "eid": "eID card",
        "then": "After the login, you will act for Ozols Tech SIA",
        "login": "Log in with eParaksts or an eID card",
        "acting": "Acting for Ozols Tech SIA",
        "back": "Act for yourself",
    },
    "ru": {
        "mail": "Почта официального электронного адреса",
        "heading": "Нужен более надёжный вход",
        "eid": "eID-карта",
        "then": "После входа вы будете действовать от имени Ozols Tech SIA",
        "login": "Войти с помощью eParaksts или eID-карты",
        "acting": "Вы действуете от имени Ozols Tech SIA",
        "back": "Действовать от своего имени",
    },
}


async def fits(page: Page) -> bool:
    return bool(await page.evaluate("() => document.documentElement.scrollWidth <= 390"))


async def pick(page: Page, idp: RunningIdP, method: str) -> None:
    """The provider's picker (not our product): Mārtiņš, with `method`."""
    await page.wait_for_url(f"{idp.url}/**")
    await page.check("#persona-martins")
    await page.check(f"#method-{method}")
    await page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("language", LANGUAGES)
async def test_step_up_to_act_for_a_company_on_a_phone(
    page: Page, base_url: str, idp: RunningIdP, registry_sandbox: Sandbox, language: str
) -> None:
    says = SAYS[language]
    await set_language(page.context, base_url, language)
    await page.set_viewport_size(PHONE)
    await page.goto(base_url + "/auth/login?next=/account")
    await pick(page, idp, "bank")
    await page.wait_for_url(base_url + "/account")

    # Behind the bank login the home still starts with the official mail panel.
    await page.goto(base_url + "/")
    panel = page.locator("main section").first
    assert await panel.get_attribute("class") == "panel mail-summary"
    assert says["mail"] in await panel.inner_text()
    assert await axe_violations(page) == []
    assert await fits(page)
    await page.goto(base_url + "/account")

    await page.locator("main form button", has_text="Ozols Tech SIA").click()
    await page.wait_for_url(f"{base_url}/auth/step-up?**")
    main = page.locator("main")
    assert await page.locator("h1").inner_text() == says["heading"]
    text = await main.inner_text()
    assert "eParaksts mobile" in text
    assert says["eid"] in text
    assert says["then"] in text
    assert await axe_violations(page) == []
    assert await fits(page)

    await main.get_by_role("link", name=says["login"]).click()
    await pick(page, idp, "eparaksts")
    await page.wait_for_url(base_url + "/")  # the switch was finished on the way
    assert "Ozols Tech SIA" in await page.locator("main .lead").inner_text()

    strip = page.locator("header .acting-as")
    assert says["acting"] in await strip.inner_text()
    assert await axe_violations(page) == []
    assert await fits(page)

    await strip.get_by_role("button", name=says["back"]).click()
    await page.wait_for_url(base_url + "/")
    await page.locator("h1").wait_for()
    assert await page.locator("header .acting-as").count() == 0
