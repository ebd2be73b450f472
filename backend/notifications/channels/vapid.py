"""The VAPID key pair that identifies Vienuviet to push services.

`VAPID_PRIVATE_KEY` (a PEM, or base64url of the raw 32-byte key or of its DER) wins; otherwise
the key lives in `VAR_DIR/vapid_private_key.pem`, created by `vienuviet vapid` or at first use.
The public key (base64url of the uncompressed P-256 point) is the PWA's
`applicationServerKey`; changing the key invalidates every subscription, so it is created once.
"""

from __future__ import annotations

import base64
import contextlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02

from backend.settings import Settings, SettingsError

KEY_FILE = "vapid_private_key.pem"


def key_path(settings: Settings) -> Path:
    return settings.web.var_dir / KEY_FILE


def _from_setting(value: str) -> Vapid02:
    try:
        if "-----BEGIN" in value:
            return Vapid02.from_pem(value.strip().encode())
        return Vapid02.from_string(value.strip())
    except Exception:
        raise SettingsError(
            "VAPID_PRIVATE_KEY must be a P-256 private key: PEM, or base64url of the raw key"
        ) from None


def _create(path: Path) -> None:
    """Write a new key unless one exists; safe when two processes start at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    vapid = Vapid02()
    vapid.generate_keys()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(vapid.private_pem())
    try:
        os.link(tmp, path)  # fails if another process got there first: theirs wins
    except FileExistsError:
        pass
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def load_vapid(settings: Settings, *, create: bool = True) -> Vapid02:
    """The configured key, or the one under VAR_DIR (created if missing and `create`)."""
    if settings.push.vapid_private_key:
        return _from_setting(settings.push.vapid_private_key)
    path = key_path(settings)
    if not path.exists():
        if not create:
            raise SettingsError("no VAPID key: set VAPID_PRIVATE_KEY or run `vienuviet vapid`")
        _create(path)
    return Vapid02.from_pem(path.read_bytes())


def public_key(vapid: Vapid02) -> str:
    """base64url (unpadded) of the uncompressed public point: the `applicationServerKey`."""
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
