"""Institution client credentials: generated, shown once, stored as a slow salted hash.

scrypt (standard library) with n=2**14, r=8, p=1 costs ~16 MiB and tens of milliseconds per
check: cheap for a client that fetches a token every few minutes, expensive for someone who has
stolen the table. Comparison is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_KEY_BYTES = 32
_MAXMEM = 64 * 1024 * 1024


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_client_id() -> str:
    return "inst_" + secrets.token_hex(12)


def new_client_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(_SALT_BYTES)
    derived = hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=_KEY_BYTES
    )
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(derived)}"


def verify_secret(secret: str, stored: str) -> bool:
    """True if `secret` matches `stored`; False for a mismatch or a malformed hash."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        derived = hashlib.scrypt(
            secret.encode("utf-8"),
            salt=_unb64(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=_MAXMEM,
            dklen=_KEY_BYTES,
        )
    except ValueError:
        return False
    return hmac.compare_digest(derived, _unb64(expected))


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """Checked against when the client id is unknown, so that a wrong id costs as much time as
    a wrong secret and response times do not reveal which client ids exist."""
    return hash_secret(secrets.token_urlsafe(16))
