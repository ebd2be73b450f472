"""The service worker: precache, offline navigation, what it never stores, push and clicks.

Push: headless Chromium cannot subscribe (no push service), so push messages are delivered the
way DevTools does it, with `ServiceWorker.deliverPushMessage`: a real, trusted push event.
Notification clicks cannot be made by a test; a NotificationEvent is dispatched in the worker.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from playwright.async_api import BrowserContext, CDPSession, Page, Worker

from tests.browser.conftest import controlled_by_service_worker, set_language


async def service_worker(context: BrowserContext, base_url: str) -> Worker:
    """The active worker (workers of cleared registrations linger, redundant, for a while).

    Playwright learns of a worker by an event that can arrive after the page is controlled, so
    this waits for it (on a busy machine, a while) rather than looking once."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + 15
    while True:
        for worker in reversed(context.service_workers):
            if worker.url == f"{base_url}/sw.js" and await worker.evaluate(
                "() => self.serviceWorker.state === 'activated'"
            ):
                return worker
        if loop.time() > give_up:
            raise AssertionError("no active service worker")
        await asyncio.sleep(0.05)


async def cache_urls(worker: Worker) -> dict[str, list[str]]:
    urls: dict[str, list[str]] = await worker.evaluate(
        """async () => {
            const out = {};
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                const origin = self.location.origin.length;
                out[name] = (await cache.keys()).map((r) => r.url.slice(origin));
            }
            return out;
        }"""
    )
    return urls


async def test_installs_precaches_the_shell_and_serves_the_offline_page(
    page: Page, browser_context: BrowserContext, base_url: str
) -> None:
    await page.goto(base_url + "/")
    await controlled_by_service_worker(page)
    worker = await service_worker(browser_context, base_url)
    caches = await cache_urls(worker)
    shell = next(urls for name, urls in caches.items() if name.startswith("vienuviet-shell-"))
    assert "/offline?lang=lv" in shell
    assert any(url.startswith("/static/css/app.css?v=") for url in shell)
    assert any(url.startswith("/static/js/offline-snapshot.js?v=") for url in shell)

    await browser_context.set_offline(True)
    await page.goto(base_url + "/some/page/never/visited")
    assert await page.locator("h1").inner_text() == "Jūs esat bezsaistē"
    # The precached stylesheet still applies offline.
    header = await page.evaluate(
        "() => getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert header == "rgb(158, 48, 57)"


async def test_offline_page_follows_the_last_language_seen(
    page: Page, browser_context: BrowserContext, base_url: str
) -> None:
    await set_language(browser_context, base_url, "ru")
    await page.goto(base_url + "/")
    await controlled_by_service_worker(page)
    await page.reload()  # this navigation goes through the worker, which notes its language
    await browser_context.set_offline(True)
    await page.goto(base_url + "/elsewhere")
    assert await page.get_attribute("html", "lang") == "ru"
    assert await page.locator("h1").inner_text() == "Нет подключения к интернету"


async def test_never_stores_pages_or_api_answers(
    page: Page, browser_context: BrowserContext, base_url: str
) -> None:
    await page.goto(base_url + "/")
    await controlled_by_service_worker(page)
    await page.goto(base_url + "/?again")
    await page.goto(base_url + "/no-such-page")
    status = await page.evaluate(
        """async () => (await fetch('/graphql', {method: 'POST',
            headers: {'content-type': 'application/json'},
            body: JSON.stringify({query: '{ __typename }'})})).status"""
    )
    assert status == 200
    await page.evaluate("() => fetch('/healthz').then((r) => r.text())")
    worker = await service_worker(browser_context, base_url)
    stored = [url for urls in (await cache_urls(worker)).values() for url in urls]
    for url in stored:
        assert url.startswith(("/static/", "/offline?lang=", "/__vienuviet/")), url


async def registration_id(cdp: CDPSession, base_url: str) -> str:
    """The registration controlling the page (older, cleared ones may still be listed)."""
    found: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def on_versions(event: dict[str, Any]) -> None:
        for version in event["versions"]:
            live = version["status"] == "activated" and version["controlledClients"]
            if live and version["scriptURL"] == f"{base_url}/sw.js" and not found.done():
                found.set_result(version["registrationId"])

    cdp.on("ServiceWorker.workerVersionUpdated", on_versions)
    await cdp.send("ServiceWorker.enable")
    return await found


async def push(page: Page, base_url: str, payload: dict[str, Any]) -> None:
    cdp = await page.context.new_cdp_session(page)
    await cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": base_url,
            "registrationId": await registration_id(cdp, base_url),
            "data": json.dumps(payload),
        },
    )


async def shown_with_tag(worker: Worker, tag: str) -> None:
    """Wait until the worker has shown a notification tagged `tag` (showNotification settles
    after the push event returns)."""
    await worker.evaluate(
        """(tag) => new Promise((resolve) => {
            const check = async () => (await self.registration.getNotifications({tag})).length
                ? resolve() : setTimeout(check, 50);
            check();
        })""",
        tag,
    )


async def notifications(worker: Worker, tag: str) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = await worker.evaluate(
        """async (tag) => (await self.registration.getNotifications({tag})).map((n) => ({
            title: n.title, body: n.body, tag: n.tag, icon: n.icon, badge: n.badge,
            data: n.data, actions: n.actions.map((a) => ({action: a.action, title: a.title})),
        }))""",
        tag,
    )
    return shown


async def test_push_shows_a_notification_and_a_click_opens_its_deep_link(
    page: Page, browser_context: BrowserContext, base_url: str
) -> None:
    await page.goto(base_url + "/")
    await controlled_by_service_worker(page)
    worker = await service_worker(browser_context, base_url)
    await push(
        page,
        base_url,
        {
            "title": "Jauna vēstule e-adresē",
            "body": "Valsts ieņēmumu dienests",
            "url": "/offline?lang=en",
            "tag": "mail-1",
            "actions": [{"action": "open", "title": "Atvērt"}],
        },
    )
    await shown_with_tag(worker, "mail-1")
    [shown] = await notifications(worker, "mail-1")
    assert shown["title"] == "Jauna vēstule e-adresē"
    assert shown["body"] == "Valsts ieņēmumu dienests"
    assert shown["actions"] == [{"action": "open", "title": "Atvērt"}]
    assert shown["data"]["url"] == base_url + "/offline?lang=en"
    assert "/static/icons/icon-192.png?v=" in shown["icon"]
    assert "/static/icons/badge-96.png?v=" in shown["badge"]

    async with page.expect_navigation(url=base_url + "/offline?lang=en"):
        await worker.evaluate(
            """async () => {
                const [notification] = await self.registration.getNotifications({tag: 'mail-1'});
                self.dispatchEvent(new NotificationEvent('notificationclick',
                    {notification, action: 'open'}));
            }"""
        )
    assert await page.locator("h1").inner_text() == "You are offline"


async def test_push_never_links_off_the_site(
    page: Page, browser_context: BrowserContext, base_url: str
) -> None:
    await page.goto(base_url + "/")
    await controlled_by_service_worker(page)
    worker = await service_worker(browser_context, base_url)
    await push(page, base_url, {"title": "x", "url": "https://evil.example/", "tag": "evil"})
    await shown_with_tag(worker, "evil")
    [shown] = await notifications(worker, "evil")
    assert shown["data"]["url"] == base_url + "/"


async def test_subscription_change_is_reported_to_the_server(
    page: Page, browser_context: BrowserContext, base_url: str
) -> None:
    """The worker posts the new subscription with the old endpoint and the old auth secret,
    its proof of being that device (contract in service_worker/README.md). The browser cannot
    make a real subscription here, so the event carries stand-in subscription objects and the
    worker's fetch is recorded."""
    await page.goto(base_url + "/")
    await controlled_by_service_worker(page)
    worker = await service_worker(browser_context, base_url)
    sent = await worker.evaluate(
        """() => new Promise((resolve) => {
            const realFetch = self.fetch;
            self.fetch = (url, init) => {
                self.fetch = realFetch;
                resolve({url, method: init.method, credentials: init.credentials,
                         type: init.headers['Content-Type'], body: JSON.parse(init.body)});
                return Promise.resolve(new Response(null, {status: 201}));
            };
            const event = new ExtendableEvent('pushsubscriptionchange');
            Object.defineProperty(event, 'oldSubscription', {value: {
                endpoint: 'https://push.example/old',
                toJSON: () => ({endpoint: 'https://push.example/old',
                                keys: {p256dh: 'BOl', auth: 'b2xk'}})}});
            Object.defineProperty(event, 'newSubscription', {value: {toJSON: () => ({
                endpoint: 'https://push.example/new', keys: {p256dh: 'BPk', auth: 'c2VjcmV0'}})}});
            self.dispatchEvent(event);
        })"""
    )
    assert sent == {
        "url": "/push/subscriptions",
        "method": "POST",
        "credentials": "same-origin",
        "type": "application/json",
        "body": {
            "endpoint": "https://push.example/new",
            "keys": {"p256dh": "BPk", "auth": "c2VjcmV0"},
            "oldEndpoint": "https://push.example/old",
            "oldAuth": "b2xk",
        },
    }
