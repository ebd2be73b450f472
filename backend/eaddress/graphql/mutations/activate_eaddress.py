"""activateEaddress: the viewer turns on their own personal e-address."""

from __future__ import annotations

import strawberry

from backend.eaddress import service
from backend.eaddress.graphql.mutations.activation import EaddressChangeResult, change
from backend.eaddress.mailbox.access import Reader
from backend.eaddress.mailbox.accounts import AccountInfo
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated


@strawberry.type
class ActivateEaddressMutation:
    @strawberry.mutation(
        description="From now on institutions deliver to the viewer's e-address instead of on "
        "paper (from age 14: code `too_young`). Idempotent. Always the viewer's own, whomever "
        "they act for: a company's e-address is always active.",
        permission_classes=[IsAuthenticated],
    )
    async def activate_eaddress(self, info: Info) -> EaddressChangeResult:
        access = info.context.services.eaddress.access

        async def run(reader: Reader) -> AccountInfo:
            return await service.activate(reader, access)

        return await change(info, run)
