"""A person is a person whatever provider they log in through: identities (issuer, subject)
are linked to one person, keyed by the personal code (else the eIDAS identifier). Pointing an
existing database at another provider (`OIDC_ISSUER` changed) must neither break seeding nor
split anyone in two."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from backend.app import create_app
from backend.auth.people import Claims, find_by_personal_code, record_person
from backend.auth.tables import Delegation, PersonIdentity
from backend.services import Services
from backend.settings import Settings, load_settings
from integrations.devstack.dev_idp import default_client
from integrations.devstack.personas import OZOLS_TECH, persona
from tests.auth_driver import graphql, login_as
from tests.conftest import base_environment
from tests.identities import unique_personal_code
from tests.idp_driver import RunningIdP, running_idp
from tests.sandbox_driver import TODAY
from tests.servers import bound_socket, serve

OLD_ISSUER = "https://old-provider.example"
ANNAS_LETTER = "nekustamā īpašuma nodokli"  # a demo message the seed gives Anna


def seed(settings: Settings, issuer: str) -> subprocess.CompletedProcess[str]:
    """`vienuviet seed` as `make run` runs it, against the test database, for `issuer`."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "DEBUG": "1",
        "DATABASE_URL": settings.database.url,
        "VAR_DIR": str(settings.web.var_dir),
        "OIDC_ISSUER": issuer,
    }
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", "seed"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _identities(person_id: uuid.UUID) -> set[str]:
    rows = await PersonIdentity.select(PersonIdentity.issuer).where(
        PersonIdentity.person == person_id
    )
    return {row["issuer"] for row in rows}


async def _ilzes_delegations() -> int:
    """Active delegations of Ozols Tech to Ilze (other tests may hold some of their own)."""
    count: int = await Delegation.count().where(
        (Delegation.company_number == OZOLS_TECH.registration_number)
        & (Delegation.grantee_personal_code == persona("ilze").personal_code)
        & Delegation.revoked_at.is_null()
    )
    return count


async def _me(browser: httpx.AsyncClient) -> dict[str, object]:
    body = await graphql(
        browser,
        "{ me { id personalCode delegationsReceived { companyRegistrationNumber } } "
        f'mailbox {{ search(text: "{ANNAS_LETTER}") {{ items {{ subject }} }} }} }}',
    )
    assert "errors" not in body, body
    data = body["data"]
    assert isinstance(data, dict)
    return data


async def test_seeding_after_the_issuer_changed_keeps_every_person_and_their_data(
    settings: Settings, services: Services, idp: RunningIdP, http: httpx.AsyncClient
) -> None:
    # var/ was seeded while OIDC_ISSUER named another provider…
    first = await asyncio.to_thread(seed, settings, OLD_ISSUER)
    assert first.returncode == 0, first.stderr
    anna = await find_by_personal_code(persona("anna").personal_code or "")
    ilze = await find_by_personal_code(persona("ilze").personal_code or "")
    assert anna is not None
    assert ilze is not None
    delegations = await _ilzes_delegations()

    # …and is seeded again after it changed (what `make run` does on every start).
    again = await asyncio.to_thread(seed, settings, settings.oidc.issuer)
    assert again.returncode == 0, again.stderr
    assert "UNIQUE" not in again.stderr

    # Logging in through the new provider finds the same people with the same data.
    await login_as(http, "anna", "eparaksts")
    me = await _me(http)
    assert me["me"]["id"] == str(anna.id)  # type: ignore[index]
    assert me["mailbox"]["search"]["items"]  # type: ignore[index]
    assert await _identities(anna.id) >= {OLD_ISSUER, settings.oidc.issuer}
    async with httpx.AsyncClient(base_url=str(http.base_url)) as browser:
        await login_as(browser, "ilze", "eparaksts")
        me = await _me(browser)
    assert me["me"]["id"] == str(ilze.id)  # type: ignore[index]
    received = me["me"]["delegationsReceived"]  # type: ignore[index]
    assert {"companyRegistrationNumber": OZOLS_TECH.registration_number} in received
    assert await _ilzes_delegations() == delegations  # the second seed added none


@asynccontextmanager
async def app_with_another_provider(
    services: Services, var_dir: Path
) -> AsyncIterator[tuple[str, RunningIdP]]:
    """The app once more, sharing the database, but logging people in through a second
    provider (another issuer that knows the same personas)."""
    app_sock = bound_socket()
    host, port = app_sock.getsockname()[:2]
    public_url = f"http://{host}:{port}"
    try:
        async with running_idp(default_client(public_url), today=TODAY) as other:
            env = base_environment(
                var_dir,
                public_url,
                OIDC_ISSUER=other.url,
                REGISTRY_URL=services.settings.registry.url,
                STORE_NAMESPACE=f"other-idp-{uuid.uuid4().hex[:8]}",
            )
            settings = load_settings(env)
            app_services = Services.build(settings, engine=services.engine)
            try:
                async with serve(create_app(settings, services=app_services), app_sock) as url:
                    yield url, other
            finally:
                await app_services.close_clients()
    finally:
        app_sock.close()


async def test_logging_in_through_another_provider_finds_the_same_person(
    services: Services, idp: RunningIdP, http: httpx.AsyncClient, var_dir: Path
) -> None:
    await login_as(http, "martins", "eparaksts")
    here = (await graphql(http, "{ me { id } }"))["data"]["me"]["id"]  # type: ignore[index]
    async with (
        app_with_another_provider(services, var_dir) as (url, other),
        httpx.AsyncClient(base_url=url, timeout=10) as browser,
    ):
        await login_as(browser, "martins", "eparaksts")
        there = (await graphql(browser, "{ me { id } }"))["data"]["me"]["id"]  # type: ignore[index]
    assert there == here
    # Both identities stay linked: logging in through the first again changes nothing.
    async with httpx.AsyncClient(base_url=str(http.base_url), timeout=10) as browser:
        await login_as(browser, "martins", "eparaksts")
        again = (await graphql(browser, "{ me { id } }"))["data"]["me"]["id"]  # type: ignore[index]
    assert again == here
    assert await _identities(uuid.UUID(str(here))) >= {idp.url, other.url}


def _claims(issuer: str, sub: str, code: str | None, eidas: str | None = None) -> Claims:
    return Claims(
        issuer=issuer,
        sub=sub,
        personal_code=code,
        eidas_id=eidas,
        given_name="Ieva",
        family_name="Liepa",
    )


async def test_a_provider_that_does_not_say_an_identifier_never_erases_it(
    services: Services,
) -> None:
    code = unique_personal_code()
    issuer, sub = f"https://id-{uuid.uuid4().hex[:6]}.example", str(uuid.uuid4())
    first = await record_person(_claims(issuer, sub, code), services.engine, login=True)
    # The same identity, the code claim missing (e.g. OIDC_PERSON_CODE_CLAIM misconfigured).
    again = await record_person(_claims(issuer, sub, None), services.engine, login=True)
    assert (again.id, again.personal_code) == (first.id, code)
    # Someone else (another identity, an eIDAS identifier) later said to have the same code:
    # two rows are never merged or the code moved silently; each keeps what it had.
    eidas, other_sub = f"FR/LV/{uuid.uuid4().hex[:12]}", str(uuid.uuid4())
    other = await record_person(
        _claims(issuer, other_sub, None, eidas), services.engine, login=True
    )
    assert other.id != first.id
    other = await record_person(
        _claims(issuer, other_sub, code, eidas), services.engine, login=True
    )
    assert (other.personal_code, other.eidas_id) == (None, eidas)
    assert (await find_by_personal_code(code)) == again
