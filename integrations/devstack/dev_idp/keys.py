"""The provider's signing keys (RS256, joserfc): the newest signs, every kept key is published.

Keys persist in a JSON file when a path is given, so that a restarted provider still verifies
the ID tokens it issued before (RP-initiated logout sends them back as `id_token_hint`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from joserfc.jwk import KeySet, RSAKey

ALGORITHM = "RS256"
KEPT_KEYS = 5
"""Rotation keeps this many keys published; older ones are dropped."""


class SigningKeyError(RuntimeError):
    """The key file exists but cannot be used; the message names the file."""


def new_key() -> RSAKey:
    """A fresh 2048-bit RSA signing key whose `kid` is its RFC 7638 thumbprint."""
    return RSAKey.generate_key(
        2048, parameters={"use": "sig", "alg": ALGORITHM}, private=True, auto_kid=True
    )


class KeyRing:
    def __init__(self, keys: list[RSAKey], path: Path | None = None) -> None:
        if not keys:
            raise ValueError("a key ring needs at least one key")
        self._keys = keys
        self._path = path

    @classmethod
    def open(cls, path: Path | None) -> KeyRing:
        """Load the keys from `path`, or create and save one; no path: one key in memory."""
        if path is None:
            return cls([new_key()])
        if path.exists():
            return cls(_read(path), path)
        ring = cls([new_key()], path)
        ring._save()
        return ring

    @property
    def signing_key(self) -> RSAKey:
        return self._keys[-1]

    @property
    def kid(self) -> str:
        return str(self.signing_key.kid)

    def public_jwks(self) -> dict[str, Any]:
        """The JWKS document: public parts only, each with `kid`, `use` and `alg`."""
        return {"keys": [key.as_dict(private=False) for key in reversed(self._keys)]}

    def verification_keys(self) -> KeySet:
        return KeySet(list(self._keys))

    def rotate(self) -> RSAKey:
        """Sign with a new key from now on; the previous ones stay published."""
        self._keys = [*self._keys, new_key()][-KEPT_KEYS:]
        self._save()
        return self.signing_key

    def _save(self) -> None:
        if self._path is None:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_suffix(".tmp")
        document = {"keys": [key.as_dict(private=True) for key in self._keys]}
        # Created private from the start (no window in which the key is world-readable).
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(document, handle)
        tmp.replace(self._path)


def _read(path: Path) -> list[RSAKey]:
    try:
        document = json.loads(path.read_text())
        keys = [RSAKey.import_key(item) for item in document["keys"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SigningKeyError(
            f"cannot read the development identity provider's keys from {path} "
            f"({type(exc).__name__}); delete the file to generate new ones"
        ) from None
    if not keys or not all(key.is_private and key.kid for key in keys):
        raise SigningKeyError(f"{path} must hold private RSA keys with a kid")
    return keys
