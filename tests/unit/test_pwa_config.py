"""The pieces of the service worker's configuration computed from settings and files."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.lib.assets import StaticAssets
from backend.settings import PushSettings
from backend.web.pwa import application_server_key, render_service_worker, theme_colours


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_application_server_key_from_pem_or_raw_private_key() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    numbers = key.public_key().public_numbers()
    expected = b"\x04" + numbers.x.to_bytes(32, "big") + numbers.y.to_bytes(32, "big")
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    raw = b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    assert application_server_key(PushSettings(vapid_private_key=pem)) == b64url(expected)
    assert application_server_key(PushSettings(vapid_private_key=raw)) == b64url(expected)
    assert application_server_key(PushSettings(vapid_private_key=None)) is None


def test_theme_colours_come_from_the_stylesheet(tmp_path: Path) -> None:
    css = tmp_path / "app.css"
    css.write_text(":root {\n  --brand: #123ABC;\n  --surface: #fafafa;\n}\n")
    colours = theme_colours(css)
    assert (colours.theme, colours.background) == ("#123abc", "#fafafa")
    css.write_text(":root { --surface: #fff; }")
    with pytest.raises(ValueError, match="--brand"):
        theme_colours(css)


def test_service_worker_needs_exactly_one_config_marker(tmp_path: Path) -> None:
    script = tmp_path / "sw.js"
    script.write_text("const CONFIG = 1;\n")
    with pytest.raises(ValueError, match="__CONFIG__"):
        render_service_worker(StaticAssets.scan(), application_server_key=None, source=script)
