"""What routes and pages of every feature ask of an HTTP request: where a redirect may go
back to (`safe_next`) and whether a load is speculative (`is_prefetch`)."""

from __future__ import annotations

from typing import Any

from litestar import Request


def safe_next(next_path: str | None, default: str = "/") -> str:
    """Only same-origin relative paths: `//evil.example` and `https://…` fall back to `default`."""
    if not next_path or not next_path.startswith("/") or next_path.startswith(("//", "/\\")):
        return default
    return next_path


def is_prefetch(request: Request[Any, Any, Any]) -> bool:
    """Speculative loads (link prefetch, prerender) say so in these headers: such a load is
    not the person looking, so it must not mark anything seen or opened."""
    purpose = request.headers.get("sec-purpose", "") + request.headers.get("purpose", "")
    return "prefetch" in purpose or "prerender" in purpose
