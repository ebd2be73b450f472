"""CSRF protection for form posts: Litestar's double-submit cookie, made safe for any body.

Litestar's middleware is the first to read a posted form (for its `_csrf_token` field), so
two things are fixed here, where every form post passes:

- It compares the token with `hmac.compare_digest`, which raises `TypeError` for a file (a
  multipart part with a filename) and for text with non-ASCII characters: a 500 instead of a
  refusal. Such a token is simply a mismatch here (403). Real tokens are ASCII.
- Files in a multipart form are spooled to temporary files, which Litestar closes after the
  route handler; a post the middleware refuses never reaches it, so each file posted with a
  missing or wrong token held a file handle (past the spool size, a temporary file) until
  garbage collection. They are closed here when the request ends, whatever the outcome.
"""

from __future__ import annotations

from typing import Any

from litestar.config.csrf import CSRFConfig
from litestar.datastructures import UploadFile
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware as LitestarCSRFMiddleware
from litestar.types import Receive, Scope, Send
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState


class CSRFMiddleware(LitestarCSRFMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await _close_uploads(scope)

    def _csrf_tokens_match(self, request_csrf_token: Any, cookie_csrf_token: Any) -> bool:
        if not (_ascii_text(request_csrf_token) and _ascii_text(cookie_csrf_token)):
            return False
        return super()._csrf_tokens_match(request_csrf_token, cookie_csrf_token)


def _ascii_text(value: object) -> bool:
    return isinstance(value, str) and value.isascii()


async def _close_uploads(scope: Scope) -> None:
    """Close the files of the form this request parsed, if it parsed one."""
    form: dict[str, Any] = value_or_default(ScopeState.from_scope(scope).form, {}) or {}
    for value in form.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, UploadFile):
                await item.close()


def csrf_middleware(config: CSRFConfig) -> DefineMiddleware:
    """The app's CSRF middleware for `config` (in place of `Litestar(csrf_config=…)`, which
    always builds Litestar's own class)."""
    return DefineMiddleware(CSRFMiddleware, config=config)
