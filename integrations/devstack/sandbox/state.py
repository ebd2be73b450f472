"""Everything one sandbox app instance remembers: faults, its clock, counters, recorded SMS."""

from __future__ import annotations

import time
from collections import Counter, deque
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from litestar.connection import ASGIConnection

from backend.lib.time import riga_today
from integrations.devstack.sandbox.faults import Fault
from integrations.devstack.sandbox.settings import PREFIXES, SandboxSettings
from integrations.devstack.sandbox.tokens import TokenIssuer

TODAY_HEADER = "x-sandbox-today"


@dataclass(frozen=True)
class SmsMessage:
    id: str
    to: str
    sender: str
    text: str
    received_at: datetime

    def public(self) -> dict[str, str]:
        return {
            "id": self.id,
            "to": self.to,
            "sender": self.sender,
            "text": self.text,
            "received_at": self.received_at.isoformat(),
        }


class SandboxState:
    def __init__(self, settings: SandboxSettings) -> None:
        self.settings = settings
        self.faults: dict[str, Fault] = {}
        self.clock_offset_s = 0.0
        self.requests: Counter[str] = Counter()
        self.tokens_issued = 0
        self.sms: deque[SmsMessage] = deque(maxlen=settings.sms_keep)
        self.declared: dict[str, list[dict[str, Any]]] = {}
        """Extra persons declared at an owner's property (by the owner's personal code), added
        through the admin API so tests can make "a new person was declared" happen."""
        self.tokens = TokenIssuer(settings.client_id, settings.token_ttl_s, self.now)

    def now(self) -> float:
        """Wall-clock seconds as the sandbox sees them (tests move it to expire tokens)."""
        return time.time() + self.clock_offset_s

    def today(self, header: str | None = None) -> date:
        if header:
            return date.fromisoformat(header)
        return self.settings.today or riga_today()

    def reset(self) -> None:
        self.faults.clear()
        self.clock_offset_s = 0.0
        self.requests.clear()
        self.tokens_issued = 0
        self.sms.clear()
        self.declared.clear()

    def stats(self) -> dict[str, Any]:
        return {
            "requests": {source: self.requests.get(source, 0) for source in PREFIXES},
            "tokens_issued": self.tokens_issued,
        }


def state_of(connection: ASGIConnection[Any, Any, Any, Any]) -> SandboxState:
    state = connection.app.state["sandbox"]
    assert isinstance(state, SandboxState)
    return state


def source_for_path(path: str) -> str | None:
    for source, prefix in PREFIXES.items():
        if path == prefix or path.startswith(prefix + "/"):
            return source
    return None
