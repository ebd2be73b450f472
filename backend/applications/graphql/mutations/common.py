"""What the application mutations share: inputs, result types and the error mapping."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from backend.applications.graphql.types import Application
from backend.applications.service import FormInvalid
from backend.graphql.results import (
    ForbiddenError,
    InvalidInput,
    NotFoundError,
    StepUpRequired,
    refusal,
)
from backend.lib.errors import BadInput, Forbidden, NotFound
from backend.lib.texts import render


@strawberry.input
class AnswerInput:
    field: str
    value: str


@strawberry.type(description="One answer that needs correcting, said in the viewer's language.")
class FieldError:
    field: str
    message: str


@strawberry.type(description="Some answers need correcting; nothing was saved.")
class AnswersInvalid:
    message: str
    errors: list[FieldError]
    code: str = "invalid_answers"


@strawberry.type
class ApplicationSaved:
    application: Application


ApplicationResult = Annotated[
    ApplicationSaved
    | AnswersInvalid
    | InvalidInput
    | NotFoundError
    | ForbiddenError
    | StepUpRequired,
    strawberry.union("ApplicationResult"),
]

MAX_ANSWERS = 50


def answers_of(answers: list[AnswerInput]) -> dict[str, str]:
    if len(answers) > MAX_ANSWERS:
        raise BadInput("Too many answers.", code="too_many_answers")
    return {a.field: a.value for a in answers}


async def run(action: Callable[[], Awaitable[Application]]) -> ApplicationResult:
    """`action`'s application, or the result type its refusal maps to."""
    try:
        return ApplicationSaved(application=await action())
    except FormInvalid as exc:
        return AnswersInvalid(
            message=exc.message,
            errors=[FieldError(field=k, message=render(v)) for k, v in exc.errors.items()],
        )
    except Forbidden as exc:
        return refusal(exc, "/applications")
    except NotFound as exc:
        return NotFoundError(message=exc.message)
    except BadInput as exc:
        return InvalidInput(message=exc.message, code=exc.code)
