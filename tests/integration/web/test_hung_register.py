"""A hung Enterprise Register must not hold the signed-in pages.

The register is asked on every page: company roles decide the navigation, the acting-as
subject, mail access, obligations and the company pages, and the person's own dashboard has an
Enterprise Register source. With the register hung (the sandbox's fault that never answers),
every page answers with the last good company roles when they are known and says it could not
check them otherwise.

No clock is read here: the hang outlasts the test client's patience (and the app's registry
read timeout is longer still), so a page that waits for the register fails with the client's
timeout. That the shipped budgets keep a page within 3 s is a property of the settings,
asserted in `tests/unit/test_registry_read.py`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from html import unescape

import httpx
import pytest

from backend.services import Services
from backend.settings import DASHBOARD_SOURCES, DEFAULT_SOURCE_POLICIES, Settings
from integrations.devstack.personas import OZOLS_TECH
from tests.integration.dashboard.conftest import DashboardApp, dashboard_app
from tests.sandbox_driver import Sandbox

PAGES = (
    "/",
    "/mail",
    "/obligations",
    "/notifications",
    "/settings/notifications",
    "/account",
    "/company",
    "/privacy",
)
HTML = {"accept": "text/html", "accept-language": "en"}
CLIENT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 60
COULD_NOT_CHECK = "The Enterprise Register is not answering right now, so your companies may"
AS_LAST_STATED = "The Enterprise Register is not answering right now. Your companies are shown"


@pytest.fixture
async def sandbox(registry_sandbox: Sandbox) -> AsyncIterator[Sandbox]:
    """The shared sandbox, without faults before and after."""
    await registry_sandbox.reset()
    yield registry_sandbox
    await registry_sandbox.reset()


@pytest.fixture(scope="module")
async def shipped_app(
    settings: Settings, services: Services, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[DashboardApp]:
    """The shipped budgets (the suite stretches them for a busy machine), company roles asked
    on every page (their freshness at 0 s; the last known roles still kept), and a registry
    read timeout far beyond the client's: only a deadline ends a wait for the hung register."""
    env = {
        f"DASHBOARD_{source.upper()}_BUDGET_MS": str(
            round(DEFAULT_SOURCE_POLICIES[source].budget_s * 1000)
        )
        for source in DASHBOARD_SOURCES
    }
    env |= {"REGISTRY_READ_TIMEOUT_S": str(READ_TIMEOUT_S), "COMPANY_ROLES_TTL_S": "0"}
    var_dir = tmp_path_factory.mktemp("hung-register")
    async with dashboard_app(settings, services, var_dir, **env) as app:
        yield app


def text(page: httpx.Response) -> str:
    return " ".join(unescape(page.text).split())


def shows_company_link(page: httpx.Response) -> bool:
    return '<a href="/company"' in page.text


async def hang_the_register(sandbox: Sandbox) -> None:
    assert sandbox.settings.hang_max_s > CLIENT_TIMEOUT_S  # the hang outlasts the client
    await sandbox.fault("enterprise_register", hang=True)


async def test_pages_show_the_last_good_company_roles_while_the_register_hangs(
    shipped_app: DashboardApp, sandbox: Sandbox
) -> None:
    async with shipped_app.browser("martins", patience_s=CLIENT_TIMEOUT_S) as martins:
        account = await martins.get("/account", headers=HTML)  # the register answers: kept
        assert OZOLS_TECH.name in text(account)
        await hang_the_register(sandbox)
        for path in PAGES:
            page = await martins.get(path, headers=HTML)
            assert page.status_code == 200, path
            assert shows_company_link(page), path  # he still acts for his companies
            assert COULD_NOT_CHECK not in text(page), path
        for path in ("/account", "/company"):
            page = text(await martins.get(path, headers=HTML))
            assert OZOLS_TECH.name in page, path
            assert AS_LAST_STATED in page, path


async def test_pages_say_the_companies_could_not_be_checked_when_none_are_known(
    shipped_app: DashboardApp, sandbox: Sandbox
) -> None:
    await hang_the_register(sandbox)
    async with shipped_app.browser("edgars", patience_s=CLIENT_TIMEOUT_S) as edgars:
        for path in PAGES:
            page = await edgars.get(path, headers=HTML)
            assert page.status_code == 200, path
            assert not shows_company_link(page), path
        for path in ("/account", "/company"):
            assert COULD_NOT_CHECK in text(await edgars.get(path, headers=HTML)), path


async def test_acting_for_a_company_goes_on_while_the_register_hangs(
    shipped_app: DashboardApp, sandbox: Sandbox
) -> None:
    ozols = f"company:{OZOLS_TECH.registration_number}"
    async with shipped_app.browser("martins", acting_as=ozols, patience_s=CLIENT_TIMEOUT_S) as m:
        assert (await m.get("/company", headers=HTML)).status_code == 200  # roles known now
        await hang_the_register(sandbox)
        for path in PAGES:
            page = await m.get(path, headers=HTML)
            assert page.status_code == 200, path
        company = text(await m.get("/company", headers=HTML))
        assert "You are acting for this company." in company
