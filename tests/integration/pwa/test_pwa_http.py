"""The installable-app surface over real HTTP: manifest, service worker, offline page, budgets."""

from __future__ import annotations

import gzip
import json
import re
import struct
from urllib.parse import urljoin

import httpx
import pytest

from backend.lib.assets import STATIC_DIR, StaticAssets
from backend.web.pwa import theme_colours
from tests.auth_driver import login_as
from tests.idp_driver import RunningIdP
from tests.sandbox_driver import Sandbox

HTML = {"accept": "text/html"}
BUDGET_BYTES = 30 * 1024  # per page, compressed, for each of JavaScript and CSS


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_manifest_makes_the_site_installable(http: httpx.AsyncClient) -> None:
    response = await http.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["name"] == "Vienuviet"
    assert manifest["lang"] == "lv"
    assert manifest["start_url"] == "/?source=pwa"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    colours = theme_colours()
    assert (manifest["theme_color"], manifest["background_color"]) == (
        colours.theme,
        colours.background,
    )
    assert colours.theme == "#9e3039"  # read from app.css, not invented
    sizes = {}
    for icon in manifest["icons"]:
        fetched = await http.get(icon["src"])
        assert fetched.status_code == 200, icon["src"]
        if icon["type"] == "image/png":
            width, height = png_size(fetched.content)
            assert icon["sizes"] == f"{width}x{height}"
            sizes[(icon["sizes"], icon["purpose"])] = icon["src"]
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= set(sizes)
    assert any(icon["type"] == "image/svg+xml" for icon in manifest["icons"])
    shortcuts = {s["url"].split("?")[0]: s for s in manifest["shortcuts"]}
    assert set(shortcuts) == {"/mail", "/obligations"}
    for shortcut in shortcuts.values():
        icon = (await http.get(shortcut["icons"][0]["src"])).content
        assert png_size(icon) == (96, 96)
    assert len(manifest["screenshots"]) >= 3
    for shot in manifest["screenshots"]:
        fetched = await http.get(shot["src"])
        assert fetched.status_code == 200, shot["src"]
        width, height = png_size(fetched.content)
        assert shot["sizes"] == f"{width}x{height}"
        assert (shot["form_factor"], shot["label"]) == ("narrow", shot["label"].strip())


@pytest.mark.parametrize(
    ("language", "shortcut", "description"),
    [
        ("lv", "Termiņi", "Jūsu darīšanas ar valsti vienuviet"),
        ("en", "Deadlines", "Your dealings with the state in one place"),
        ("ru", "Сроки", "Ваши дела с государством в одном месте"),
    ],
)
async def test_each_language_has_its_own_manifest(
    http: httpx.AsyncClient, language: str, shortcut: str, description: str
) -> None:
    http.cookies.set("lang", language)
    page = await http.get("/", headers=HTML)
    assert f'href="/manifest.webmanifest?lang={language}"' in page.text
    manifest = (await http.get(f"/manifest.webmanifest?lang={language}")).json()
    assert manifest["lang"] == language
    assert manifest["id"] == "/"  # one app, whichever language installed it
    assert manifest["description"].startswith(description)
    assert shortcut in [s["short_name"] for s in manifest["shortcuts"]]
    assert manifest["screenshots"][0]["label"] != ""


async def test_service_worker_is_served_unversioned_with_its_version_inside(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get("/sw.js")
    assert response.status_code == 200
    # One charset parameter: it was once named twice ("…; charset=utf-8; charset=utf-8").
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["service-worker-allowed"] == "/"
    config = sw_config(response.text)
    assert config["version"] == StaticAssets.scan().version
    precache = config["precache"]
    assert {"/offline?lang=lv", "/offline?lang=en", "/offline?lang=ru"} <= set(precache)
    for kind in ("/static/css/app.css?v=", "/static/js/loader.js?v=", "/static/icons/"):
        assert any(url.startswith(kind) for url in precache), kind
    for url in precache:  # install fails if any one of them does
        assert (await http.get(url)).status_code == 200, url
    assert not any(url.startswith(("/auth", "/graphql", "/api")) for url in precache)


def sw_config(script: str) -> dict[str, object]:
    match = re.search(r"const CONFIG = (\{.*?\n\});", script, re.S)
    assert match, "configuration not written into sw.js"
    config: dict[str, object] = json.loads(match.group(1))
    return config


@pytest.mark.parametrize(
    ("language", "heading"),
    [("lv", "Jūs esat bezsaistē"), ("en", "You are offline"), ("ru", "Нет подключения")],
)
async def test_offline_page_in_each_language(
    http: httpx.AsyncClient, language: str, heading: str
) -> None:
    response = await http.get(f"/offline?lang={language}", headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-language"] == language
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert f'<html lang="{language}"' in response.text
    assert heading in response.text
    assert "/auth/logout" not in response.text  # the same page for everyone
    assert 'data-module="saved-deadlines"' in response.text


async def test_pages_say_their_language(http: httpx.AsyncClient) -> None:
    response = await http.get("/", headers={**HTML, "accept-language": "ru"})
    assert response.headers["content-language"] == "ru"
    assert "Войти" in response.text


async def page_assets(http: httpx.AsyncClient, path: str) -> tuple[list[str], list[str]]:
    """CSS and JavaScript URLs one page loads: its stylesheets, its loader, and every module
    its data-module attributes name, with their static imports, transitively."""
    html = (await http.get(path, headers=HTML)).text
    css = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    imports: dict[str, str] = json.loads(
        re.search(r'<script type="importmap"[^>]*>(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    )["imports"]
    pending = re.findall(r'<script type="module"[^>]* src="([^"]+)"', html)
    for attribute in re.findall(r'data-module="([^"]+)"', html):
        pending += [imports[f"/static/js/{name}.js"] for name in attribute.split()]
    seen: list[str] = []
    while pending:
        url = pending.pop()
        if url in seen:
            continue
        seen.append(url)
        source = (await http.get(url)).text
        for target in re.findall(r'^import [^;]*?from "([^"]+)"', source, re.M):
            pending.append(imports[urljoin(url.split("?")[0], target)])
    return css, seen


@pytest.mark.parametrize("path", ["/", "/offline?lang=lv", "/auth/callback", "/no-such-page"])
async def test_each_page_stays_within_the_budget(http: httpx.AsyncClient, path: str) -> None:
    css, js = await page_assets(http, path)
    assert css
    assert len(js) >= 2  # the loader and at least sw-register

    async def gzipped(urls: list[str]) -> int:
        total = 0
        for url in urls:
            total += len(gzip.compress((await http.get(url)).content, 9))
        return total

    assert await gzipped(css) <= BUDGET_BYTES
    assert await gzipped(js) <= BUDGET_BYTES


SIGNED_IN_PAGES = [
    "/",
    "/mail",
    "/obligations",
    "/notifications",
    "/settings/notifications",
    "/privacy",
    "/account",
]


async def test_each_signed_in_page_stays_within_the_budget(
    idp: RunningIdP, registry_sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    """Pages behind the login load more modules (live lists, push, the offline snapshot)."""
    await login_as(http, "anna", "eparaksts")
    for path in SIGNED_IN_PAGES:
        css, js = await page_assets(http, path)
        assert css, path
        assert js, path
        for urls in (css, js):
            total = sum([len(gzip.compress((await http.get(url)).content, 9)) for url in urls])
            assert total <= BUDGET_BYTES, (path, total)


def test_every_module_is_reachable_by_the_budget_walk() -> None:
    """The walk above follows `import … from "…"`; a module written differently would escape it."""
    for path in (STATIC_DIR / "js").rglob("*.js"):
        for line in path.read_text().splitlines():
            if line.startswith("import ") or " import(" in line:
                assert (line.startswith("import ") and " from " in line) or "import(`./" in line
