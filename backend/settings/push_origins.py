"""PUSH_ALLOWED_ORIGINS: the only places push subscriptions may point at and pushes go to.

Parsed strictly (docs/push-services.md): ASCII host names or, in development only, a loopback
address; `*.domain` for the hosts below a domain of two labels or more; `:*` for any port.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from backend.settings.declare import SettingsError

DEFAULT_PUSH_ORIGINS = (
    "https://fcm.googleapis.com",
    "https://updates.push.services.mozilla.com",
    "https://web.push.apple.com",
    "https://*.notify.windows.com",
)
"""The push services browsers subscribe to: Chrome, Edge (Chromium), Opera, Samsung
Internet (Firebase Cloud Messaging); Firefox (Mozilla); Safari (Apple); legacy Edge (WNS)."""
_PUSH_ORIGIN = re.compile(
    r"(?P<scheme>https?)://(?P<wild>\*\.)?(?P<host>[a-z0-9.-]+|\[[0-9a-f:.]+\])"
    r"(?::(?P<port>\*|[0-9]{1,5}))?/?"
)
_NAME_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


@dataclass(frozen=True)
class PushOrigin:
    """One entry of PUSH_ALLOWED_ORIGINS: where push requests may be sent."""

    scheme: str
    host: str
    """A lowercase ASCII name, a loopback IP address (IPv6 without brackets), or `*.` and a
    name: any host below that name (at least one more label), never the name itself."""
    port: int | None
    """None: any port (written `:*`)."""

    @property
    def loopback(self) -> bool:
        """The entry names a loopback address itself: the only way to reach loopback."""
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = (
            "" if self.port == (443 if self.scheme == "https" else 80) else f":{self.port or '*'}"
        )
        return f"{self.scheme}://{host}{port}"


def parse_push_origins(value: str, *, debug: bool) -> tuple[PushOrigin, ...]:
    """PUSH_ALLOWED_ORIGINS: comma-separated `https://host[:port]`, `https://*.domain`, port
    `*` for any. A loopback IP address (`http://127.0.0.1:*`) only in development; names are
    never allowed to resolve to loopback or private addresses, whatever they are."""
    origins: list[PushOrigin] = []
    for raw in value.split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        match = _PUSH_ORIGIN.fullmatch(entry)
        if match is None:
            raise SettingsError(
                f"PUSH_ALLOWED_ORIGINS: {raw.strip()!r} is not scheme://host[:port] with an ASCII "
                "host (other scripts as xn-- labels)"
            )
        host = match["host"].strip("[]")
        port = match["port"]
        default = 443 if match["scheme"] == "https" else 80
        origin = PushOrigin(
            match["scheme"],
            ("*." if match["wild"] else "") + host,
            None if port == "*" else int(port or default),
        )
        _check_push_origin(origin, raw.strip(), debug=debug)
        origins.append(origin)
    return tuple(origins)


def _check_push_origin(origin: PushOrigin, raw: str, *, debug: bool) -> None:
    host = origin.host.removeprefix("*.")
    wildcard = origin.host.startswith("*.")
    if origin.port is not None and not 0 < origin.port < 65536:
        raise SettingsError(f"PUSH_ALLOWED_ORIGINS: {raw!r} has no valid port")
    if _is_ip(host):
        if wildcard or not ipaddress.ip_address(host).is_loopback or not debug:
            raise SettingsError(
                f"PUSH_ALLOWED_ORIGINS: {raw!r}: an IP address may only be a loopback one, "
                "and only in development (DEBUG=1)"
            )
        return
    labels = host.split(".")
    if (
        labels[-1].isdigit()
        or labels[-1].startswith("0x")  # what resolvers read as an IPv4 address
        or (wildcard and len(labels) < 2)  # `*.com` is everybody
        or not all(_NAME_LABEL.fullmatch(label) for label in labels)
    ):
        raise SettingsError(
            f"PUSH_ALLOWED_ORIGINS: {raw!r} must name a host in ASCII (a wildcard: below a "
            "domain of two labels or more) or a loopback address"
        )
    if origin.scheme != "https":
        raise SettingsError(f"PUSH_ALLOWED_ORIGINS: {raw!r} must be https://")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
