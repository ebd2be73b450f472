"""Open a message and reply, in the browser: the inbox shows it unread, the message page
records the opening and its receipt, the reply form answers the institution."""

from __future__ import annotations

from playwright.async_api import Page

from tests.browser.conftest import SignIn
from tests.browser.mail_helpers import deliver


async def test_open_a_message_and_reply(page: Page, base_url: str, sign_in: SignIn) -> None:
    person = await sign_in("Ilze", "Kalniņa")
    await deliver(base_url, person, "Lēmums par pabalstu")
    await page.goto(base_url + "/mail")
    link = page.get_by_role("link", name="Nelasīta: Lēmums par pabalstu")
    assert "(1 nelasīta)" in await page.locator(".mail-tabs").inner_text()

    await link.click()
    assert await page.locator("h1").inner_text() == "Lēmums par pabalstu"
    assert "atvēra Ilze Kalniņa" in await page.locator(".mail-receipts").inner_text()
    assert await page.get_by_role("link", name="Lēmums.pdf").count() == 1

    await page.get_by_label("Jūsu atbilde").fill("Paldies, saņēmu.")
    await page.get_by_role("button", name="Nosūtīt atbildi").click()
    assert await page.get_by_role("status").inner_text() == "Jūsu atbilde ir nosūtīta."

    await page.get_by_role("link", name="Atpakaļ uz pastkasti").click()
    assert "nelasīta" not in await page.locator(".mail-tabs").inner_text()
    await page.get_by_role("link", name="Nosūtītās").click()
    assert await page.get_by_role("link", name="Re: Lēmums par pabalstu").count() == 1
