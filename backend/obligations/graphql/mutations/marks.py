"""What the three marking mutations share: input, result types and the error mapping."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated

import strawberry

from backend.auth import audit
from backend.graphql.context import Info
from backend.graphql.permissions import viewer_of
from backend.graphql.results import (
    ForbiddenError,
    InvalidInput,
    NotFoundError,
    StepUpRequired,
    refusal,
)
from backend.lib.errors import BadInput, Forbidden, NotFound
from backend.obligations.graphql.types import resolve_subject
from backend.obligations.rules.base import Obligation
from backend.obligations.service import SubjectRef, marks_for


@strawberry.input
class ObligationInput:
    id: strawberry.ID
    subject_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: the subject the viewer acts as."
    )


@strawberry.type(description="The obligation's mark as it now stands.")
class ObligationMarked:
    obligation_id: strawberry.ID
    done: bool
    snoozed_until: date | None
    acknowledged: bool


MarkObligationResult = Annotated[
    ObligationMarked | NotFoundError | InvalidInput | ForbiddenError | StepUpRequired,
    strawberry.union("MarkObligationResult"),
]

Operation = Callable[[SubjectRef], Awaitable[Obligation]]


async def mark(
    info: Info, subject_id: strawberry.ID | None, action: str, run: Operation
) -> MarkObligationResult:
    """Resolve the subject, run the marking `run`, audit it, and answer with the mark."""
    viewer = viewer_of(info)
    try:
        access, subject = await resolve_subject(info, subject_id)
        obligation = await run(subject)
    except Forbidden as exc:
        return refusal(exc, "/obligations")
    except NotFound as exc:
        return NotFoundError(message=exc.message)
    except BadInput as exc:
        return InvalidInput(message=exc.message, code=exc.code)
    await audit.record(
        action,
        actor_id=viewer.person.id,
        subject_key=subject.key,
        object_id=obligation.id,
        detail={"basis": access.basis.value},
    )
    state = (await marks_for(subject.key)).get(obligation.occurrence)
    return ObligationMarked(
        obligation_id=strawberry.ID(obligation.id),
        done=bool(state and state.done),
        snoozed_until=state.snoozed_until if state else None,
        acknowledged=bool(state and state.acknowledged),
    )
