"""Session lifetime rules and the login rate limit."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import httpx

from backend.services import Services
from backend.settings import Settings
from tests.auth_driver import error_code, graphql, login_as
from tests.conftest import variant_app
from tests.idp_driver import RunningIdP

ME = "{ me { name } }"


async def _session(http: httpx.AsyncClient, services: Services) -> tuple[str, object]:
    session_id = http.cookies.get("vienuviet")
    assert session_id
    session = await services.auth.sessions.load(session_id)
    assert session is not None
    return session_id, session


async def test_idle_session_ends(
    idp: RunningIdP, http: httpx.AsyncClient, services: Services
) -> None:
    await login_as(http, "anna", "eparaksts")
    session_id, session = await _session(http, services)
    idle = services.settings.auth.session_idle_s
    await services.auth.sessions.update(
        session_id, replace(session, last_seen=time.time() - idle - 1)
    )  # type: ignore[type-var]
    assert error_code(await graphql(http, ME)) == "unauthenticated"


async def test_active_session_still_ends_at_its_absolute_limit(
    idp: RunningIdP, http: httpx.AsyncClient, services: Services
) -> None:
    await login_as(http, "anna", "eparaksts")
    session_id, session = await _session(http, services)
    absolute = services.settings.auth.session_absolute_s
    await services.auth.sessions.update(
        session_id,
        replace(session, created_at=time.time() - absolute - 1, last_seen=time.time()),  # type: ignore[type-var]
    )
    assert error_code(await graphql(http, ME)) == "unauthenticated"


async def test_recent_activity_keeps_the_session(
    idp: RunningIdP, http: httpx.AsyncClient, services: Services
) -> None:
    await login_as(http, "anna", "eparaksts")
    session_id, session = await _session(http, services)
    idle = services.settings.auth.session_idle_s
    await services.auth.sessions.update(
        session_id, replace(session, last_seen=time.time() - idle + 30)
    )  # type: ignore[type-var]
    assert (await graphql(http, ME))["data"] == {"me": {"name": "Anna Bērziņa"}}


async def test_login_is_rate_limited_per_ip(
    tmp_path: Path, settings: Settings, services: Services
) -> None:
    async with (
        variant_app(settings, services, tmp_path, LOGIN_RATE_PER_MINUTE="3") as (url, _),
        httpx.AsyncClient(base_url=url) as browser,
    ):
        answers = [(await browser.get("/auth/login")).status_code for _ in range(4)]
        refused = await browser.get("/auth/login", headers={"accept": "text/html"})
    assert answers[:3] == [302, 302, 302]
    assert answers[3] == 429
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1


async def test_mutations_are_rate_limited_per_ip(
    tmp_path: Path, settings: Settings, services: Services
) -> None:
    async with (
        variant_app(settings, services, tmp_path, MUTATION_RATE_PER_MINUTE="2") as (url, _),
        httpx.AsyncClient(base_url=url) as browser,
    ):
        codes = [
            error_code(await graphql(browser, "mutation { logOutEverywhere }")) for _ in range(5)
        ]
        query = await graphql(browser, "{ version }")
    # Per IP the limit is twice the per-person one: four mutations get through to the
    # permission check (nobody is logged in), the fifth is refused before it runs.
    assert codes == ["unauthenticated"] * 4 + ["rate_limited"]
    assert query["data"] is not None, "queries are not limited"
