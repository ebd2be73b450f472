from __future__ import annotations

from urllib.parse import quote

import strawberry

from backend.eaddress.graphql.scope import level_for, mailbox_reader, summary_reader
from backend.eaddress.graphql.types import (
    Mailbox,
    MailSummary,
    build_mail_summary,
    build_mailbox,
)
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, step_up_url, viewer_of

SUMMARY_MAX = 20


@strawberry.type
class EAddressQuery:
    @strawberry.field(
        description="The e-address mailbox of `subjectId` (default: whom the viewer acts as). "
        "Null with an error: `forbidden` for a mailbox the viewer may not read (no "
        "`view_mail`), `step_up_required` behind a login weaker than the e-address accepts. "
        "Nullable so that its error never takes the other fields of a query with it; "
        "`mailSummary` answers at any login level.",
        permission_classes=[IsAuthenticated],
    )
    async def mailbox(self, info: Info, subject_id: strawberry.ID | None = None) -> Mailbox | None:
        return await build_mailbox(info, await mailbox_reader(info, subject_id))

    @strawberry.field(
        description="Unopened official mail of `subjectId` (default: whom the viewer acts as): "
        "how many, and per message its sender and when it counts as received, at any login "
        "level (a company at the company level). The subjects need the e-address's level. "
        "`first` (1–20, default 5) messages, newest first. Errors as `mailbox`, except that "
        "a person's own weak login is no reason to hide that mail is waiting.",
        permission_classes=[IsAuthenticated],
    )
    async def mail_summary(
        self, info: Info, subject_id: strawberry.ID | None = None, first: int = 5
    ) -> MailSummary | None:
        reader = await summary_reader(info, subject_id)
        viewer = viewer_of(info)
        services = info.context.services
        needed = level_for(services, reader.subject_key)
        visible = viewer.level >= needed
        query = "" if reader.acts_for_self else f"?subject={quote(reader.subject_key)}"
        return await build_mail_summary(
            info,
            reader,
            max(1, min(first, SUMMARY_MAX)),
            content_visible=visible,
            step_up_url=None if visible else step_up_url(needed, f"/mail{query}"),
        )
