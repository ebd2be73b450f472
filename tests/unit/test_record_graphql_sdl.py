"""The GraphQL types derived from registry records (`backend/dashboard/graphql/derive.py`) print
exactly as the hand-written types they replaced did.

`snapshots/dashboard_record_types.graphql` holds those types' SDL as printed before records
became the one definition (issue 14): each record type, its enums and the two dashboards that
return them. The schema printed now must hold each of them byte for byte. A deliberate change
to the API updates the snapshot in the same commit.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import pytest
import strawberry
from strawberry.printer import print_schema

from backend.dashboard.graphql.derive import from_record
from backend.graphql.schema import Mutation, Query
from integrations.registries.csdd import models as csdd
from integrations.registries.land_service import models as land

SNAPSHOT = Path(__file__).parent / "snapshots" / "dashboard_record_types.graphql"
KINDS = {"type", "enum", "input", "interface", "union", "scalar", "directive", "schema"}


def top_level_blocks(sdl: str) -> dict[str, str]:
    """Each top-level definition of printed SDL, with its description, by name."""
    blocks: dict[str, str] = {}
    current: list[str] = []
    for line in sdl.splitlines():
        if not current and not line:
            continue
        current.append(line)
        if line == "}" or line.split(" ")[0] in {"scalar", "union"}:
            header = next(text for text in current if text.split(" ")[0] in KINDS)
            blocks[header.split(" ")[1]] = "\n".join(current)
            current = []
    return blocks


def test_record_types_print_as_before() -> None:
    expected = top_level_blocks(SNAPSHOT.read_text(encoding="utf-8"))
    assert len(expected) == 28
    printed = top_level_blocks(print_schema(strawberry.Schema(query=Query, mutation=Mutation)))
    for name, sdl in expected.items():
        assert printed.get(name) == sdl, name
    # the snapshot is whole blocks, joined as printed
    assert SNAPSHOT.read_text(encoding="utf-8") == "\n\n".join(expected.values()) + "\n"


class TooFew(StrEnum):
    """Property kinds missing all but one of the record's."""

    HOUSE = "house"


def test_a_literal_field_needs_an_enum_with_the_literals_values() -> None:
    with pytest.raises(TypeError, match="needs its GraphQL enum"):

        @from_record(land.Property, name="PropertyWithoutEnum")
        class PropertyWithoutEnum:
            pass

    with pytest.raises(TypeError, match="must have the Literal's values"):

        @from_record(land.Property, name="PropertyTooFewKinds")
        class PropertyTooFewKinds:
            kind: TooFew


def test_overrides_and_fields_must_name_record_fields() -> None:
    with pytest.raises(TypeError, match="no field"):
        from_record(csdd.Vehicle, fields=("plate", "colour"))
    with pytest.raises(TypeError, match="not shown"):

        @from_record(csdd.Vehicle, name="VehicleWithColour", fields=("plate",))
        class VehicleWithColour:
            make: str
