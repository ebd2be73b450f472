"""The typed context every resolver receives as `info.context`.

GraphQL over HTTP (`backend/graphql/http.py`) and server-rendered pages executing the schema
in-process (`backend/web/gql.py`) build it the same way, from the request's services and viewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from litestar import Request
from strawberry.types import Info as StrawberryInfo

from backend.auth.subjects import AccessList, subjects_for
from backend.auth.viewer import Viewer
from backend.lib.errors import Unauthenticated

if TYPE_CHECKING:
    from backend.services import Services


@dataclass
class Context:
    services: Services
    viewer: Viewer | None
    request: Request[Any, Any, Any] | None = None
    per_request: dict[str, Any] = field(default_factory=dict)
    """Memo for values computed once per request (e.g. a registry answer or a loader)."""

    async def subjects(self) -> AccessList:
        """Whom the viewer may act for; asked once per request however many fields need it."""
        if "subjects" not in self.per_request:
            if self.viewer is None:
                raise Unauthenticated("Log in to see this.")
            self.per_request["subjects"] = await subjects_for(
                self.viewer.person, self.services.auth.representations
            )
        access: AccessList = self.per_request["subjects"]
        return access


Info = StrawberryInfo[Context, None]
