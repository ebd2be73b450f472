"""Screenshots of every page at 390×844 (a phone) into docs/screenshots/, for the README.

    .venv/bin/python scripts/screenshots.py

Serves the app on loopback with throwaway settings and the registry sandbox (bench/local_app.py)
and drives Debian's Chromium, in Latvian, the default language. Pages with registry data are
shot signed in as sandbox personas.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from playwright.async_api import BrowserContext, Page, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.auth.assurance import Level  # noqa: E402
from backend.auth.oidc import Identity  # noqa: E402
from backend.auth.people import upsert_from_identity  # noqa: E402
from backend.auth.viewer import Viewer  # noqa: E402
from backend.eaddress.context import EAddress  # noqa: E402
from backend.lib.offline import OfflineDeadline  # noqa: E402
from backend.notifications.engine.consumer import consume  # noqa: E402
from backend.notifications.engine.delivery import deliver_batch, worker_id  # noqa: E402
from backend.notifications.engine.recipients import IdentityRecipients  # noqa: E402
from bench.local_app import LocalApp, running_app, sign_in_persona  # noqa: E402
from integrations.devstack.seed.eaddress import seed_eaddress  # noqa: E402
from integrations.devstack.seed.people import seed_people  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PHONE = {"width": 390, "height": 844}
DEMO_DEADLINES = [
    OfflineDeadline("Ienākumu deklarācija par 2026. gadu", date(2027, 6, 1), "Anna Bērziņa", "/"),
    OfflineDeadline("Nekustamā īpašuma nodoklis, 2. maksājums", date(2027, 5, 17), "Anna", "/"),
    OfflineDeadline("Pases derīguma termiņš", date(2027, 9, 30), "Anna Bērziņa", "/"),
]


async def sign_in(local: LocalApp, context: BrowserContext) -> None:
    services = local.services
    identity = Identity(services.settings.oidc.issuer, uuid.uuid4().hex, None, "EE/LV/demo",
                        "Anna", "Bērziņa", Level.SUBSTANTIAL, "lv", "")  # fmt: skip
    person = await upsert_from_identity(identity, services.engine)
    sessions = services.auth.sessions
    session_id, _ = await sessions.create(str(person.id), 0, int(Level.SUBSTANTIAL), None)
    await context.add_cookies([{"name": services.auth.cookies.session, "value": session_id,
                                "url": local.url}])  # fmt: skip


async def as_persona(local: LocalApp, context: BrowserContext, slug: str) -> None:
    session_id = await sign_in_persona(local, slug)
    await context.add_cookies([{"name": local.services.auth.cookies.session, "value": session_id,
                                "url": local.url}])  # fmt: skip


async def demo_mail(local: LocalApp) -> None:
    """The seed's e-address mail, and the notices it raises delivered in-app (as the worker
    would: consume the events, then deliver what they queued)."""
    settings = local.services.settings
    await seed_people(settings)
    await seed_eaddress(settings, EAddress.from_settings(settings).blobs)
    handlers = local.services.events
    while await consume(IdentityRecipients(), settings.notifications, handlers=handlers):
        pass
    while await deliver_batch(local.services.notifications, worker_id()):
        pass


async def shoot(page: Page, name: str) -> None:
    await page.evaluate("() => document.fonts.ready")
    await page.screenshot(path=str(OUT / f"{name}.png"))
    print(f"docs/screenshots/{name}.png")


async def visitor_pages(local: LocalApp, page: Page) -> None:
    await page.goto(local.url + "/")
    await page.wait_for_function("() => Boolean(navigator.serviceWorker.controller)")
    await page.reload()  # Chromium offers installation to a controlled page
    try:  # Chromium offers installation a moment after the page loads, usually
        await page.locator("[data-module=install-prompt]").wait_for(state="visible", timeout=5000)
    except PlaywrightTimeout:
        print("(Chromium did not offer installation: home shot without the offer)")
    await shoot(page, "home")
    await page.goto(local.url + "/auth/callback")
    await shoot(page, "login-failed")
    await page.goto(local.url + "/no-such-page")
    await shoot(page, "not-found")


async def signed_in_pages(local: LocalApp, context: BrowserContext, page: Page) -> None:
    await sign_in(local, context)
    await page.goto(local.url + "/")
    await page.wait_for_function("() => Boolean(navigator.serviceWorker.controller)")
    await page.get_by_role("checkbox").check()
    await page.locator("[data-module=offline-snapshot][data-state=saved]").wait_for()
    await shoot(page, "home-signed-in")
    await page.goto(local.url + "/account")
    await shoot(page, "account")


async def anna_pages(local: LocalApp, context: BrowserContext, page: Page) -> None:
    await as_persona(local, context, "anna")
    await page.goto(local.url + "/")
    await shoot(page, "dashboard")
    await demo_mail(local)
    await page.goto(local.url + "/mail")
    await shoot(page, "mail")
    await page.locator("main a[href^='/mail/messages/']").first.click()
    await page.locator("main h1").wait_for()
    await shoot(page, "mail-message")
    for path, name in (
        ("/notifications", "notifications"),
        ("/settings/notifications", "notification-settings"),
        ("/privacy", "privacy"),
    ):
        await page.goto(local.url + path)
        await shoot(page, name)


async def martins_pages(local: LocalApp, context: BrowserContext, page: Page) -> None:
    await as_persona(local, context, "martins")
    await page.goto(local.url + "/obligations")
    await shoot(page, "obligations")
    await page.goto(local.url + "/company")
    await shoot(page, "company-choose")
    await page.locator("form:has(input[value='company:40003123459']) button").click()
    await page.locator("#company-facts-heading").wait_for()
    await shoot(page, "company")
    await context.set_offline(True)
    await page.goto(local.url + "/obligations")
    await page.locator("[data-module=saved-deadlines][data-state=shown]").wait_for()
    await shoot(page, "offline")


async def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    async with running_app(registries=True) as local, async_playwright() as playwright:

        async def demo_deadlines(viewer: Viewer) -> Sequence[OfflineDeadline]:
            return DEMO_DEADLINES

        local.app.state["offline_deadlines"] = demo_deadlines
        with tempfile.TemporaryDirectory(prefix="screenshots-") as profile:
            context = await playwright.chromium.launch_persistent_context(
                profile, executable_path="/usr/bin/chromium", args=FLAGS, headless=True,
                viewport=PHONE, locale="lv-LV", device_scale_factor=1,
            )  # fmt: skip
            page = await context.new_page()
            await visitor_pages(local, page)
            await signed_in_pages(local, context, page)
            await anna_pages(local, context, page)
            await martins_pages(local, context, page)
            await context.close()
    # The install dialog's screenshots (the manifest, backend/web/pwa.py) are copies of these.
    for name in ("dashboard", "mail", "obligations"):
        shot = (OUT / f"{name}.png").read_bytes()
        (ROOT / "pwa" / "static" / "screenshots" / f"{name}-narrow.png").write_bytes(shot)


if __name__ == "__main__":
    asyncio.run(main())
