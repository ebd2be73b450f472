"""'Keep my deadlines on this device': encrypted in IndexedDB, shown offline, wiped at logout
and when the person turns it off."""

from __future__ import annotations

from datetime import date

from playwright.async_api import Page

from backend.lib.offline import OfflineDeadline
from tests.browser.conftest import (
    ProvideDeadlines,
    SignIn,
    controlled_by_service_worker,
    log_out,
    set_language,
)

DEADLINES = [
    OfflineDeadline("Nekustamā īpašuma nodoklis, 2. maksājums", date(2027, 5, 17), "Anna", "/o/2"),
    OfflineDeadline("Ienākumu deklarācija", date(2027, 3, 1), "Anna Bērziņa", "/o/1"),
]

STORED = """() => new Promise((resolve, reject) => {
    const open = indexedDB.open('vienuviet-offline');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('snapshot')) { db.close(); return resolve(null); }
        const store = db.transaction('snapshot').objectStore('snapshot');
        const key = store.get('key'), data = store.get('deadlines');
        store.transaction.oncomplete = async () => {
            db.close();
            if (!key.result || !data.result) return resolve(null);
            let exported = 'refused';
            try { await crypto.subtle.exportKey('raw', key.result); exported = 'allowed'; }
            catch (e) { exported = 'refused'; }
            resolve({
                algorithm: key.result.algorithm.name,
                extractable: key.result.extractable,
                exported,
                ciphertext: Array.from(new Uint8Array(data.result.data)),
            });
        };
    };
})"""

DATABASES = "async () => (await indexedDB.databases()).map((d) => d.name)"


async def opt_in(page: Page, base_url: str) -> None:
    await page.goto(base_url + "/")
    await controlled_by_service_worker(page)
    box = page.get_by_role("checkbox")
    await box.check()
    await page.locator("[data-module=offline-snapshot][data-state=saved]").wait_for()


async def test_snapshot_is_encrypted_and_shown_offline(
    page: Page, base_url: str, sign_in: SignIn, deadlines: ProvideDeadlines
) -> None:
    deadlines(DEADLINES)
    await set_language(page.context, base_url, "en")
    await sign_in()
    await opt_in(page, base_url)
    assert (
        await page.get_by_role("status").inner_text() == "Your deadlines are saved on this device."
    )

    stored = await page.evaluate(STORED)
    assert stored["algorithm"] == "AES-GCM"
    assert stored["extractable"] is False
    assert stored["exported"] == "refused"
    ciphertext = bytes(stored["ciphertext"])
    assert "Ienākumu".encode() not in ciphertext
    assert b"2027-03-01" not in ciphertext

    await page.context.set_offline(True)
    await page.goto(base_url + "/obligations")
    assert await page.locator("h1").inner_text() == "You are offline"
    saved = page.locator("[data-module=saved-deadlines][data-state=shown]")
    await saved.wait_for()
    items = await saved.locator("ol > li").all_inner_texts()
    # Sorted by date, dates written the English way, each with whom it concerns.
    assert items == [
        "1 March 2027 — Ienākumu deklarācija (Anna Bērziņa)",
        "17 May 2027 — Nekustamā īpašuma nodoklis, 2. maksājums (Anna)",
    ]
    assert await saved.locator("a").first.get_attribute("href") == "/o/1"


async def test_unticking_the_box_wipes_the_snapshot(
    page: Page, base_url: str, sign_in: SignIn, deadlines: ProvideDeadlines
) -> None:
    deadlines(DEADLINES)
    await sign_in()
    await opt_in(page, base_url)
    assert await page.evaluate(STORED) is not None
    await page.get_by_role("checkbox").uncheck()
    await page.locator("[data-module=offline-snapshot][data-state=off]").wait_for()
    assert await page.get_by_role("status").inner_text() == "Jūsu termiņi ir dzēsti no šīs ierīces."
    assert "vienuviet-offline" not in await page.evaluate(DATABASES)

    await page.reload()  # the choice is remembered: still off, nothing saved again
    await page.locator("[data-module=offline-snapshot][data-state=off]").wait_for()
    assert not await page.get_by_role("checkbox").is_checked()
    assert "vienuviet-offline" not in await page.evaluate(DATABASES)


async def test_logout_wipes_the_snapshot_and_the_caches(
    page: Page, base_url: str, sign_in: SignIn, deadlines: ProvideDeadlines
) -> None:
    deadlines(DEADLINES)
    person = await sign_in(given_name="Jānis", family_name="Kalniņš")
    await opt_in(page, base_url)
    assert person.name in await page.locator("header").inner_text()
    # Something in the runtime cache that logout must drop (a static file not precached).
    await page.evaluate("() => fetch('/static/icons/icon.svg?v=someother')")

    await log_out(page, base_url, page.get_by_role("button", name="Iziet").click)
    assert "Pieslēgties" in await page.locator("header").inner_text()
    assert "vienuviet-offline" not in await page.evaluate(DATABASES)
    names = await page.evaluate("() => caches.keys()")
    assert any(name.startswith("vienuviet-shell-") for name in names)  # precached again
    assert not any(name.startswith("vienuviet-static-") for name in names)

    await page.context.set_offline(True)
    await page.goto(base_url + "/anything")
    assert await page.locator("h1").inner_text() == "Jūs esat bezsaistē"  # the shell survives
    await page.locator("[data-module=saved-deadlines][data-state=none]").wait_for(state="attached")
    assert await page.locator("[data-module=saved-deadlines]").is_hidden()
