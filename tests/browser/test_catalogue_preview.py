"""An institution's reviewer opens a draft's preview link on a phone: the draft reads as the
portal will show it, in their language, without serious accessibility violations and without
sideways scrolling at 390 px."""

from __future__ import annotations

import msgspec
import pytest
from playwright.async_api import BrowserContext, Page

from backend.catalogue import store
from backend.catalogue.files import load_content
from backend.catalogue.model import Service
from backend.catalogue.preview import preview_url
from backend.lib.db import transaction
from backend.lib.time import utcnow
from backend.services import Services
from tests.browser.conftest import LANGUAGES, axe_violations, set_language
from tests.browser.test_accessibility import serious
from tests.integration.catalogue.conftest import new_service


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_drafts_preview_reads_well_on_a_phone(
    page: Page, browser_context: BrowserContext, base_url: str, services: Services, language: str
) -> None:
    await store.load_catalogue(load_content(), engine=services.engine)
    draft = msgspec.convert(new_service("pmlp"), Service)
    async with transaction(services.engine):
        saved = await store.add_draft("services", draft, "client:test", now=utcnow())
    web = services.settings.web
    url = preview_url(web.public_url, web.secret_key, draft.id, saved.version)
    await set_language(browser_context, base_url, language)
    await page.set_viewport_size({"width": 390, "height": 800})
    await page.goto(url.replace(web.public_url, base_url))
    assert await page.get_attribute("html", "lang") == language
    await page.get_by_role("heading", level=1, name=draft.title.in_language(language)).wait_for()
    assert await page.get_by_role("status").is_visible()
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious(await axe_violations(page)) == []
