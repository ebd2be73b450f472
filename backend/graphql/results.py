"""Expected failures as GraphQL types: mutations answer a union of success and these."""

from __future__ import annotations

import strawberry

from backend.auth.assurance import Level, StepUpNeeded
from backend.graphql.permissions import step_up_url
from backend.lib.errors import Forbidden

# Registers the GraphQL enum on the domain enum itself, so `Level` is used in annotations.
strawberry.enum(Level, name="AssuranceLevel", description="Level of assurance of a login (eIDAS).")


@strawberry.type(description="The action needs a stronger login; send the person to loginUrl.")
class StepUpRequired:
    message: str
    required_level: Level
    login_url: str

    @classmethod
    def for_level(cls, level: Level, next_path: str = "/") -> StepUpRequired:
        return cls(
            message="Log in with eParaksts or an eID card to continue.",
            required_level=level,
            login_url=step_up_url(level, next_path),
        )


@strawberry.type(description="The viewer may not do this.")
class ForbiddenError:
    message: str
    code: str = "forbidden"


@strawberry.type(description="Nothing with that id is visible to the viewer.")
class NotFoundError:
    message: str
    code: str = "not_found"


@strawberry.type(description="The input was not accepted; `code` says why, `field` where.")
class InvalidInput:
    message: str
    code: str
    field: str | None = None


def refusal(exc: Forbidden, next_path: str = "/") -> StepUpRequired | ForbiddenError:
    """The guard's refusal (`backend.auth.subjects.authorize`) as a result type."""
    if isinstance(exc, StepUpNeeded):
        return StepUpRequired.for_level(exc.level, next_path)
    return ForbiddenError(message=exc.message)
