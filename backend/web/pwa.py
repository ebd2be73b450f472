"""What makes the site an installable, offline-capable app: the manifest, the service worker
and the offline page.

The service worker is a hand-written classic script (service_worker/sw.js). It is served at the
root so that its scope is the whole site, with `no-cache` so that browsers check it on every
visit, and it carries the static-asset version: any change to pwa/static yields a byte-different
worker, which browsers install as an update (new precache, old caches dropped).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from litestar import Request, Response, get
from litestar.params import FromQuery

from backend.lib import i18n
from backend.lib.assets import PWA_DIR, STATIC_DIR, StaticAssets
from backend.lib.texts import N_, in_language
from backend.settings import PushSettings

SERVICE_WORKER_PATH = PWA_DIR.parent / "service_worker" / "sw.js"
CONFIG_MARKER = "__CONFIG__"
OFFLINE_PATH = "/offline"
SUBSCRIPTIONS_PATH = "/push/subscriptions"
MANIFEST_TYPE = "application/manifest+json"

# The shell a person needs with no connection: styles, every ES module, the icons. Pages are
# never precached except the offline page, which carries no personal data.
PRECACHE_PATTERNS = ("css/*.css", "js/*.js", "js/**/*.js", "icons/*.png", "icons/*.svg")


@dataclass(frozen=True)
class ThemeColours:
    theme: str
    background: str


def theme_colours(css_path: Path = STATIC_DIR / "css" / "app.css") -> ThemeColours:
    """The theme and background colours, read from the stylesheet: one place to change them."""
    text = css_path.read_text(encoding="utf-8")

    def custom_property(name: str) -> str:
        match = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{3,8}})\s*;", text)
        if match is None:
            raise ValueError(f"{css_path.name} defines no --{name} colour")
        return match.group(1).lower()

    return ThemeColours(theme=custom_property("brand"), background=custom_property("surface"))


def precache_urls(assets: StaticAssets) -> list[str]:
    """Hashed URLs of the shell plus one offline page per language."""
    shell = sorted(
        {
            relative
            for relative in assets.hashes
            if any(Path(relative).match(pattern) for pattern in PRECACHE_PATTERNS)
        }
    )
    return [*offline_urls().values(), *(assets.url(relative) for relative in shell)]


def offline_urls() -> dict[str, str]:
    return {language: f"{OFFLINE_PATH}?lang={language}" for language in i18n.LANGUAGES}


# The app's screenshots (a phone, 390 × 844), shown by browsers' richer install dialogs.
# Copies of docs/screenshots/ (scripts/screenshots.py refreshes both).
SCREENSHOTS = (
    ("screenshots/dashboard-narrow.png", N_("Your registry data and what is coming up")),
    ("screenshots/mail-narrow.png", N_("Official e-address mail")),
    ("screenshots/obligations-narrow.png", N_("Deadlines and payments, by date")),
)


def build_manifest(
    assets: StaticAssets, colours: ThemeColours, language: str = i18n.DEFAULT_LANGUAGE
) -> dict[str, Any]:
    """The web app manifest in `language`: its names, description, shortcuts and screenshot
    labels are what the phone shows under the icon and in the install dialog."""

    def png(relative: str, size: int, purpose: str = "any") -> dict[str, str]:
        return {
            "src": assets.url(relative),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }

    with in_language(language):
        say = i18n.gettext
        return {
            "id": "/",  # the same app in every language: installing twice is impossible
            "name": "Vienuviet",
            "short_name": "Vienuviet",
            "description": say(
                N_("Your dealings with the state in one place: data, e-address and deadlines.")
            ),
            "lang": language,
            "dir": "ltr",
            "start_url": "/?source=pwa",
            "scope": "/",
            "display": "standalone",
            "orientation": "any",
            "theme_color": colours.theme,
            "background_color": colours.background,
            "categories": ["government", "productivity"],
            "icons": [
                png("icons/icon-192.png", 192),
                png("icons/icon-512.png", 512),
                png("icons/icon-maskable-512.png", 512, "maskable"),
                {
                    "src": assets.url("icons/icon.svg"),
                    "sizes": "any",
                    "type": "image/svg+xml",
                    "purpose": "any",
                },
            ],
            "screenshots": [
                {
                    "src": assets.url(relative),
                    "sizes": "390x844",
                    "type": "image/png",
                    "form_factor": "narrow",
                    "label": say(label),
                }
                for relative, label in SCREENSHOTS
            ],
            "shortcuts": [
                {
                    "name": say(N_("E-address mail")),
                    "short_name": say(N_("Mail")),
                    "url": "/mail?source=pwa-shortcut",
                    "icons": [png("icons/shortcut-mail-96.png", 96)],
                },
                {
                    "name": say(N_("Obligations and deadlines")),
                    "short_name": say(N_("Deadlines")),
                    "url": "/obligations?source=pwa-shortcut",
                    "icons": [png("icons/shortcut-obligations-96.png", 96)],
                },
            ],
        }


def render_service_worker(
    assets: StaticAssets, *, application_server_key: str | None, source: Path = SERVICE_WORKER_PATH
) -> str:
    """sw.js with its configuration (version, precache list, offline pages) written in."""
    script = source.read_text(encoding="utf-8")
    if script.count(CONFIG_MARKER) != 1:
        raise ValueError(f"{source} must contain {CONFIG_MARKER} exactly once")
    config = {
        "version": assets.version,
        "precache": precache_urls(assets),
        "offline": offline_urls(),
        "defaultLanguage": i18n.DEFAULT_LANGUAGE,
        "icon": assets.url("icons/icon-192.png"),
        "badge": assets.url("icons/badge-96.png"),
        "subscriptionsUrl": SUBSCRIPTIONS_PATH,
        "applicationServerKey": application_server_key,
    }
    return script.replace(CONFIG_MARKER, json.dumps(config, indent=2, sort_keys=True))


def application_server_key(push: PushSettings) -> str | None:
    """The VAPID public key (uncompressed P-256 point, base64url) the service worker subscribes
    with again after `pushsubscriptionchange`; None until a private key is configured."""
    raw = push.vapid_private_key
    if not raw:
        return None
    if "-----BEGIN" in raw:
        key = serialization.load_pem_private_key(raw.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("VAPID_PRIVATE_KEY must be an elliptic-curve (P-256) key")
    else:
        secret = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        key = ec.derive_private_key(int.from_bytes(secret, "big"), ec.SECP256R1())
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class PWAFiles:
    """Rendered once at start-up: both only change with a deployment."""

    manifests: dict[str, bytes]
    """One per language (`?lang=`), Latvian without one."""
    service_worker: bytes

    @classmethod
    def build(cls, assets: StaticAssets, *, application_server_key: str | None) -> PWAFiles:
        colours = theme_colours()
        return cls(
            manifests={
                language: json.dumps(
                    build_manifest(assets, colours, language), ensure_ascii=False, indent=2
                ).encode("utf-8")
                for language in i18n.LANGUAGES
            },
            service_worker=render_service_worker(
                assets, application_server_key=application_server_key
            ).encode("utf-8"),
        )


def _files(request: Request[Any, Any, Any]) -> PWAFiles:
    files: PWAFiles = request.app.state["pwa"]
    return files


@get("/manifest.webmanifest", include_in_schema=False, cache_control=None)
async def manifest(
    request: Request[Any, Any, Any], lang: FromQuery[str | None] = None
) -> Response[bytes]:
    """The manifest in the language of the page that links it (`?lang=`, base.html)."""
    manifests = _files(request).manifests
    return Response(
        manifests.get(lang or "", manifests[i18n.DEFAULT_LANGUAGE]),
        media_type=MANIFEST_TYPE,
        headers={"Cache-Control": "no-cache"},
    )


@get("/sw.js", include_in_schema=False, cache_control=None)
async def service_worker(request: Request[Any, Any, Any]) -> Response[bytes]:
    return Response(
        _files(request).service_worker,
        media_type="text/javascript",  # Litestar adds "; charset=utf-8" to text/*
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@get(OFFLINE_PATH, include_in_schema=False, cache_control=None)
async def offline(
    request: Request[Any, Any, Any], lang: FromQuery[str | None] = None
) -> Response[str]:
    """The page the service worker shows when a navigation fails; the same for everyone.

    It is precached once per language, so it is rendered in the language asked for in `lang`
    rather than the visitor's, and it never shows who is logged in.
    """
    language = lang if lang in i18n.LANGUAGES else i18n.current_language.get()
    token = i18n.current_language.set(language)
    try:
        engine = request.app.template_engine
        if engine is None:
            raise RuntimeError("the app has no template engine")
        template = engine.get_template("pages/offline.html")
        html = template.render(request=request)
    finally:
        i18n.current_language.reset(token)
    return Response(
        html,
        media_type="text/html",  # Litestar adds "; charset=utf-8" to text/*
        headers={"Cache-Control": "no-cache", "Content-Language": language},
    )
