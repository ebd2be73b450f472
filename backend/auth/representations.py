"""Representation rights from the Enterprise Register, read like every registry read on a page.

Every authorization decision needs a person's company roles, and so does almost every signed-in
page (the navigation, the acting-as subject, mail access, obligations). They are read through
the product's one registry read policy (`backend.lib.registry_read`): used without asking while
younger than `COMPANY_ROLES_TTL_S`; otherwise asked within the Enterprise Register's budget,
counted from the start of the request, behind its circuit breaker; and when the register fails
or does not answer in time, the last good roles (kept `COMPANY_ROLES_LAST_KNOWN_S`) are used,
so an outage neither holds pages nor locks representatives out of their companies' mail. With
nothing known, the answer says the roles could not be checked.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import datetime

from litestar.stores.base import Store

from backend.auth.subjects import CompanyRole, CompanyRoles
from backend.lib.registry_read import Known, read_through
from backend.lib.time import as_utc
from integrations.registries.enterprise_register.client import EnterpriseRegisterClient

log = logging.getLogger("vienuviet.auth")

STORE_NAME = "representations"
FORMAT = 1

Fetch = Callable[[str], Awaitable[list[CompanyRole]]]


class CachedRepresentations:
    """A `RepresentationSource` reading the register through `fetch`, keeping answers in
    `store` (one entry per person, kept for `last_known_s`)."""

    def __init__(
        self, fetch: Fetch, store: Store, *, ttl_s: int, last_known_s: int, budget_s: float
    ) -> None:
        self.fetch = fetch
        self.store = store
        self.ttl_s = ttl_s
        self.last_known_s = last_known_s
        self.budget_s = budget_s

    async def company_roles(self, personal_code: str) -> CompanyRoles:
        read = await read_through(
            lambda: self.fetch(personal_code),
            await self._kept(personal_code),
            ttl_s=self.ttl_s,
            budget_s=self.budget_s,
        )
        if read.known is None:
            log.warning("company roles could not be checked: %s", read.reason)
            return CompanyRoles((), "unavailable", reason=read.reason)
        if read.fetched:
            await self._keep(personal_code, read.known)
        elif read.status == "stale":
            log.info("company roles from the last known answer: %s", read.reason)
        return CompanyRoles(
            tuple(read.known.value), read.status, read.known.fetched_at, reason=read.reason
        )

    async def _kept(self, personal_code: str) -> Known[list[CompanyRole]] | None:
        raw = await self.store.get(key_for(personal_code))
        if raw is None:
            return None
        try:
            entry = json.loads(raw)
            if entry["v"] != FORMAT:
                return None
            roles = [CompanyRole(**item) for item in entry["roles"]]
            return Known(roles, as_utc(datetime.fromisoformat(entry["fetched_at"])))
        except (ValueError, TypeError, KeyError) as exc:  # another version, or damaged: a miss
            log.warning("unreadable company roles entry (%s)", type(exc).__name__)
            return None

    async def _keep(self, personal_code: str, known: Known[list[CompanyRole]]) -> None:
        entry = {
            "v": FORMAT,
            "fetched_at": known.fetched_at.isoformat(),
            "roles": [asdict(role) for role in known.value],
        }
        try:
            await self.store.set(
                key_for(personal_code), json.dumps(entry), expires_in=self.last_known_s
            )
        except Exception as exc:  # the roles are good to use; next time asks again
            log.error("company roles could not be kept: %s", type(exc).__name__)


def key_for(personal_code: str) -> str:
    """The store key of a person's kept roles."""
    return f"roles:{personal_code}"


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
