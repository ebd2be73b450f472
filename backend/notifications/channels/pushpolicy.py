"""Where push requests may go: a subscription's endpoint is a URL the browser hands us, so
without a policy anyone could make the worker post to any address it can reach (SSRF).

Three checks, each at its own moment:
- the host is written the one way it can be read (`canonical_host`): a name in lowercase
  IDNA A-labels or an IP address in its standard form. Resolvers also read `2130706433`,
  `127.1`, `0x7f.1` and `0177.0.0.1` as 127.0.0.1; such spellings are refused, not guessed at;
- the origin is on PUSH_ALLOWED_ORIGINS (`PushPolicy.permit`): by default only the push
  services browsers use;
- every address the name resolves to is public (`public_addresses`): never private, loopback,
  link-local, shared (CGNAT), multicast or reserved. Loopback only where an entry of the list
  is a loopback address itself (development and tests). Checked when a subscription is stored
  and again whenever a connection is opened — to the very address that was checked, so a name
  that changes its answer in between (DNS rebinding) gains nothing.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from backend.settings import PushOrigin

log = logging.getLogger("vienuviet.notifications")

Resolve = Callable[[str, int], Awaitable[list[str]]]
"""host, port → the addresses the name resolves to (raises OSError when it does not)."""
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class ForbiddenAddress(ConnectionError):
    """The name resolves to an address pushes must never reach. A ConnectionError, so the
    sender treats it like a push service it cannot reach: retried later, nobody blamed."""


async def system_resolve(host: str, port: int) -> list[str]:
    """The operating system's resolver (getaddrinfo), in the loop's executor."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@lru_cache(maxsize=1024)  # per message, yet push services are a handful of hosts
def canonical_host(host: str) -> str:
    """The host as it must be written; ValueError for any other spelling.

    `host` is urlsplit's `hostname` (lowercase, IPv6 without brackets)."""
    if ":" in host:
        return _standard_ip(host, ipaddress.IPv6Address)
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValueError("not a host name") from None
    labels = ascii_host.split(".")
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        # What an URL parser or resolver would read as an IPv4 address (the WHATWG URL
        # standard's rule): only the dotted-quad spelling is one. IPv4Address itself
        # refuses 127.1, 0x7f.1 and 0177.0.0.1.
        return _standard_ip(ascii_host, ipaddress.IPv4Address)
    if len(ascii_host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueError("not a host name")
    return ascii_host


def _standard_ip(host: str, kind: type[IPAddress]) -> str:
    try:
        address = kind(host)
    except ValueError:
        raise ValueError("not an IP address in its standard form") from None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id is not None:
        raise ValueError("not an IP address of the internet (a zone is local)")
    if kind is ipaddress.IPv4Address and str(address) != host:
        raise ValueError("not an IP address in its standard form")
    return str(address)


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def address_allowed(address: str, *, loopback: bool) -> bool:
    """True if a push may connect to `address`: a public unicast address, or a loopback one
    where the policy entry allows it."""
    ip: IPAddress = ipaddress.ip_address(address.partition("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv6 spellings of an IPv4 address reach that address: judge it instead.
        if ip.ipv4_mapped is not None:  # ::ffff:127.0.0.1
            ip = ip.ipv4_mapped
        elif ip in _NAT64:  # 64:ff9b::a00:1 through a NAT64 gateway
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        elif ip.sixtofour is not None:  # 2002:a00:1::
            ip = ip.sixtofour
    if ip.is_loopback:
        return loopback
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


@dataclass(frozen=True)
class Permit:
    """An origin the policy allows; `loopback`: its entry names a loopback address."""

    loopback: bool = False


class PushPolicy:
    """PUSH_ALLOWED_ORIGINS and the resolver: where pushes may go."""

    def __init__(self, origins: Sequence[PushOrigin], resolve: Resolve = system_resolve) -> None:
        self.origins = tuple(origins)
        self.resolve = resolve
        self._permits: dict[tuple[str, str, int], Permit | None] = {}

    def permit(self, scheme: str, host: str, port: int) -> Permit | None:
        """The permit for a canonical (scheme, host, port), or None: not a place to push to."""
        key = (scheme, host, port)
        if key not in self._permits:  # a handful of push services: computed once each
            self._permits[key] = self._match(scheme, host, port)
        return self._permits[key]

    def _match(self, scheme: str, host: str, port: int) -> Permit | None:
        for origin in self.origins:
            if origin.scheme != scheme or (origin.port is not None and origin.port != port):
                continue
            if origin.host.startswith("*."):
                suffix = origin.host[1:]  # ".notify.windows.com": a label must come before
                if host.endswith(suffix) and len(host) > len(suffix) and not is_ip(host):
                    return Permit()
            elif host == origin.host:
                return Permit(loopback=origin.loopback)
        return None

    async def addresses(self, host: str, port: int, permit: Permit) -> list[str]:
        """`allowed_addresses` with this policy's resolver."""
        return await allowed_addresses(host, port, permit, self.resolve)


async def allowed_addresses(host: str, port: int, permit: Permit, resolve: Resolve) -> list[str]:
    """The addresses to connect to for `host`: every one allowed, or ForbiddenAddress. A name
    with one forbidden address among public ones is refused whole: that is a misconfigured or
    hostile zone, not a push service. Resolver failures (OSError) pass through."""
    addresses = [host] if is_ip(host) else await resolve(host, port)
    if not addresses or not all(address_allowed(a, loopback=permit.loopback) for a in addresses):
        log.warning("push host %s resolves to an address pushes may not reach", host)
        raise ForbiddenAddress(f"{host} resolves to an address pushes may not reach")
    return addresses
