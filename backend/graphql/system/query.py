"""Facts about the service itself, readable without logging in."""

from __future__ import annotations

from importlib.metadata import version

import strawberry


@strawberry.type
class SystemQuery:
    @strawberry.field(description="The running version of Vienuviet.")
    def version(self) -> str:
        return version("vienuviet")
