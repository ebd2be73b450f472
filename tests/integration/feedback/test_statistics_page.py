"""/statistics shows usefulness per section from the stored answers, in three languages, with
sections of fewer than ten answers suppressed."""

from __future__ import annotations

import re

import httpx

from backend.feedback import service
from backend.feedback.pages.statistics import section_names
from backend.feedback.service import Page
from backend.lib.time import utcnow
from backend.services import Services
from tests.integration.feedback.conftest import HTML, text_of


async def _answer(services: Services, path: str, useful: bool) -> None:
    await service.record(
        services.engine, services.catalogue, page=Page(path, path), useful=useful,
        comment=None, language="lv", signed_in=True, now=utcnow(),
    )  # fmt: skip


def _row(page: httpx.Response, label: str) -> str:
    found = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", page.text, re.S)
    assert found, label
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


async def test_usefulness_per_section_with_small_counts_suppressed(
    http: httpx.AsyncClient, services: Services
) -> None:
    for n in range(12):
        await _answer(services, "/privacy", useful=n % 4 != 0)  # 9 yes, 3 no
    await _answer(services, "/more", useful=True)
    counts = {c.key: c for c in await service.section_counts()}
    privacy = counts["privacy"]

    page = await http.get("/statistics", params={"lang": "en"}, headers=HTML)
    assert page.status_code == 200
    assert "<caption>" in page.text
    share = round(100 * privacy.yes / privacy.total)
    assert _row(page, "Privacy") == f"{privacy.yes} {privacy.no} {share}%"
    more = counts["more"]  # pooled with every section outside the named ones
    other = sum(c.total for k, c in counts.items() if k not in section_names())
    assert more.total >= 1
    if other < 10:
        assert _row(page, "Other pages") == "fewer than 10 answers"
    assert "Sections with fewer than 10 answers show no figures" in text_of(page)

    lv = await http.get("/statistics", params={"lang": "lv"}, headers=HTML)
    assert "Vai lapa bija noderīga?" in text_of(lv)
    assert _row(lv, "Privātums").endswith(f"{share} %")
    ru = await http.get("/statistics", params={"lang": "ru"}, headers=HTML)
    assert "Статистика" in text_of(ru)
