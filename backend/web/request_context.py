"""Per-request values set by middleware: the language, the CSP nonce and the start of the
request that registry budgets count from (`backend.lib.registry_read.request_scope`).

They are context variables so that templates, e-mail rendering and formatting helpers read
them without threading the request through every call.
"""

from __future__ import annotations

import secrets
from contextvars import ContextVar
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from backend.lib.i18n import current_language, pick_language
from backend.lib.registry_read import request_scope
from backend.settings import Settings

current_nonce: ContextVar[str] = ContextVar("current_nonce", default="")

LANGUAGE_COOKIE = "lang"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw or f"{name}=" not in raw:  # parsing costs ~25 µs a request; most have no lang
        return None
    cookie: SimpleCookie = SimpleCookie()
    try:
        cookie.load(raw)
    except Exception:  # a malformed cookie header must not break the page
        return None
    morsel = cookie.get(name)
    return morsel.value if morsel else None


def _query_language(scope: Scope) -> str | None:
    """`?lang=` names the language of one page (hreflang alternates, the embedded widget in
    the host page's language); it outranks the cookie and is not remembered."""
    raw = scope.get("query_string") or b""
    if b"lang=" not in raw:
        return None
    values = parse_qs(raw.decode("latin-1")).get("lang")
    return values[0] if values else None


# Embeddable pages (the catalogue widget) may be framed by any site; every other page by none.
EMBED_PREFIX = "/embed/"


def content_security_policy(nonce: str, settings: Settings, *, framed: bool = False) -> str:
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
        "frame-ancestors *" if framed else "frame-ancestors 'none'",
    ]
    if settings.web.is_https:
        directives.append("upgrade-insecure-requests")
    return "; ".join(directives)


SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    (b"x-frame-options", b"DENY"),
)
# X-Frame-Options cannot say "anyone"; the CSP's frame-ancestors * does.
FRAMED_SECURITY_HEADERS = tuple(h for h in SECURITY_HEADERS if h[0] != b"x-frame-options")
HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
CSP = b"content-security-policy"
# Ours replace whatever a route set under these names.
OURS = frozenset({CSP, HSTS[0], *(name for name, _ in SECURITY_HEADERS)})


def response_headers(
    headers: list[tuple[bytes, bytes]],
    csp: bytes,
    language: str,
    https: bool,
    *,
    framed: bool = False,
) -> list[tuple[bytes, bytes]]:
    """A response's raw ASGI headers with the security headers added (built directly: this
    runs for every response, and header objects cost ~30 µs a request)."""
    kept = [(name, value) for name, value in headers if name.lower() not in OURS]
    present = {name.lower(): value for name, value in kept}
    security = FRAMED_SECURITY_HEADERS if framed else SECURITY_HEADERS
    added = [(CSP, csp), *security]
    # Pages are personal: never stored by browsers or proxies unless a route says otherwise
    # (static files carry their own long-lived Cache-Control).
    if present.get(b"content-type", b"").startswith(b"text/html"):
        if b"cache-control" not in present:
            added.append((b"cache-control", b"no-store"))
        # The service worker reads it to show the offline page in the same language.
        if b"content-language" not in present:
            added.append((b"content-language", language.encode()))
    if https:
        added.append(HSTS)
    return kept + added


def with_request_context(app: ASGIApp, settings: Settings) -> ASGIApp:
    """Wrap the whole ASGI app (including its 404 and 405 answers) with the per-request context.

    Litestar runs route middleware only for matched routes; this wrapper sits outside the
    router so that every response, error pages included, carries the security headers and is
    rendered in the person's language.
    """
    https = settings.web.is_https
    # The policy is the same but for the nonce: built once, around a slot for it.
    csp_before, csp_after = content_security_policy("\0", settings).split("\0")
    framed_before, framed_after = content_security_policy("\0", settings, framed=True).split("\0")

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        language = pick_language(
            _query_language(scope),
            _cookie(scope, LANGUAGE_COOKIE),
            accept_language=_header(scope, b"accept-language"),
        )
        nonce_value = secrets.token_urlsafe(18)
        framed = str(scope.get("path", "")).startswith(EMBED_PREFIX)
        if framed:
            csp = f"{framed_before}{nonce_value}{framed_after}".encode()
        else:
            csp = f"{csp_before}{nonce_value}{csp_after}".encode()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = response_headers(
                    list(message.get("headers") or ()), csp, language, https, framed=framed
                )
            await send(message)

        language_token = current_language.set(language)
        nonce_token = current_nonce.set(nonce_value)
        try:
            # Every registry read of this request counts its budget from here.
            with request_scope():
                await app(scope, receive, send_with_headers)
        finally:
            current_nonce.reset(nonce_token)
            current_language.reset(language_token)

    return wrapped


def nonce() -> str:
    return current_nonce.get()
