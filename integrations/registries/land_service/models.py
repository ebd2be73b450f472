"""State Land Service answers, parsed strictly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from integrations.registries._parse import Reader

PropertyKind = Literal["apartment", "house", "land", "non_residential"]
PROPERTY_KINDS: tuple[PropertyKind, ...] = ("apartment", "house", "land", "non_residential")


@dataclass(frozen=True)
class PropertyManager:
    name: str
    phone: str
    email: str

    @classmethod
    def read(cls, r: Reader) -> PropertyManager:
        return cls(name=r.text("name"), phone=r.text("phone"), email=r.text("email"))


@dataclass(frozen=True)
class Property:
    cadastral_number: str
    address: str
    kind: PropertyKind
    share: str
    """The person's ownership share as a fraction, e.g. `1/1`, `1/2`."""
    manager: PropertyManager | None
    """Who manages the building; None for property the owners manage themselves."""

    @classmethod
    def read(cls, r: Reader) -> Property:
        manager = r.opt_obj("manager")
        return cls(
            cadastral_number=r.text("cadastral_number"),
            address=r.text("address"),
            kind=r.choice("kind", PROPERTY_KINDS),
            share=r.text("share"),
            manager=None if manager is None else PropertyManager.read(manager),
        )
