"""Levels of assurance: the `acr` claim mapped to low / substantial / high (eIDAS terms).

Bank logins are "low" here: the e-address does not accept them (../shared/DOMAIN.md), so mail
and company actions ask for at least "substantial" and offer a step-up login instead of an error.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backend.settings import AuthSettings


class Level(IntEnum):
    LOW = 1
    SUBSTANTIAL = 2
    HIGH = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, label: str) -> Level:
        return cls[label.upper()]


def company_level(auth: AuthSettings) -> Level:
    """The least login level for acting for a company (`AUTH_MIN_LEVEL_COMPANY`)."""
    return Level.parse(auth.min_level_company)


# Values seen in the wild for each level; anything unknown counts as low.
ACR_LEVELS: dict[str, Level] = {
    "http://eidas.europa.eu/LoA/low": Level.LOW,
    "http://eidas.europa.eu/LoA/substantial": Level.SUBSTANTIAL,
    "http://eidas.europa.eu/LoA/high": Level.HIGH,
    "low": Level.LOW,
    "substantial": Level.SUBSTANTIAL,
    "high": Level.HIGH,
}

ACR_FOR_LEVEL: dict[Level, str] = {
    Level.LOW: "http://eidas.europa.eu/LoA/low",
    Level.SUBSTANTIAL: "http://eidas.europa.eu/LoA/substantial",
    Level.HIGH: "http://eidas.europa.eu/LoA/high",
}


def level_from_acr(acr: object) -> Level:
    if isinstance(acr, str):
        return ACR_LEVELS.get(acr, Level.LOW)
    return Level.LOW


def acr_values_at_least(level: Level) -> str:
    """The `acr_values` request parameter asking for `level` or better (strongest last)."""
    return " ".join(ACR_FOR_LEVEL[candidate] for candidate in Level if candidate >= level)
