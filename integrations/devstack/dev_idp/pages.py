"""HTML pages of the provider: the persona picker and short messages, under a strict CSP.

No JavaScript anywhere. `form-action` names the relying party's origin as well as 'self',
because browsers apply it to the redirect that follows the picker's POST.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import MediaType, Response

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def stylesheet() -> bytes:
    return (TEMPLATES / "idp.css").read_bytes()


def origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def content_security_policy(form_targets: Iterable[str] = ()) -> str:
    targets = " ".join(sorted({o for url in form_targets if (o := origin(url))}))
    return "; ".join(
        [
            "default-src 'none'",
            "style-src 'self'",
            f"form-action 'self' {targets}".strip(),
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ]
    )


def security_headers(csp: str | None = None) -> dict[str, str]:
    return {
        "Content-Security-Policy": csp or content_security_policy(),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-store",
    }


def render(
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    form_targets: Iterable[str] = (),
    cookies: Iterable[Any] = (),
) -> Response[str]:
    html = _environment().get_template(template).render(**context)
    return Response(
        content=html,
        status_code=status,
        media_type=MediaType.HTML,
        headers=security_headers(content_security_policy(form_targets)),
        cookies=list(cookies),
    )


def message(
    base_path: str,
    title: str,
    *paragraphs: str,
    status: int = 200,
    title_lv: str | None = None,
    confirm: dict[str, Any] | None = None,
) -> Response[str]:
    context = {
        "base_path": base_path,
        "title": title,
        "title_lv": title_lv,
        "paragraphs": paragraphs,
        "confirm": confirm,
    }
    return render("message.html", context, status=status)
