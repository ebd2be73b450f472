"""Preview links: a version of a service shown as the portal will show it, before it is
public, to whoever holds the link (the institution's reviewers need no API token).

The token is `<service id>.<version>.<expiry>.<HMAC>` signed with SECRET_KEY: nothing is
stored, it cannot be altered to show another version, and it stops working after a day.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from dataclasses import dataclass

TTL_S = 24 * 3600
PATH = "/catalogue/preview"
_TOKEN = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)\.(\d{1,9})\.(\d{1,12})\.([0-9a-f]{64})$")


@dataclass(frozen=True)
class PreviewTarget:
    service_id: str
    version: int


def _mac(secret: str, body: str) -> str:
    return hmac.new(
        secret.encode(), b"catalogue-preview|" + body.encode(), hashlib.sha256
    ).hexdigest()


def make_token(secret: str, service_id: str, version: int, *, now: float | None = None) -> str:
    expires = int((time.time() if now is None else now) + TTL_S)
    body = f"{service_id}.{version}.{expires}"
    return f"{body}.{_mac(secret, body)}"


def read_token(secret: str, token: str, *, now: float | None = None) -> PreviewTarget | None:
    """What a valid, unexpired token shows; None for anything else."""
    found = _TOKEN.fullmatch(token)
    if found is None:
        return None
    service_id, version, expires, mac = found.groups()
    if not hmac.compare_digest(mac, _mac(secret, f"{service_id}.{version}.{expires}")):
        return None
    if int(expires) < (time.time() if now is None else now):
        return None
    return PreviewTarget(service_id, int(version))


def preview_url(public_url: str, secret: str, service_id: str, version: int) -> str:
    return f"{public_url}{PATH}/{make_token(secret, service_id, version)}"
