"""Representation rights from the Enterprise Register, cached in the store.

Every authorization decision needs them, so they are cached per person for a few minutes. When
the register cannot answer, the last known answer (kept for a day) is used and marked stale,
so a registry outage does not lock representatives out of their companies' mail.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict

from litestar.stores.base import Store

from backend.auth.subjects import CompanyRole
from integrations.enterprise_register.client import EnterpriseRegisterClient

log = logging.getLogger("vienuviet.auth")

FRESH_S = 300
LAST_KNOWN_S = 24 * 3600

Fetch = Callable[[str], Awaitable[list[CompanyRole]]]


class CachedRepresentations:
    def __init__(self, fetch: Fetch, store: Store) -> None:
        self.fetch = fetch
        self.store = store

    async def company_roles(self, personal_code: str) -> list[CompanyRole]:
        fresh_key, known_key = f"fresh:{personal_code}", f"known:{personal_code}"
        cached = await self.store.get(fresh_key)
        if cached is not None:
            return [CompanyRole(**item) for item in json.loads(cached)]
        try:
            roles = await self.fetch(personal_code)
        except Exception as exc:
            known = await self.store.get(known_key)
            if known is None:
                raise
            log.warning(
                "enterprise register unavailable (%s); using last known roles", type(exc).__name__
            )
            return [CompanyRole(**item) for item in json.loads(known)]
        payload = json.dumps([asdict(role) for role in roles])
        await self.store.set(fresh_key, payload, expires_in=FRESH_S)
        await self.store.set(known_key, payload, expires_in=LAST_KNOWN_S)
        return roles


def from_enterprise_register(client: EnterpriseRegisterClient) -> Fetch:
    """Company roles of a person as the Enterprise Register states them today.

    A company struck off the register (`excluded`) is represented by no one.
    """

    async def fetch(personal_code: str) -> list[CompanyRole]:
        roles: list[CompanyRole] = []
        for company in await client.companies_for_person(personal_code):
            officer = company.officer(personal_code)
            if officer is None or company.status == "excluded":
                continue
            roles.append(
                CompanyRole(
                    registration_number=company.registration_number,
                    name=f"{company.name} {company.legal_form}".strip(),
                    role=officer.role,
                    representation=officer.representation,
                )
            )
        return roles

    return fetch
