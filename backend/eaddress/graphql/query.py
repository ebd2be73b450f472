from __future__ import annotations

import strawberry

from backend.eaddress.graphql.scope import mailbox_reader
from backend.eaddress.graphql.types import Mailbox, build_mailbox
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated


@strawberry.type
class EAddressQuery:
    @strawberry.field(
        description="The e-address mailbox of `subjectId` (default: whom the viewer acts as). "
        "Errors: `forbidden` for a mailbox the viewer may not read (no `view_mail`), "
        "`step_up_required` behind a login weaker than the e-address accepts.",
        permission_classes=[IsAuthenticated],
    )
    async def mailbox(self, info: Info, subject_id: strawberry.ID | None = None) -> Mailbox:
        return await build_mailbox(info, await mailbox_reader(info, subject_id))
