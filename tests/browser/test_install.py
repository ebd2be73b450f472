"""Installability as Chromium judges it, and the custom install button."""

from __future__ import annotations

from playwright.async_api import Page

from tests.browser.conftest import controlled_by_service_worker


async def test_chromium_finds_the_app_installable(page: Page, base_url: str) -> None:
    await page.goto(base_url + "/")
    await controlled_by_service_worker(page)
    cdp = await page.context.new_cdp_session(page)
    manifest = await cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert manifest["url"] == base_url + "/manifest.webmanifest?lang=lv"  # the page's language
    errors = await cdp.send("Page.getInstallabilityErrors")
    assert errors["installabilityErrors"] == []


async def test_install_button_appears_when_the_browser_offers_installation(
    page: Page, base_url: str
) -> None:
    await page.goto(base_url + "/")
    # Chromium offers installation once the page is controlled by a worker with a fetch handler;
    # on the very first load that may be after its check ran, so look again on a controlled page.
    await controlled_by_service_worker(page)
    await page.reload()
    install = page.get_by_role("button", name="Instalēt lietotni")
    await install.wait_for(state="visible")  # after Chromium's beforeinstallprompt
    # A real button, reachable by keyboard, in a labelled region at the end of main.
    assert await install.evaluate(
        "(b) => b.tabIndex === 0 && b.closest('main > section.install-offer') !== null"
    )
    assert await page.get_by_role("region", name="Vienuviet sākuma ekrānā").is_visible()
