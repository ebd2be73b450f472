"""`create_sandbox_app(settings)`: the registry sandbox, a separate Litestar app.

Nothing runs at import; every piece of mutable state (faults, clock, counters, SMS, signing key)
belongs to the app instance, so two sandboxes in one process are independent.
"""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar, Response, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from integrations.devstack.sandbox import admin, oauth, sms
from integrations.devstack.sandbox.settings import SandboxSettings
from integrations.devstack.sandbox.sources import (
    csdd,
    enterprise_register,
    land_service,
    municipalities,
    nhs,
    population_register,
    srs,
    ssia,
)
from integrations.devstack.sandbox.state import SandboxState
from integrations.devstack.sandbox.wrapper import with_faults

REGISTRIES_DIR = Path(__file__).resolve().parents[2] / "registries"  # their OpenAPI contracts
CONTRACTS = (
    "population_register",
    "ssia",
    "nhs",
    "csdd",
    "land_service",
    "srs",
    "municipalities",
    "enterprise_register",
)


@get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get("/contracts/{source:str}", include_in_schema=False)
async def contract(source: FromPath[str]) -> Response[bytes]:
    """`/contracts/nhs`: the registry's OpenAPI file (integrations/<source>/openapi.yaml)."""
    if source not in CONTRACTS:
        raise NotFoundException("No such contract")
    body = (REGISTRIES_DIR / source / "openapi.yaml").read_bytes()
    return Response(body, media_type="application/yaml")


def create_sandbox_app(settings: SandboxSettings | None = None) -> Litestar:
    settings = settings or SandboxSettings()
    state = SandboxState(settings)
    app = Litestar(
        route_handlers=[
            healthz,
            contract,
            oauth.token_endpoint,
            sms.send_sms,
            admin.router,
            population_register.router,
            ssia.router,
            nhs.router,
            csdd.router,
            land_service.router,
            srs.router,
            municipalities.router,
            enterprise_register.router,
        ],
        state=State({"sandbox": state}),
        openapi_config=None,  # the contracts are the hand-written files under integrations/
        logging_config=None,
        debug=False,
    )
    app.asgi_handler = with_faults(app.asgi_handler, state)
    return app
