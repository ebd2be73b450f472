"""Log in to the app under test as a persona, the way a browser does, over real HTTP.

The browser is an httpx client with its own cookie jar: it follows the app's redirect to the
development identity provider, submits the persona picker and returns through the callback.
"""

from __future__ import annotations

import httpx

from tests.idp_driver import choose


async def start_login(
    browser: httpx.AsyncClient, next_path: str = "/", **params: str
) -> httpx.Response:
    """GET /auth/login and follow to the provider's picker page; return that page."""
    response = await browser.get("/auth/login", params={"next": next_path, **params})
    assert response.status_code in (302, 303), response.text
    page = await browser.get(response.headers["location"])
    assert page.status_code == 200, page.text
    return page


async def pick(
    browser: httpx.AsyncClient, picker: httpx.Response, persona: str, method: str
) -> httpx.URL:
    """Submit the picker; return the callback URL the provider redirects to."""
    answer = await choose(browser, picker, persona, method)
    assert answer.status_code in (302, 303), answer.text
    return httpx.URL(answer.headers["location"])


async def login_as(
    browser: httpx.AsyncClient,
    persona: str = "anna",
    method: str = "eparaksts",
    next_path: str = "/",
    **params: str,
) -> httpx.Response:
    """A whole login; returns the app's answer to the callback (a redirect to `next_path`).

    When the provider still remembers this browser (single sign-on), it answers the
    authorization request with the callback at once and no persona is picked.
    """
    response = await browser.get("/auth/login", params={"next": next_path, **params})
    assert response.status_code in (302, 303), response.text
    page = await browser.get(response.headers["location"])
    if page.status_code in (302, 303):
        return await browser.get(page.headers["location"])
    assert page.status_code == 200, page.text
    callback = await pick(browser, page, persona, method)
    return await browser.get(str(callback))


async def logout(browser: httpx.AsyncClient) -> None:
    """POST /auth/logout with the CSRF token and follow the provider's end-session redirect."""
    if "csrftoken" not in browser.cookies:
        await browser.get("/", headers={"accept": "text/html"})
    answer = await browser.post(
        "/auth/logout", data={"_csrf_token": browser.cookies.get("csrftoken", "")}
    )
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    if location.startswith("http"):
        ended = await browser.get(location)
        assert ended.status_code in (200, 302, 303), ended.text


async def graphql(
    browser: httpx.AsyncClient, query: str, variables: dict[str, object] | None = None
) -> dict[str, object]:
    response = await browser.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code in (200, 400), response.text
    body: dict[str, object] = response.json()
    return body


def error_code(body: dict[str, object]) -> str | None:
    errors = body.get("errors")
    if not isinstance(errors, list) or not errors:
        return None
    code: str | None = errors[0].get("extensions", {}).get("code")
    return code
