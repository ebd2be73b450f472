"""Signing keys kept as JWK files under the keys directory (settings `EADDRESS_KEYS_DIR`).

- the token key (HS256, symmetric): signs institutions' access tokens. Only this service ever
  verifies them, so a shared secret is enough and verification costs microseconds;
- the receipts key (ES256, asymmetric): signs proof documents; its public half is published
  at /.well-known/eaddress-receipts-jwks.json so that anyone can verify a proof.

A key is created on first use. Two processes starting together must not end up with different
keys, so the file is written to a temporary name and hard-linked into place: the link fails
for the loser, who then reads the winner's key.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from joserfc.jwk import ECKey, Key, OctKey, import_key

TOKEN_KEY_FILE = "eaddress-token.jwk.json"  # noqa: S105 - a file name
RECEIPTS_KEY_FILE = "eaddress-receipts.jwk.json"


def load_or_create_key(path: Path, generate: Callable[[], Key]) -> Key:
    """The key stored at `path`, created (mode 0600) if there is none yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = generate()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
        try:
            with os.fdopen(fd, "w") as handle:
                json.dump(key.as_dict(private=True), handle)
                handle.flush()
                os.fsync(handle.fileno())
            # Another process may have created it first: then use theirs.
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    data: dict[str, Any] = json.loads(path.read_text())
    key = import_key(data)
    if not key.kid:
        raise ValueError(f"key file {path.name} has no kid")
    return key


def _new_token_key() -> Key:
    return OctKey.generate_key(256, auto_kid=True)


def _new_receipts_key() -> Key:
    return ECKey.generate_key("P-256", auto_kid=True)


@dataclass
class KeyRing:
    """The e-address signing keys, loaded lazily (building services does no I/O)."""

    directory: Path
    # Typed loosely on purpose: Litestar inspects the types inside `Services` (a dependency),
    # and msgspec refuses joserfc's union of key classes.
    _cache: dict[str, Any] = field(default_factory=dict)

    def _get(self, name: str, generate: Callable[[], Key]) -> Key:
        if name not in self._cache:
            self._cache[name] = load_or_create_key(self.directory / name, generate)
        key: Key = self._cache[name]
        return key

    @property
    def token_key(self) -> Key:
        return self._get(TOKEN_KEY_FILE, _new_token_key)

    @property
    def receipts_key(self) -> Key:
        return self._get(RECEIPTS_KEY_FILE, _new_receipts_key)

    def receipts_jwks(self) -> dict[str, Any]:
        """The public JSON Web Key Set for proof documents (never the private part)."""
        public = self.receipts_key.as_dict(private=False)
        return {"keys": [{**public, "use": "sig", "alg": "ES256"}]}
