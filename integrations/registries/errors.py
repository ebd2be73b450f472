"""Typed failures of registry calls, so a caller can give each source a clear status.

A `RegistryError` names the source and one reason from a small closed set; it never carries a
payload, a URL or a personal code (URLs hold personal codes, so the underlying httpx exception is
not chained either: `raise … from None`).
"""

from __future__ import annotations

from typing import Literal

Reason = Literal["timeout", "connect", "http_status", "malformed", "circuit_open", "unauthorized"]

REASONS: tuple[Reason, ...] = (
    "timeout",
    "connect",
    "http_status",
    "malformed",
    "circuit_open",
    "unauthorized",
)


class RegistryError(Exception):
    """A registry could not give a usable answer.

    - `timeout`: connect, read, write or pool timeout (a hung registry ends here);
    - `connect`: transport failure: connection refused or reset, protocol error;
    - `http_status`: an unexpected HTTP status (5xx, or a 4xx other than "no such record");
    - `malformed`: the answer is not the JSON the contract promises (HTML, truncated JSON,
      missing fields, wrong types);
    - `circuit_open`: not tried: the source failed repeatedly and is cooling down;
    - `unauthorized`: the token endpoint refused our credentials, or the registry refused a
      fresh token.
    """

    def __init__(
        self, source: str, reason: Reason, *, status: int | None = None, detail: str = ""
    ) -> None:
        self.source = source
        self.reason = reason
        self.status = status
        self.detail = detail
        text = f"{source}: {reason}"
        if status is not None:
            text += f" (HTTP {status})"
        if detail:
            text += f": {detail}"
        super().__init__(text)


class MalformedPayload(ValueError):
    """A payload does not match its contract. `path` names the field (`$.items[0].valid_until`);
    the message never quotes the offending value."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")
