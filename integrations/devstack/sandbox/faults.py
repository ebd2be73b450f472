"""Injected faults per source, and the ASGI wrapper that applies them (with the base latency).

Faults live on the `SandboxState` of one app instance, never in module globals, so two sandbox
apps in one process are independent. The error rate is deterministic: with rate r the n-th
request (from 0, counted since the fault was set) fails when ceil((n+1)·r) > ceil(n·r) — the
first request fails whenever r > 0, and exactly a fraction r of requests fail in the long run.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Literal

Malformation = Literal["html", "truncated", "missing_fields", "wrong_types"]
MALFORMATIONS: tuple[Malformation, ...] = ("html", "truncated", "missing_fields", "wrong_types")
ERROR_STATUSES = (500, 502, 503, 504)

HTML_PAGE = (
    b'<!DOCTYPE html>\n<html lang="lv"><head><title>Serviss nav pieejams</title></head>'
    b"<body><h1>Service temporarily unavailable</h1><p>Please try again later.</p></body></html>\n"
)


@dataclass
class Fault:
    latency_ms: int = 0
    """Added to the source's base latency."""
    error_rate: float = 0.0
    """Fraction of requests answered with `error_status` (deterministic, see module doc)."""
    error_status: int = 500
    hang: bool = False
    """Never answer: wait until the client disconnects (or `hang_max_s`, then 504)."""
    down: bool = False
    """Answer 503 at once, as a load balancer does for a service with no healthy backend."""
    malformed: Malformation | None = None
    """Spoil every 200 JSON answer: HTML page, truncated JSON, a missing field, a wrong type."""
    served: int = field(default=0, repr=False)
    """Requests seen since the fault was set (drives the error rate)."""

    def public(self) -> dict[str, Any]:
        return {
            "latency_ms": self.latency_ms,
            "error_rate": self.error_rate,
            "error_status": self.error_status,
            "hang": self.hang,
            "down": self.down,
            "malformed": self.malformed,
        }

    def next_fails(self) -> bool:
        n = self.served
        self.served += 1
        return math.ceil((n + 1) * self.error_rate) > math.ceil(n * self.error_rate)


def parse_fault(body: object) -> Fault:
    """Validate an admin request body; raises ValueError with a message for the admin."""
    if not isinstance(body, dict):
        raise ValueError("expected a JSON object")
    unknown = set(body) - set(Fault().public())
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    fault = Fault()
    latency = body.get("latency_ms", 0)
    if not isinstance(latency, int) or isinstance(latency, bool) or not 0 <= latency <= 600_000:
        raise ValueError("latency_ms must be an integer 0..600000")
    rate = body.get("error_rate", 0.0)
    if not isinstance(rate, int | float) or isinstance(rate, bool) or not 0 <= rate <= 1:
        raise ValueError("error_rate must be a number 0..1")
    status = body.get("error_status", 500)
    if status not in ERROR_STATUSES:
        raise ValueError(f"error_status must be one of {ERROR_STATUSES}")
    for flag in ("hang", "down"):
        if not isinstance(body.get(flag, False), bool):
            raise ValueError(f"{flag} must be true or false")
    malformed = body.get("malformed")
    if malformed is not None and malformed not in MALFORMATIONS:
        raise ValueError(f"malformed must be null or one of {', '.join(MALFORMATIONS)}")
    fault.latency_ms = latency
    fault.error_rate = float(rate)
    fault.error_status = status
    fault.hang = body.get("hang", False)
    fault.down = body.get("down", False)
    fault.malformed = malformed
    return fault


def _first_record(doc: dict[str, Any]) -> dict[str, Any]:
    """The object a field-level malformation targets: the first item of a collection, the
    document itself otherwise (a collection that is empty targets the envelope)."""
    entries = doc.get("items")
    if isinstance(entries, list) and entries and isinstance(entries[0], dict):
        return entries[0]
    return doc


def _wrong(value: Any) -> Any:
    if isinstance(value, str):
        return 12345
    if isinstance(value, bool | int | float) or value is None:
        return "n/a" if value is not None else 42
    if isinstance(value, list):
        return "n/a"
    return ["n/a"]


def malform(kind: Malformation, body: bytes) -> tuple[bytes, str]:
    """Spoil a JSON body; returns the new body and its content type."""
    if kind == "html":
        return HTML_PAGE, "text/html; charset=utf-8"
    if kind == "truncated":
        return body[: max(1, len(body) // 2)], "application/json"
    doc = json.loads(body)
    target = _first_record(doc) if isinstance(doc, dict) else {}
    if target:
        first = next(iter(target))
        if kind == "missing_fields":
            del target[first]
        else:
            target[first] = _wrong(target[first])
    return json.dumps(doc, ensure_ascii=False).encode(), "application/json"
