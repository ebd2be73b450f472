"""deactivateEaddress: the viewer turns off their own personal e-address."""

from __future__ import annotations

import strawberry

from backend.eaddress import service
from backend.eaddress.graphql.mutations.activation import EaddressChangeResult, change
from backend.eaddress.mailbox.access import Reader
from backend.eaddress.mailbox.accounts import AccountInfo
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated


@strawberry.type
class DeactivateEaddressMutation:
    @strawberry.mutation(
        description="Institutions must send on paper again (their sends answer 422 "
        "`no_active_eaddress`); the mailbox stays readable. Idempotent. Code `no_eaddress` "
        "when it was never activated.",
        permission_classes=[IsAuthenticated],
    )
    async def deactivate_eaddress(self, info: Info) -> EaddressChangeResult:
        access = info.context.services.eaddress.access

        async def run(reader: Reader) -> AccountInfo:
            return await service.deactivate(reader, access)

        return await change(info, run)
