"""What the mailbox mutations share: running one with the subject resolved and the service's
failures turned into the schema's result types."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry

from backend.eaddress.graphql.scope import mailbox_reader, public_not_found
from backend.eaddress.mailbox.access import MailboxAction, Reader
from backend.graphql.context import Info
from backend.graphql.results import (
    ForbiddenError,
    InvalidInput,
    NotFoundError,
    StepUpRequired,
    refusal,
)
from backend.lib.errors import AppError, BadInput, Forbidden, NotFound, Unprocessable

T = TypeVar("T")
Failure = NotFoundError | ForbiddenError | InvalidInput | StepUpRequired


async def run_in_mailbox(
    info: Info,
    subject_id: strawberry.ID | None,
    action: MailboxAction,
    operation: Callable[[Reader], Awaitable[T]],
    *,
    back_to: str = "/mail",
) -> T | Failure:
    """`operation(reader)`, or the failure as a result type (never an exception)."""
    try:
        reader = await mailbox_reader(info, subject_id, action)
        return await operation(reader)
    except Forbidden as exc:
        return refusal(exc, back_to)
    except NotFound as exc:
        return NotFoundError(message=public_not_found(exc).message)
    except (BadInput, Unprocessable) as exc:
        return InvalidInput(message=exc.message, code=exc.code)
    except AppError as exc:  # e.g. too many attachments
        return InvalidInput(message=exc.message, code=exc.code)
