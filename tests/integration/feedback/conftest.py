"""Feedback fixtures: a client on an app of its own (fresh rate-limit counters, the shared
database), so that the suite's many answers from 127.0.0.1 never meet the per-client limit."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html import unescape
from pathlib import Path

import httpx
import pytest

from backend.catalogue.files import load_content
from backend.catalogue.store import load_catalogue
from backend.services import Services
from backend.settings import Settings
from tests.conftest import variant_app

HTML = {"accept": "text/html"}
JSON = {"accept": "application/json"}


@pytest.fixture
async def loaded(services: Services) -> Services:
    """The reviewed catalogue files in the database (idempotent)."""
    await load_catalogue(load_content(), engine=services.engine)
    services.catalogue.invalidate()
    await services.catalogue.ensure_current()
    return services


@pytest.fixture
async def visitor(
    settings: Settings, loaded: Services, var_dir: Path
) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        variant_app(settings, loaded, var_dir) as (url, _),
        httpx.AsyncClient(base_url=url, timeout=10) as client,
    ):
        yield client


def text_of(page: httpx.Response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page.text)))


async def widget_fields(client: httpx.AsyncClient, path: str) -> dict[str, str]:
    """The hidden fields of the page's "No" form, as the browser would post them."""
    page = await client.get(path, headers=HTML)
    assert page.status_code == 200, page.text
    section = page.text.split('id="page-feedback"', 1)[1].split("</section>", 1)[0]
    form = section.split('name="useful" value="no"', 1)[0].rsplit("<form", 1)[1]
    return {
        name: unescape(value) for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', form)
    } | {"useful": "no"}
