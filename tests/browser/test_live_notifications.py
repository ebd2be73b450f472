"""An open notification list learns of a new notice without a reload (server-sent events
read by live-notifications.js): the item appears on top and the unread count follows."""

from __future__ import annotations

import uuid

from playwright.async_api import Page, expect

from backend.lib.time import utcnow
from backend.notifications.tables import InAppNotification
from backend.services import Services
from tests.browser.conftest import SignIn


async def test_a_new_notice_appears_on_an_open_list(
    page: Page, base_url: str, sign_in: SignIn, services: Services
) -> None:
    person = await sign_in()
    await page.goto(base_url + "/notifications")
    assert await page.locator("main [data-unread-count]").inner_text() == "0"
    await page.locator("[data-live=ready]").wait_for(state="attached")  # the stream is open
    item_id = uuid.uuid4()
    await (
        InAppNotification(
            id=item_id,
            person=person.id,
            subject_key=person.subject_key,
            category="account",
            kind="account.test",
            params={},
            link="/settings/notifications",
            created_at=utcnow(),
        )
        .save()
        .run()
    )
    nudge = {"type": "notification", "id": str(item_id)}
    await services.notifications.publish_live(person.id, nudge)
    await expect(page.locator("[data-live-list] li")).to_have_count(1)
    await expect(page.locator("main [data-unread-count]")).to_have_text("1")
    # The navigation's badge follows the same stream (the page runs only one).
    await expect(page.locator(".site-nav [data-unread-count]")).to_have_text("1")
    await expect(page.locator("[data-live-list] li a")).to_have_attribute(
        "href", "/settings/notifications"
    )


async def test_the_navigation_badge_appears_live_on_other_pages(
    page: Page, base_url: str, sign_in: SignIn, services: Services
) -> None:
    person = await sign_in()
    await page.goto(base_url + "/account")
    badge = page.locator(".site-nav a[href='/notifications'] .nav-badge")
    await expect(badge).to_be_hidden()  # nothing unread: no badge
    await page.locator(".site-nav [data-live=ready]").wait_for(state="attached")
    item_id = uuid.uuid4()
    await (
        InAppNotification(
            id=item_id,
            person=person.id,
            subject_key=person.subject_key,
            category="account",
            kind="account.test",
            params={},
            link="/notifications",
            created_at=utcnow(),
        )
        .save()
        .run()
    )
    await services.notifications.publish_live(
        person.id, {"type": "notification", "id": str(item_id)}
    )
    await expect(badge).to_be_visible()
    await expect(badge.locator("[data-unread-count]")).to_have_text("1")
