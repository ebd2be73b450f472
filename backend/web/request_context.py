"""Per-request values set by middleware: the language and the CSP nonce.

Both are context variables so that templates, e-mail rendering and formatting helpers read
them without threading the request through every call.
"""

from __future__ import annotations

import secrets
from contextvars import ContextVar
from http.cookies import SimpleCookie

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from backend.settings import Settings
from backend.web.i18n import current_language, pick_language

current_nonce: ContextVar[str] = ContextVar("current_nonce", default="")

LANGUAGE_COOKIE = "lang"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    cookie: SimpleCookie = SimpleCookie()
    try:
        cookie.load(raw)
    except Exception:  # a malformed cookie header must not break the page
        return None
    morsel = cookie.get(name)
    return morsel.value if morsel else None


def content_security_policy(nonce: str, settings: Settings) -> str:
    # form-action must allow the identity provider: logout posts here and is redirected there.
    form_action = f"'self' {settings.oidc.issuer}"
    directives = [
        "default-src 'self'",
        f"script-src 'nonce-{nonce}' 'strict-dynamic'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        f"form-action {form_action}",
        "frame-ancestors 'none'",
    ]
    if settings.web.is_https:
        directives.append("upgrade-insecure-requests")
    return "; ".join(directives)


def with_request_context(app: ASGIApp, settings: Settings) -> ASGIApp:
    """Wrap the whole ASGI app (including its 404 and 405 answers) with the per-request context.

    Litestar runs route middleware only for matched routes; this wrapper sits outside the
    router so that every response, error pages included, carries the security headers and is
    rendered in the person's language.
    """
    https = settings.web.is_https

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        language = pick_language(
            _cookie(scope, LANGUAGE_COOKIE), accept_language=_header(scope, b"accept-language")
        )
        nonce_value = secrets.token_urlsafe(18)
        csp = content_security_policy(nonce_value, settings)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                headers["Content-Security-Policy"] = csp
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                headers["Permissions-Policy"] = (
                    "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
                )
                headers["X-Frame-Options"] = "DENY"
                # Pages are personal: never stored by browsers or proxies unless a route says
                # otherwise (static files carry their own long-lived Cache-Control).
                content_type = headers.get("content-type", "")
                if content_type.startswith("text/html") and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
                # The service worker reads it to show the offline page in the same language.
                if content_type.startswith("text/html") and "content-language" not in headers:
                    headers["Content-Language"] = language
                if https:
                    headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
            await send(message)

        language_token = current_language.set(language)
        nonce_token = current_nonce.set(nonce_value)
        try:
            await app(scope, receive, send_with_headers)
        finally:
            current_nonce.reset(nonce_token)
            current_language.reset(language_token)

    return wrapped


def nonce() -> str:
    return current_nonce.get()
