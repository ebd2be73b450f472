"""logOutEverywhere: end every session of the viewer, this one included."""

from __future__ import annotations

import strawberry

from backend.auth import audit
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of


@strawberry.type
class LogOutEverywhereMutation:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="End all of the viewer's sessions on every device. Returns true.",
    )
    async def log_out_everywhere(self, info: Info) -> bool:
        viewer = viewer_of(info)
        sessions = info.context.services.auth.sessions
        await sessions.end_all(str(viewer.person.id))
        await sessions.destroy(viewer.session_id)
        await audit.record(
            "logout_everywhere", actor_id=viewer.person.id, subject_key=viewer.person.subject_key
        )
        return True
