"""Who receives a notice about a subject: the person themselves, or — for a company — the
people who may act for it with the scope the notice needs.

`enqueue` takes recipients as a list; this module is the identity layer's answer. Company
officers come from the Enterprise Register, which cannot yet be asked "who represents this
company?" (the client lands with the registry integration); until then `officers` may be
supplied, and delegations from our own table are always included.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from backend.auth.delegations import delegate_codes
from backend.auth.people import people_with_codes, person_exists
from backend.auth.subjects import JOINT_SCOPES, Scope
from backend.lib.time import utcnow

OfficerSource = Callable[[str], Awaitable[Sequence[tuple[str, str]]]]
"""registration number → [(personal code, "sole" | "joint")] from the Enterprise Register."""


class RecipientResolver(Protocol):
    async def recipients(self, subject_key: str, scope: Scope) -> list[uuid.UUID]: ...


class IdentityRecipients:
    """Recipients from our own tables (people who logged in, delegations) and, when given,
    the register's officers — the same rules as `backend.auth.subjects.subjects_for`."""

    def __init__(self, officers: OfficerSource | None = None) -> None:
        self.officers = officers

    async def recipients(self, subject_key: str, scope: Scope) -> list[uuid.UUID]:
        if subject_key.startswith("person:"):
            try:
                person = uuid.UUID(subject_key.removeprefix("person:"))
            except ValueError:
                return []
            return [person] if await person_exists(person) else []
        if not subject_key.startswith("company:"):
            return []
        number = subject_key.removeprefix("company:")
        codes: set[str] = set()
        if self.officers is not None:
            for code, representation in await self.officers(number):
                if representation == "sole" or scope in JOINT_SCOPES:
                    codes.add(code)
        codes |= await delegate_codes(number, scope, utcnow())
        return await people_with_codes(codes) if codes else []
