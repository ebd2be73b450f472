"""Which GraphQL documents may be answered from a kept answer.

Only a query that reads who the viewer is and their dashboard's registry data: everything in
it is either in the session, covered by the subject's version (`backend/dashboard/versions.py`)
or bounded by the sources' freshness. Fields that read histories from our own tables — the
timeline of changes, consent decisions, the data-access log — change without passing through
the dashboard's loader, so a document selecting any of them is always executed.

The decision is syntactic and made once per document (an LRU keyed on its text), before the
document is validated: parsing is bounded by the same token limit the schema enforces.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from functools import lru_cache

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
    parse,
)

ROOT_FIELDS = frozenset({"__typename", "me"})
ME_FIELDS = frozenset({"__typename", "id", "name", "givenName", "familyName", "dashboard"})
DASHBOARD_EXCLUDED = frozenset({"changes", "consents", "dataAccess"})
"""Histories kept in our own tables: always read afresh."""


class Level(Enum):
    ROOT = "root"
    ME = "me"
    DASHBOARD = "dashboard"
    """The dashboard's own fields (through its union members' fragments)."""
    RECORD = "record"
    """Below them: the fields of registry records, all allowed."""


def _field_ok(name: str, level: Level) -> bool:
    if level is Level.ROOT:
        return name in ROOT_FIELDS
    if level is Level.ME:
        return name in ME_FIELDS
    if level is Level.DASHBOARD:
        return name not in DASHBOARD_EXCLUDED
    return True


def _level_below(name: str, level: Level) -> Level:
    if level is Level.ROOT:
        return Level.ME
    if level is Level.ME and name == "dashboard":
        return Level.DASHBOARD
    return Level.RECORD


def _selections_ok(
    selection_set: SelectionSetNode | None,
    level: Level,
    fragments: Mapping[str, FragmentDefinitionNode],
    visiting: frozenset[str],
) -> bool:
    if selection_set is None:
        return True
    return all(
        _selection_ok(selection, level, fragments, visiting)
        for selection in selection_set.selections
    )


def _selection_ok(
    selection: SelectionNode,
    level: Level,
    fragments: Mapping[str, FragmentDefinitionNode],
    visiting: frozenset[str],
) -> bool:
    if isinstance(selection, FieldNode):
        name = selection.name.value
        # Arguments under `me`: dashboard(subjectId:) names a subject checked every time.
        allowed = _field_ok(name, level) and not (level is Level.ME and selection.arguments)
        below = _level_below(name, level)
        return allowed and _selections_ok(selection.selection_set, below, fragments, visiting)
    if isinstance(selection, InlineFragmentNode):
        return _selections_ok(selection.selection_set, level, fragments, visiting)
    if isinstance(selection, FragmentSpreadNode):
        name = selection.name.value
        fragment = fragments.get(name)
        if fragment is None or name in visiting:  # unknown or cyclic: validation refuses it
            return False
        return _selections_ok(fragment.selection_set, level, fragments, visiting | {name})
    return False  # pragma: no cover - graphql-core has no other kind of selection


@lru_cache(maxsize=1024)
def reads_only_dashboard(query: str, operation_name: str | None, max_tokens: int) -> bool:
    """True when the operation picked by `operation_name` is a query selecting nothing but
    `me` (who the viewer is) and `me.dashboard`'s registry data."""
    try:
        document = parse(query, no_location=True, max_tokens=max_tokens)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        chosen = operations if len(operations) == 1 else []
    else:
        chosen = [op for op in operations if op.name and op.name.value == operation_name]
    if len(chosen) != 1 or chosen[0].operation is not OperationType.QUERY:
        return False
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return _selections_ok(chosen[0].selection_set, Level.ROOT, fragments, frozenset())
