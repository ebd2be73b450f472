from __future__ import annotations

import strawberry

from backend.auth.graphql.types import Me
from backend.graphql.context import Info
from backend.graphql.permissions import IsAuthenticated, viewer_of


@strawberry.type
class AuthQuery:
    @strawberry.field(
        description="The logged-in person. Error code `unauthenticated` when nobody is.",
        permission_classes=[IsAuthenticated],
    )
    def me(self, info: Info) -> Me:
        viewer = viewer_of(info)
        person = viewer.person
        return Me(
            id=strawberry.ID(str(person.id)),
            given_name=person.given_name,
            family_name=person.family_name,
            name=person.name,
            personal_code=person.personal_code,
            eidas_id=person.eidas_id,
            locale=person.locale,
            assurance_level=viewer.level,
        )
