"""Levels of assurance: the `acr` claim mapped to low / substantial / high (eIDAS terms).

Bank logins are "low" here: the e-address does not accept them (../shared/DOMAIN.md), so mail
and company actions ask for at least "substantial" and offer a step-up login instead of an error.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from backend.lib.errors import Forbidden

if TYPE_CHECKING:
    from backend.settings import AuthSettings

STEP_UP = "step_up_required"
ANY_COMPANY = "company:*"
"""A subject key standing for every company: what concerns companies in general (the
delegations a person manages) needs the level acting for any of them needs."""


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


class StepUpNeeded(Forbidden):
    """The login is too weak for this subject: log in again at `level` (code
    `step_up_required`; GraphQL answers `StepUpRequired`, pages redirect to the login)."""

    def __init__(self, level: Level) -> None:
        super().__init__("Log in with eParaksts or an eID card to continue.", code=STEP_UP)
        self.level = level


def needed_level(subject_key: str, auth: AuthSettings, *, floor: Level = Level.LOW) -> Level:
    """The least login level for acting for `subject_key`: `floor` (what the feature itself
    needs, e.g. the e-address level), raised to `AUTH_MIN_LEVEL_COMPANY` for a company."""
    if subject_key.startswith("company:"):
        return max(floor, company_level(auth))
    return floor


def require_level(
    have: Level, subject_key: str, auth: AuthSettings, *, floor: Level = Level.LOW
) -> None:
    """Raise StepUpNeeded unless a login of level `have` may act for `subject_key`.

    Every company operation reaches this (usually through `backend.auth.subjects.authorize`):
    the one place the company level is enforced."""
    needed = needed_level(subject_key, auth, floor=floor)
    if have < needed:
        raise StepUpNeeded(needed)


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
