"""Project exceptions with stable, machine-readable codes.

Expected failures carry a `code` that clients may branch on (documented in the OpenAPI and the
GraphQL schema) and a `message` safe to show to a person. Nothing here may carry personal data:
messages are rendered to users and may end up in logs.
"""

from __future__ import annotations


class AppError(Exception):
    """An expected failure a client can act on."""

    status_code: int = 400
    code: str = "bad_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class BadInput(AppError):
    status_code = 400
    code = "bad_input"


class Unauthenticated(AppError):
    status_code = 401
    code = "unauthenticated"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"


class NotFound(AppError):
    status_code = 404
    code = "not_found"


class Conflict(AppError):
    status_code = 409
    code = "conflict"


class Unprocessable(AppError):
    status_code = 422
    code = "unprocessable"


class RateLimited(AppError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class UniqueViolation(Conflict):
    """A row with the same unique key exists; raised the same way on PostgreSQL and SQLite."""

    code = "duplicate"
