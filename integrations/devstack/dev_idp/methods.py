"""Login methods of the Latvian state portal and the eIDAS assurance level each one gives.

`acr_values` from the relying party is read as a floor: the lowest level it names is the least
it accepts, and methods below it are not offered. Unknown values are ignored (OpenID Connect
makes `acr_values` a voluntary request), so a request naming none we know filters nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from integrations.devstack.personas import Persona

LOA_LOW = "http://eidas.europa.eu/LoA/low"
LOA_SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"
LOA_HIGH = "http://eidas.europa.eu/LoA/high"
LEVELS = {LOA_LOW: 1, LOA_SUBSTANTIAL: 2, LOA_HIGH: 3}
LEVEL_NAMES = {LOA_LOW: "low", LOA_SUBSTANTIAL: "substantial", LOA_HIGH: "high"}


@dataclass(frozen=True)
class LoginMethod:
    code: str
    """Form value and stable name."""
    label: str
    label_lv: str
    acr: str
    amr: tuple[str, ...]
    """RFC 8176 authentication method references."""
    foreign: bool = False
    """True: only for people with an eIDAS identity; False: only for Latvian personal codes."""

    @property
    def level(self) -> int:
        return LEVELS[self.acr]

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.acr]

    def usable_by(self, persona: Persona) -> bool:
        return bool(persona.eidas_id) if self.foreign else bool(persona.personal_code)


METHODS: tuple[LoginMethod, ...] = (
    LoginMethod("bank", "Bank login", "Internetbanka", LOA_LOW, ("pwd", "otp")),
    LoginMethod("eparaksts", "eParaksts mobile", "eParaksts mobile", LOA_HIGH, ("swk", "pin")),
    LoginMethod("eid_card", "eID card", "eID karte", LOA_HIGH, ("hwk", "sc", "pin")),
    LoginMethod(
        "eidas", "Foreign eID (eIDAS)", "Ārvalstu eID (eIDAS)", LOA_SUBSTANTIAL, ("mfa",), True
    ),
)
BY_CODE = {method.code: method for method in METHODS}


def requested_level(acr_values: str | None) -> int:
    """The least level the relying party accepts (0: no requirement we understand)."""
    known = [LEVELS[value] for value in (acr_values or "").split() if value in LEVELS]
    return min(known, default=0)


def offered_methods(acr_values: str | None) -> tuple[LoginMethod, ...]:
    floor = requested_level(acr_values)
    return tuple(method for method in METHODS if method.level >= floor)


def satisfies(acr: str, acr_values: str | None) -> bool:
    """Whether an existing login at `acr` is good enough for this request."""
    return LEVELS.get(acr, 0) >= requested_level(acr_values)
