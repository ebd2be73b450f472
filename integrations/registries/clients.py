"""`RegistryClients`: one client per registry, built from settings, closed together.

No module-level singletons: the composition root (`backend.services.Services`) builds one
container per process; tests build their own against a sandbox on loopback.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from backend.settings import RegistrySettings
from integrations.registries._http import SourceHttp
from integrations.registries.csdd.client import CsddClient
from integrations.registries.enterprise_register.client import EnterpriseRegisterClient
from integrations.registries.land_service.client import LandServiceClient
from integrations.registries.municipalities.client import MunicipalitiesClient
from integrations.registries.nhs.client import NhsClient
from integrations.registries.population_register.client import PopulationRegisterClient
from integrations.registries.srs.client import SrsClient
from integrations.registries.ssia.client import SsiaClient


@dataclass(frozen=True)
class RegistryClients:
    population_register: PopulationRegisterClient
    ssia: SsiaClient
    nhs: NhsClient
    csdd: CsddClient
    land_service: LandServiceClient
    srs: SrsClient
    municipalities: MunicipalitiesClient
    enterprise_register: EnterpriseRegisterClient

    @classmethod
    def from_settings(
        cls,
        settings: RegistrySettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> RegistryClients:
        """Build every client; no I/O happens until the first call. `clock` drives the circuit
        breakers (tests pass a fake one)."""

        tls = ssl.create_default_context()  # one is enough, and building one is slow

        def http(source: str) -> SourceHttp:
            return SourceHttp(source, settings, clock=clock, transport=transport, tls=tls)

        return cls(
            population_register=PopulationRegisterClient(http("population_register")),
            ssia=SsiaClient(http("ssia")),
            nhs=NhsClient(http("nhs")),
            csdd=CsddClient(http("csdd")),
            land_service=LandServiceClient(http("land_service")),
            srs=SrsClient(http("srs")),
            municipalities=MunicipalitiesClient(http("municipalities")),
            enterprise_register=EnterpriseRegisterClient(http("enterprise_register")),
        )

    def sources(self) -> dict[str, SourceHttp]:
        """Each registry's HTTP layer by source name (for breaker state and health pages)."""
        return {
            client.source: client.http
            for client in (
                self.population_register,
                self.ssia,
                self.nhs,
                self.csdd,
                self.land_service,
                self.srs,
                self.municipalities,
                self.enterprise_register,
            )
        }

    async def aclose(self) -> None:
        for http in self.sources().values():
            await http.aclose()
