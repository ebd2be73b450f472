"""The web app's public surface: pages, health, and clear 4xx answers to bad requests."""

from __future__ import annotations

import httpx

HTML = {"accept": "text/html,application/xhtml+xml"}


async def test_home_page_is_html_in_latvian_by_default(http: httpx.AsyncClient) -> None:
    response = await http.get("/", headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="lv" ' in response.text
    assert 'href="#main"' in response.text  # skip link


async def test_home_page_follows_accept_language_and_language_cookie(
    http: httpx.AsyncClient,
) -> None:
    english = await http.get("/", headers={**HTML, "accept-language": "en-GB,en;q=0.9"})
    assert '<html lang="en" ' in english.text
    switched = await http.get("/language/ru?next=/", headers=HTML)
    assert switched.status_code in (302, 303, 307)
    assert switched.headers["location"] == "/"
    russian = await http.get("/", headers={**HTML, "accept-language": "en"})
    assert '<html lang="ru" ' in russian.text


async def test_language_switch_refuses_offsite_next(http: httpx.AsyncClient) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = await http.get("/language/en", params={"next": target})
        assert response.headers["location"] == "/"


async def test_security_headers_on_every_response(http: httpx.AsyncClient) -> None:
    for path in ("/", "/healthz", "/no-such-page"):
        response = await http.get(path, headers=HTML)
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'nonce-" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert "camera=()" in response.headers["permissions-policy"]
    first = (await http.get("/")).headers["content-security-policy"]
    second = (await http.get("/")).headers["content-security-policy"]
    assert first != second, "each response needs a fresh nonce"


async def test_healthz_and_readyz(http: httpx.AsyncClient, settings) -> None:  # type: ignore[no-untyped-def]
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    ready = await http.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ok"
    assert body["mode"] == settings.mode
    assert body["checks"]["database"] == "ok"
    if settings.store.redis_url:
        assert body["checks"]["redis"] == "ok"


async def test_unknown_route_is_404_json_for_api_clients_and_html_for_browsers(
    http: httpx.AsyncClient,
) -> None:
    api = await http.get("/no-such-thing", headers={"accept": "application/json"})
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/problem+json")
    assert api.json()["code"] == "not_found"
    page = await http.get("/no-such-thing", headers=HTML)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>" in page.text


async def test_wrong_method_is_405(http: httpx.AsyncClient) -> None:
    response = await http.delete("/healthz")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


async def test_static_files_are_cacheable_and_missing_ones_404(http: httpx.AsyncClient) -> None:
    page = await http.get("/", headers=HTML)
    css_url = next(
        part.split('"')[0] for part in page.text.split('href="')[1:] if "/static/css/" in part
    )
    css = await http.get(css_url)
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert "immutable" in css.headers["cache-control"]
    assert (await http.get("/static/css/nope.css")).status_code == 404
    assert (await http.get("/static/../backend/app.py")).status_code == 404  # a real file
