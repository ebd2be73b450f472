"""Following an institution's topic in Chromium: the settings page lists every institution's
topics in the reader's language, a ticked box subscribes and an unticked one unsubscribes (no
script needed), the section passes axe in lv/en/ru and reflows at 320 CSS px."""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import BrowserContext, Page

from backend.notifications.institutions import topics
from backend.notifications.tables import Topic, TopicSubscription
from tests.browser.conftest import LANGUAGES, SignIn, axe_violations, set_language
from tests.browser.test_accessibility import serious
from tests.integration.eaddress.conftest import make_institution

NAMES = {"lv": "Ceļu slēgšana Rīgā", "en": "Road closures in Riga", "ru": "Перекрытия дорог в Риге"}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_follow_and_unfollow_a_topic(
    page: Page, browser_context: BrowserContext, base_url: str, sign_in: SignIn, language: str
) -> None:
    institution = await make_institution(("notify:send",))
    suffix = uuid.uuid4().hex[:6]
    body = {"id": f"roads-{suffix}", "category": "registry_changes",
            "names": {lang: f"{name} {suffix}" for lang, name in NAMES.items()}}  # fmt: skip
    await topics.declare(institution.id, body)
    # A name without a place to break (an institution chose it) still fits a phone.
    long = {"id": f"long-{suffix}", "category": "service_news",
            "names": dict.fromkeys(NAMES, "Ž" * 120)}  # fmt: skip
    await topics.declare(institution.id, long)
    person = await sign_in()
    await set_language(browser_context, base_url, language)
    await page.set_viewport_size({"width": 320, "height": 800})
    await page.goto(base_url + "/settings/notifications")
    box = page.get_by_label(f"{NAMES[language]} {suffix}")
    assert not await box.is_checked()
    assert serious(await axe_violations(page)) == []
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    await box.check()
    await page.locator("form[action='/settings/notifications/topics'] button").click()
    await page.wait_for_url("**/settings/notifications?notice=topics_saved*")
    await page.locator(".notice[role=status]").wait_for()
    assert await page.get_by_label(f"{NAMES[language]} {suffix}").is_checked()
    assert await TopicSubscription.count().where(TopicSubscription.person == person.id).run() == 1
    await page.get_by_label(f"{NAMES[language]} {suffix}").uncheck()
    await page.locator("form[action='/settings/notifications/topics'] button").click()
    await page.wait_for_url("**/settings/notifications?notice=topics_saved*")
    assert await TopicSubscription.count().where(TopicSubscription.person == person.id).run() == 0
    await Topic.delete().where(Topic.institution == institution.id).run()
